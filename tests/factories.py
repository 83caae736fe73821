"""Test data written through the services, as the application itself writes it.

Each factory's ``create`` calls the domain service (with the ``SYSTEM`` actor unless an
``actor`` is given) instead of saving the model, so the trace, the commitment versions and
the search index hold what they would hold in production. ``build`` makes unsaved objects.

    plan = PlanFactory(stage="co_creation")
    commitment = CommitmentFactory(plan=plan, number=1, supporting=[OrganizationFactory()])
    MilestoneFactory.create_batch(2, commitment=commitment)

A test that needs the real Peru 2017-2019 data (its 18 commitments, its IRM ratings, its
calendar) keeps the ``demo`` fixture; every other one uses these, and so does not pay the
seconds of ``load_demo``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from traza.cocreation import services as cocreation
from traza.cocreation.models import AttendanceTally, Contribution, Event, Response
from traza.core.services import SYSTEM
from traza.plans import services as plans
from traza.plans.models import ActionPlan, Commitment, Member, Milestone, Organization, Theme

PASSWORD = "x-Strong-pass-1"


class ServiceFactory(factory.Factory):
    """Creates through ``save(actor, values, **options)``; ``options`` names the keyword
    arguments of the service besides ``reason`` (``supporting``, ``step``…): not model fields."""

    actor: Any = SYSTEM
    reason = ""

    class Meta:
        abstract = True

    _options: tuple[str, ...] = ()

    @classmethod
    def _split(cls, kwargs: dict[str, Any]) -> tuple[Any, dict[str, Any], dict[str, Any]]:
        actor = kwargs.pop("actor")
        extra = {"reason": kwargs.pop("reason")}
        for name in cls._options:
            if name in kwargs:
                extra[name] = kwargs.pop(name)
        return actor, kwargs, extra

    @classmethod
    def _build(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        _actor, values, _extra = cls._split(kwargs)
        return model_class(**values)

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        actor, values, extra = cls._split(kwargs)
        return cls.save(actor, values, **extra)

    @classmethod
    def save(cls, actor: Any, values: dict[str, Any], **options: Any) -> Any:
        raise NotImplementedError


# --- plans -----------------------------------------------------------------------------------


class MemberFactory(ServiceFactory):
    class Meta:
        model = Member

    slug = factory.Sequence(lambda n: f"member-{n}")
    name = factory.Sequence(lambda n: f"Member {n}")

    @classmethod
    def save(cls, actor: Any, values: dict[str, Any], **options: Any) -> Member:
        return plans.save_member(actor, None, values, **options)


class OrganizationFactory(ServiceFactory):
    """A public institution; ``CivilSocietyFactory`` for a civil society organisation."""

    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Institución {n}")
    sector = "public"

    @classmethod
    def save(cls, actor: Any, values: dict[str, Any], **options: Any) -> Organization:
        return plans.save_organization(actor, None, values, **options)


class CivilSocietyFactory(OrganizationFactory):
    slug = factory.Sequence(lambda n: f"ngo-{n}")
    name = factory.Sequence(lambda n: f"Colectivo ciudadano {n}")
    sector = "civil_society"
    civil_society_type = "ngo"


class ThemeFactory(ServiceFactory):
    class Meta:
        model = Theme

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Tema {n}")

    @classmethod
    def save(cls, actor: Any, values: dict[str, Any], **options: Any) -> Theme:
        return plans.save_theme(actor, None, values, **options)


class PlanFactory(ServiceFactory):
    class Meta:
        model = ActionPlan

    member = factory.SubFactory(MemberFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"Plan de acción {o.number}")
    period_start = 2024
    period_end = 2026
    stage = "implementation"

    @classmethod
    def save(cls, actor: Any, values: dict[str, Any], **options: Any) -> ActionPlan:
        return plans.save_plan(actor, None, values, **options)


class CommitmentFactory(ServiceFactory):
    """A commitment and its first version; ``supporting=[…]`` sets its supporting
    organisations, ``step`` the step its version records, ``milestones`` its milestones
    (a number, or a list of values) written with it in that one version."""

    class Meta:
        model = Commitment

    _options = ("supporting", "step", "milestones")

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"Commitment {o.number}")
    theme = factory.SubFactory(ThemeFactory)
    lead_organization = factory.SubFactory(OrganizationFactory)
    status = "approved"
    civic_participation = True
    starts_on = dt.date(2024, 1, 1)
    ends_on = dt.date(2025, 12, 31)

    @classmethod
    def save(cls, actor: Any, values: dict[str, Any], **options: Any) -> Commitment:
        milestones = options.pop("milestones", ())
        if isinstance(milestones, int):
            milestones = [{"text": f"Milestone {n}"} for n in range(1, milestones + 1)]
        options["milestones"] = [
            (None, {"number": n, **m}) for n, m in enumerate(milestones, start=1)
        ]
        return plans.save_commitment(actor, None, values, **options)


class MilestoneFactory(ServiceFactory):
    """A milestone; its commitment takes a new version, as it would in the admin. (For a
    commitment with its milestones in one version, ``CommitmentFactory(milestones=…)``.)"""

    class Meta:
        model = Milestone

    _options = ("step",)

    commitment = factory.SubFactory(CommitmentFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.LazyAttribute(lambda o: f"Milestone {o.number}")

    @classmethod
    def save(cls, actor: Any, values: dict[str, Any], **options: Any) -> Milestone:
        return plans.save_milestone(actor, None, values, **options)


# --- co-creation -----------------------------------------------------------------------------


class EventFactory(ServiceFactory):
    """A co-creation event (a thematic table by default); ``themes=[…]`` sets its themes."""

    class Meta:
        model = Event

    _options = ("themes",)

    plan = factory.SubFactory(PlanFactory)
    key = factory.Sequence(lambda n: f"event-{n}")
    kind = "thematic_table"
    title = factory.Sequence(lambda n: f"Mesa temática {n}")
    region = "Lima"
    starts_at = dt.datetime(2024, 3, 12, 14, tzinfo=dt.UTC)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))

    @classmethod
    def save(cls, actor: Any, values: dict[str, Any], **options: Any) -> Event:
        return cocreation.save_event(actor, None, values, **options)


class AttendanceTallyFactory(ServiceFactory):
    class Meta:
        model = AttendanceTally

    event = factory.SubFactory(EventFactory)
    state = 12
    civil_society = 18
    others = 2
    source = "Acta del evento"

    @classmethod
    def save(cls, actor: Any, values: dict[str, Any], **options: Any) -> AttendanceTally:
        return cocreation.save_tally(actor, None, values, **options)


class ContributionFactory(ServiceFactory):
    """A contribution entered by staff (by e-mail by default), without personal data in the
    trace; ``author_*`` are kept on the contribution only."""

    class Meta:
        model = Contribution

    plan = factory.SubFactory(PlanFactory)
    channel = "email"
    text = factory.Sequence(
        lambda n: f"Aporte ciudadano {n}: publicar los datos en formato abierto."
    )
    author_name = "Ana Quispe"
    author_email = factory.Sequence(lambda n: f"persona{n}@example.org")
    received_at = dt.datetime(2024, 3, 12, 16, tzinfo=dt.UTC)

    @classmethod
    def save(cls, actor: Any, values: dict[str, Any], **options: Any) -> Contribution:
        return cocreation.record_contribution(actor, values, **options)


class ResponseFactory(ServiceFactory):
    """The reasoned response to a contribution (adopted by default); ``versions=[…]`` are the
    commitment versions it changed. Its author is e-mailed through the outbox."""

    class Meta:
        model = Response

    _options = ("versions",)

    contribution = factory.SubFactory(ContributionFactory)
    outcome = "adopted"
    reason_category = ""
    text = "Se incorpora en el compromiso."
    deciding_body = "secretariat"
    decided_on = dt.date(2024, 4, 2)

    @classmethod
    def save(cls, actor: Any, values: dict[str, Any], **options: Any) -> Response:
        contribution = values.pop("contribution")
        return cocreation.publish_response(actor, contribution, values, **options)


# --- people ----------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    """An account, created as sign-up creates it (accounts are not traced when created);
    its password is ``PASSWORD`` unless one is given."""

    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        password = kwargs.pop("password", PASSWORD)
        return model_class.objects.create_user(*args, password=password, **kwargs)


# --- a plan with something in it -------------------------------------------------------------


def plan_with_commitments(
    n: int = 3, m: int = 2, number: int = 1, *, stage: str = "implementation"
) -> ActionPlan:
    """A plan of ``n`` commitments of ``m`` milestones each, one theme, one lead institution
    and one supporting civil society organisation (the ``make_plan`` fixture)."""
    member = MemberFactory(slug=f"m{number}", name=f"Member {number}")
    theme = ThemeFactory(slug=f"t{number}", name=f"Theme {number}")
    org = OrganizationFactory(slug=f"o{number}", name=f"Org {number}")
    helper = CivilSocietyFactory(slug=f"h{number}", name=f"Helper {number}")
    plan = PlanFactory(
        member=member,
        number=number,
        title=f"Plan {number}",
        period_start=2024,
        period_end=2026,
        stage=stage,
    )
    for i in range(1, n + 1):
        commitment = CommitmentFactory(
            plan=plan,
            number=i,
            title=f"Commitment {i}",
            theme=theme,
            lead_organization=org,
            supporting=[helper],
        )
        for j in range(1, m + 1):
            MilestoneFactory(commitment=commitment, number=j, text=f"Milestone {j}")
    return plan


def virtual_consultation(
    plan: ActionPlan,
    *,
    starts_in: dt.timedelta = dt.timedelta(days=-1),
    days: int = 7,
    key: str = "consulta",
    title: str = "Consulta virtual",
) -> Event:
    """A virtual consultation of ``plan`` through the services, starting ``starts_in`` from now
    (running since yesterday by default) and lasting ``days``: it opens the public form and
    the discussion of draft commitments while it runs."""
    start = timezone.now() + starts_in
    return cocreation.save_event(
        SYSTEM,
        None,
        {
            "plan": plan,
            "key": key,
            "kind": "virtual_consultation",
            "title": title,
            "starts_at": start,
            "ends_at": start + dt.timedelta(days=days),
            "status": "scheduled",
        },
    )


def sample_plan() -> ActionPlan:
    """A small stand-in for the demo when a test needs a plan with something in it, not
    Peru's facts: three commitments of two milestones (on health, education and the
    environment), a thematic table with its attendance, and three contributions, one of them
    answered (adopted, changing commitment 1)."""
    member = MemberFactory(slug="muestra", name="País de muestra")
    plan = PlanFactory(
        member=member,
        number=1,
        title="Plan de Acción de Gobierno Abierto 2024-2026",
        period_start=2024,
        period_end=2026,
    )
    lead = OrganizationFactory(slug="minsa", name="Ministerio de Salud")
    helper = CivilSocietyFactory(slug="red", name="Red de participación ciudadana")
    topics = [
        ("salud", "Salud", "Participación ciudadana en la vigilancia de la salud pública"),
        ("educacion", "Educación", "Datos abiertos de la educación básica"),
        ("ambiente", "Ambiente", "Acceso a la información ambiental"),
    ]
    for number, (slug, name, title) in enumerate(topics, start=1):
        theme = ThemeFactory(slug=slug, name=name)
        commitment = CommitmentFactory(
            plan=plan,
            number=number,
            title=title,
            theme=theme,
            lead_organization=lead,
            civic_participation=number == 1,
            supporting=[helper],
        )
        for milestone in (1, 2):
            MilestoneFactory(
                commitment=commitment,
                number=milestone,
                text=f"Hito {milestone} de {name.lower()}",
                step="import",
            )
    event = EventFactory(
        plan=plan, key="mesa-salud", title="Mesa temática de salud", region="Arequipa"
    )
    AttendanceTallyFactory(event=event)
    first = ContributionFactory(
        plan=plan, event=event, text="Publicar las listas de espera de los hospitales de salud."
    )
    ContributionFactory(plan=plan, text="Participación ciudadana en los presupuestos de salud.")
    ContributionFactory(plan=plan, channel="letter", text="Mapas abiertos de calidad del aire.")
    ResponseFactory(contribution=first, versions=[plan.commitments.get(number=1).versions.last()])
    return plan


PASSWORD = "x-Strong-pass-1"


def account(name: str, role: str | None = None, *, staff: bool = True):
    """An account named ``name`` (address ``name@example.org``, password ``PASSWORD``) in
    the role group ``role``, staff unless said otherwise; read back fresh from the database
    so its permissions are not cached."""
    model = get_user_model()
    user = model.objects.create_user(name, f"{name}@example.org", PASSWORD)
    user.is_staff = staff
    user.save()
    if role:
        user.groups.add(Group.objects.get(name=role))
    return model.objects.get(pk=user.pk)
