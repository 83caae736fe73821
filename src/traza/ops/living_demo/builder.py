"""Builds the living demo through the apps' services (actor ``SYSTEM``), so that its trace is
the real trace of real writes: every object is recognised by a key and written only when it
is missing or its computed values differ, so loading twice writes nothing.

Two anchors place every date (see ``content``): ``H``, the day the demo was first loaded,
found again from the plan's co-creation start; ``L``, the living present, found again from
the running consultation's start. ``refresh=True`` moves ``L`` to today: the consultation,
the events ahead and their registration, the forum's next session and the self-assessment's
comment period move (each move a traced change whose reason says so); the contributions left
waiting by the previous round are answered and a new round arrives. History (``H``) never
moves: what was received, answered, reported or versioned stays dated as it was."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from traza.cocreation import services as cocreation
from traza.cocreation.models import (
    Contribution,
    DiscussionPost,
    Event,
    Evidence,
    FaqEntry,
    ReportedFigure,
    Response,
    ResponseDraft,
    Timeline,
)
from traza.cocreation.queries import unanswered_q
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.forum import services as forum_services
from traza.forum.models import (
    Decision,
    Forum,
    ForumRules,
    GoodPractice,
    Initiative,
    Membership,
    Session,
)
from traza.monitoring import services as monitoring
from traza.monitoring.models import (
    Indicator,
    Measurement,
    ProgressReport,
    Review,
    SelfAssessment,
)
from traza.ops.living_demo import content
from traza.ops.living_demo.content import CommitmentSpec, ContributionSpec, EventSpec, ResponseSpec
from traza.ops.living_demo.files import pdf_upload, png_upload
from traza.plans import services as plans
from traza.plans.models import (
    ActionPlan,
    Commitment,
    CommitmentStatus,
    CommitmentVersion,
    Member,
    Milestone,
    Organization,
    Theme,
    VersionStep,
)
from traza.repository import services as repository
from traza.repository.models import Document

LOAD_REASON = "Demostración ficticia (traza load-demo)"
REFRESH_REASON = (
    "Demostración ficticia: las fechas vivas se movieron a hoy (traza load-demo --refresh-dates)"
)


@dataclass
class Result:
    """What a load wrote: the trace events appended, and the anchors it used."""

    events: int
    history: dt.date
    living: dt.date
    plan: ActionPlan


def load_living_demo(today: dt.date | None = None, *, refresh: bool = False) -> Result:
    """Load (or complete) the living demo; with ``refresh``, move its living dates to today.
    All or nothing: one transaction."""
    today = today or timezone.localdate()
    before = TraceEvent.objects.count()
    with transaction.atomic():
        builder = Builder(today, refresh)
        builder.build()
    return Result(TraceEvent.objects.count() - before, builder.H, builder.L, builder.plan)


def _decimal(number: int) -> Decimal:
    """As the column stores it (four places), so that a reload finds nothing changed."""
    return Decimal(number).quantize(Decimal("0.0001"))


def find_plan() -> ActionPlan | None:
    return ActionPlan.objects.filter(
        member__slug=content.MEMBER["slug"], number=content.PLAN_NUMBER
    ).first()


class Builder:
    def __init__(self, today: dt.date, refresh: bool) -> None:
        self.today = today
        self.refresh = refresh
        stored = find_plan()
        self.H = (
            stored.co_creation_starts_on + dt.timedelta(days=content.CO_CREATION_BEFORE_H)
            if stored and stored.co_creation_starts_on
            else today
        )
        consultation = (
            Event.objects.filter(plan=stored, key=content.CONSULTATION_KEY).first()
            if stored
            else None
        )
        if refresh or consultation is None:
            self.L = today
        else:
            start = timezone.localdate(consultation.starts_at)
            self.L = start + dt.timedelta(days=content.CONSULTATION_BEFORE_L)
        self.reason = REFRESH_REASON if refresh else LOAD_REASON
        self.orgs: dict[str, Organization] = {}
        self.themes: dict[str, Theme] = {}
        self.events: dict[str, Event] = {}
        self.commitments: dict[int, Commitment] = {}
        self.plan: ActionPlan

    # dates ------------------------------------------------------------------------------

    def day(self, anchor: str, offset: int) -> dt.date:
        return (self.H if anchor == "h" else self.L) + dt.timedelta(days=offset)

    def h(self, offset: int) -> dt.date:
        return self.day("h", offset)

    def moment(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    # the whole ---------------------------------------------------------------------------

    def build(self) -> None:
        self.member_and_organizations()
        self.the_plan()
        self.calendar()
        self.the_commitments()
        self.history()
        self.the_forum()
        self.monitoring()
        self.documents()
        self.self_assessment()
        self.living_round()
        self.discussion()
        self.around_the_plan()

    def member_and_organizations(self) -> None:
        values = dict(content.MEMBER)
        stored = Member.objects.filter(slug=values["slug"]).first()
        self.member = plans.save_member(SYSTEM, stored, values, reason=self.reason)
        for slug, name in content.THEMES:
            theme = Theme.objects.filter(slug=slug).first()
            self.themes[slug] = theme or plans.save_theme(
                SYSTEM, None, {"slug": slug, "name": name}, reason=self.reason
            )
        for slug, name, acronym, sector, cs_type in content.ORGANIZATIONS:
            org = Organization.objects.filter(slug=slug).first()
            self.orgs[slug] = org or plans.save_organization(
                SYSTEM,
                None,
                {
                    "slug": slug,
                    "name": name,
                    "acronym": acronym,
                    "sector": sector,
                    "civil_society_type": cs_type,
                },
                reason=self.reason,
            )

    def the_plan(self) -> None:
        start = self.h(-content.CO_CREATION_BEFORE_H)
        implementation = self.h(-120)
        values = {
            **content.plan_values(implementation.year),
            "member": self.member,
            "number": content.PLAN_NUMBER,
            "period_start": implementation.year,
            "period_end": implementation.year + 2,
            "preparatory_starts_on": self.h(-270),
            "co_creation_starts_on": start,
            "co_creation_ends_on": self.h(-165),
            "approved_on": self.h(-135),
            "implementation_starts_on": implementation,
            "implementation_ends_on": implementation + dt.timedelta(days=729),
            "is_fictional": True,
        }
        self.plan = plans.save_plan(SYSTEM, find_plan(), values, reason=self.reason)

    # co-creation ------------------------------------------------------------------------

    def calendar(self) -> None:
        stored = Timeline.objects.filter(plan=self.plan).first()
        cocreation.save_timeline(
            SYSTEM,
            stored,
            {
                "plan": self.plan,
                "published_on": self.h(-260),
                "where_published": "Página del plan en Traza y portal de la municipalidad",
                "source": "Datos ficticios de demostración",
            },
            reason=self.reason,
        )
        for spec in content.EVENTS:
            self.events[spec.key] = self.event(spec)
        for key, measure, total, breakdown, source in content.FIGURES:
            stored_figure = ReportedFigure.objects.filter(plan=self.plan, key=key).first()
            cocreation.save_reported_figure(
                SYSTEM,
                stored_figure,
                {
                    "plan": self.plan,
                    "key": key,
                    "measure": measure,
                    "total": total,
                    "breakdown": breakdown,
                    "source": source,
                },
                reason=self.reason,
            )

    def event(self, spec: EventSpec) -> Event:
        first = self.day(spec.anchor, spec.day)
        starts = self.moment(first, spec.hours[0])
        ends = self.moment(first + dt.timedelta(days=spec.days_long), spec.hours[1], 0)
        past = ends < timezone.now()
        values: dict[str, Any] = {
            "plan": self.plan,
            "key": spec.key,
            "kind": spec.kind,
            "title": spec.title,
            "description": spec.description,
            "region": spec.region,
            "place": spec.place,
            "online_url": spec.online_url,
            "starts_at": starts,
            "ends_at": ends,
            "registration_opens_at": None,
            "registration_closes_at": None,
            "capacity": spec.capacity,
            "organiser": self.orgs[spec.organiser],
            "status": "held" if past and not spec.living else "scheduled",
            "announced_at": self.moment(first + dt.timedelta(days=spec.announced), 9),
            "source": "Datos ficticios de demostración",
        }
        if spec.registration:
            opens, closes = spec.registration
            values["registration_opens_at"] = self.moment(self.day(spec.anchor, opens), 8)
            values["registration_closes_at"] = self.moment(self.day(spec.anchor, closes), 23, 59)
        stored = Event.objects.filter(plan=self.plan, key=spec.key).first()
        event = cocreation.save_event(
            SYSTEM,
            stored,
            values,
            themes=[self.themes[t] for t in spec.themes],
            reason=self.reason if spec.living else LOAD_REASON,
        )
        if spec.tally:
            state, civil_society, others, by_type = spec.tally
            source = "Lista de asistencia firmada (ficticia)"
            stored_tally = event.tallies.filter(source=source).first()
            cocreation.save_tally(
                SYSTEM,
                stored_tally,
                {
                    "event": event,
                    "state": state,
                    "civil_society": civil_society,
                    "others": others,
                    "source": source,
                    "note": f"Sociedad civil por tipo: {by_type}.",
                },
                reason=LOAD_REASON,
            )
        for index, kind in enumerate(spec.evidence):
            self.event_evidence(event, kind, index)
        return event

    def event_evidence(self, event: Event, kind: str, index: int) -> None:
        if kind == "minutes":
            title = f"Acta: {event.title}"
            upload = pdf_upload(
                f"acta-{event.key}.pdf",
                f"Acta — {event.title}",
                [
                    "Datos ficticios de demostración.",
                    f"Fecha: {timezone.localdate(event.starts_at).isoformat()}. Lugar: {event.place or 'virtual'}.",
                    "Se registraron los aportes de los participantes y se leyeron al final.",
                ],
            )
        else:
            title = f"Foto: {event.title}"
            upload = png_upload(f"foto-{event.key}.png", event.pk + index)
        if Evidence.objects.filter(event=event, title=title).exists():
            return
        cocreation.add_evidence(
            SYSTEM, {"event": event, "kind": kind, "title": title}, upload, reason=LOAD_REASON
        )

    # commitments ------------------------------------------------------------------------

    def the_commitments(self) -> None:
        for spec in content.COMMITMENTS:
            stored = Commitment.objects.filter(plan=self.plan, number=spec.number).first()
            self.commitments[spec.number] = stored or self.new_commitment(spec)

    def new_commitment(self, spec: CommitmentSpec) -> Commitment:
        """A commitment as it was proposed, then as the contributions changed it (a version
        with its reason), then approved: the versions the responses will point to."""
        base: dict[str, Any] = {
            "plan": self.plan,
            "number": spec.number,
            "theme": self.themes[spec.theme],
            "lead_organization": self.orgs[spec.lead],
            "status": CommitmentStatus.PROPOSAL,
            **{value: True for value in spec.values},
        }
        if spec.origin_event:
            base["origin_event"] = self.events[spec.origin_event]
        supporting = [self.orgs[s] for s in spec.supporting]
        first_step = (
            VersionStep.PROPOSAL if spec.status == "proposal" else VersionStep.THEMATIC_TABLE
        )
        commitment = plans.save_commitment(
            SYSTEM,
            None,
            {**base, **spec.proposed},
            supporting=supporting,
            step=first_step,
            reason="Propuesta recogida en la cocreación (datos ficticios de demostración)",
        )
        if spec.status == "discarded":
            return plans.set_commitment_status(
                SYSTEM,
                commitment,
                CommitmentStatus.DISCARDED,
                reason=spec.decision_reason,
                step=VersionStep.NATIONAL_TABLE,
            )
        if spec.changed is None:
            return commitment
        dated: dict[str, Any] = {
            "starts_on": self.h(-120),
            "ends_on": self.h(600),
        }
        milestones = [
            (
                None,
                {
                    "number": number,
                    "text": m.text,
                    "starts_on": self.h(m.starts),
                    "ends_on": self.h(m.ends),
                    "deliverable": m.deliverable,
                    "verification_means": m.verification,
                },
            )
            for number, m in enumerate(spec.milestones, start=1)
        ]
        status_quo, contribution = content.STATUS_QUO.get(spec.number, ("", ""))
        dated["status_quo"] = status_quo
        dated["contribution"] = contribution
        commitment = plans.save_commitment(
            SYSTEM,
            commitment,
            {**spec.changed, **dated},
            milestones=milestones,
            step=VersionStep.NATIONAL_TABLE,
            reason=spec.changed_reason,
        )
        return plans.set_commitment_status(
            SYSTEM,
            commitment,
            CommitmentStatus.APPROVED,
            reason="Aprobado por la resolución de alcaldía que aprueba el plan (ficticia)",
            step=VersionStep.APPROVAL,
        )

    def changed_version(self, number: int) -> CommitmentVersion:
        """The version in which the contributions changed commitment ``number`` (its second)."""
        return CommitmentVersion.objects.get(commitment=self.commitments[number], number=2)

    # contributions ----------------------------------------------------------------------

    def contribution(
        self, spec: ContributionSpec, key: str, anchor: str, reason: str
    ) -> Contribution:
        stored = Contribution.objects.filter(plan=self.plan, key=key).first()
        if stored is not None:
            return stored  # contributions are never changed
        values: dict[str, Any] = {
            "plan": self.plan,
            "key": key,
            "channel": spec.channel,
            "text": spec.text,
            "received_at": self.moment(self.day(anchor, spec.day), spec.hour, 7 * (len(key) % 8)),
            "author_name": spec.author,
            "author_organization": spec.organization,
            "show_author": spec.show,
            "consent_text": "Consentimiento ficticio (datos de demostración)",
        }
        if spec.event:
            values["event"] = self.events[spec.event]
        if spec.theme:
            values["theme"] = self.themes[spec.theme]
        if spec.commitment:
            values["commitment"] = self.commitments[spec.commitment]
        if spec.self_assessment:
            values["self_assessment"] = self.report
        contribution = cocreation.record_contribution(SYSTEM, values, reason=reason)
        if spec.evidence:
            kind, upload, title = (
                (
                    "photo",
                    png_upload(f"escaneo-{key}.png", len(key)),
                    "Carta escaneada del aporte %s",
                )
                if spec.evidence == "photo"
                else (
                    "other",
                    pdf_upload(f"adjunto-{key}.pdf", "Adjunto", [spec.text[:90]]),
                    "Documento adjunto al aporte %s",
                )
            )
            cocreation.add_evidence(
                SYSTEM,
                {"contribution": contribution, "kind": kind, "title": title % contribution.pk},
                upload,
                reason=reason,
            )
        return contribution

    def respond(
        self, contribution: Contribution, spec: ResponseSpec, anchor: str, reason: str
    ) -> None:
        stored = Response.objects.filter(contribution=contribution).first()
        if stored is not None:
            return  # answered: a reload never rewrites a published response
        decided = max(self.day(anchor, spec.day), timezone.localdate(contribution.received_at))
        values: dict[str, Any] = {
            "outcome": spec.outcome,
            "reason_category": spec.reason,
            "text": spec.text,
            "deciding_body": spec.body,
            "deciding_sector": self.orgs[spec.sector] if spec.sector else None,
            "decided_on": decided,
            "forwarded_to": spec.forwarded,
        }
        # published in the story's evening of the decision, when that is past: the days it
        # took to answer are the fictional process's, not the day the demo was loaded
        published = self.moment(decided, 18)
        cocreation.publish_response(
            SYSTEM,
            contribution,
            values,
            versions=[self.changed_version(n) for n in spec.versions],
            reason=reason,
            published_at=published
            if contribution.received_at <= published < timezone.now()
            else None,
        )

    def history(self) -> None:
        for spec in content.HISTORY:
            contribution = self.contribution(spec, f"ejemplo-{spec.key}", "h", LOAD_REASON)
            if spec.response:
                self.respond(contribution, spec.response, "h", LOAD_REASON)

    def round_key(self, day: dt.date, item: str) -> str:
        return f"ronda-{day:%Y%m%d}-{item}"

    def living_round(self) -> None:
        """Answer what earlier rounds left waiting, then receive this round."""
        current = self.round_key(self.L, "")
        waiting = (
            Contribution.objects.filter(plan=self.plan, key__startswith="ronda-")
            .exclude(key__startswith=current)
            .filter(unanswered_q())
            .order_by("key")
        )
        for contribution in waiting:
            closing = content.ROUND_CLOSING.get(contribution.key.rsplit("-", 1)[-1])
            if closing is not None:
                self.close(contribution, closing)
        for spec in content.ROUND:
            contribution = self.contribution(
                spec, self.round_key(self.L, spec.key), "l", self.reason
            )
            self.seconds(contribution, spec.seconds)
            if spec.response:
                self.respond(contribution, spec.response, "l", self.reason)
            elif (
                spec.draft and not ResponseDraft.objects.filter(contribution=contribution).exists()
            ):
                self.draft(contribution, spec.draft)

    def seconds(self, contribution: Contribution, how_many: int) -> None:
        """Participants who support a contribution (only their number is public; the
        addresses are of the reserved ``.invalid`` domain, so no mail can reach anyone)."""
        if not how_many or not cocreation.consultation_open(self.plan):
            return
        for n in range(1, how_many + 1):
            email = f"apoyo{n}.{contribution.key}@ejemplo.invalid"
            if contribution.seconds.filter(email=email).exists():
                continue
            cocreation.second_contribution(
                contribution, {"name": f"Vecina o vecino {n} (ficticio)", "email": email}
            )

    def close(self, contribution: Contribution, spec: ResponseSpec) -> None:
        """The final answer to a contribution an earlier round left waiting or pending."""
        values = {
            "outcome": spec.outcome,
            "reason_category": spec.reason,
            "text": spec.text,
            "deciding_body": spec.body,
            "deciding_sector": None,
            "decided_on": self.today,
            "forwarded_to": spec.forwarded,
        }
        cocreation.publish_response(SYSTEM, contribution, values, reason=self.reason)

    def draft(self, contribution: Contribution, spec: ResponseSpec) -> None:
        cocreation.save_draft(
            SYSTEM,
            contribution,
            {
                "outcome": spec.outcome,
                "reason_category": spec.reason,
                "text": spec.text,
                "deciding_body": spec.body,
                "decided_on": self.L,
                "forwarded_to": spec.forwarded,
            },
        )

    def discussion(self) -> None:
        """Two messages in the public discussion of the proposals, published by moderation,
        each answered officially and with its reasoned response."""
        for number, text, author, answer, org, response in content.DISCUSSION:
            commitment = self.commitments[number]
            post = DiscussionPost.objects.filter(
                commitment=commitment, text=text, official=False
            ).first()
            if post is None:
                if not cocreation.discussion_open(commitment):
                    continue  # the consultation is not running (a load on another day)
                post = cocreation.post_message(
                    commitment,
                    {
                        "text": text,
                        "author_name": author,
                        "show_author": True,
                        "consent_text": "Consentimiento ficticio (datos de demostración)",
                    },
                )
                post = cocreation.moderate_post(SYSTEM, post, "published", reason=LOAD_REASON)
            if not DiscussionPost.objects.filter(parent=post, official=True).exists():
                cocreation.post_official_answer(
                    SYSTEM, commitment, answer, self.orgs[org], parent=post
                )
            post.refresh_from_db()
            if post.contribution is not None:
                self.respond(post.contribution, response, "l", LOAD_REASON)

    # the forum --------------------------------------------------------------------------

    def the_forum(self) -> None:
        spec = content.FORUM
        stored = Forum.objects.filter(member=self.member, name=spec["name"]).first()
        forum = forum_services.save_forum(
            SYSTEM,
            stored,
            {
                "member": self.member,
                "name": spec["name"],
                "established_on": self.h(spec["established"]),
                "instrument": spec["instrument"],
                "description": spec["description"],
            },
            reason=LOAD_REASON,
        )
        members = {}
        for person, org, sector, subsector, role, power, selection in content.MEMBERS:
            stored_member = Membership.objects.filter(forum=forum, person=person).first()
            members[person] = forum_services.save_membership(
                SYSTEM,
                stored_member,
                {
                    "forum": forum,
                    "person": person,
                    "organization": self.orgs[org],
                    "sector": sector,
                    "subsector": subsector,
                    "role": role,
                    "decision_power": power,
                    "starts_on": self.h(spec["established"] + 5),
                    "selection": selection,
                    "selection_call_url": (
                        "https://ejemplo.invalid/convocatoria-comite"
                        if selection == "open_call"
                        else ""
                    ),
                    "selection_evidence": (
                        "Convocatoria pública y acta de elección (ficticias)"
                        if sector == "non_government"
                        else ""
                    ),
                },
                reason=LOAD_REASON,
            )
        for kind, text, day in content.RULES:
            if not ForumRules.objects.filter(forum=forum, kind=kind).exists():
                forum_services.publish_rules(
                    SYSTEM,
                    forum,
                    {
                        "kind": kind,
                        "text": text,
                        "published_on": self.h(day),
                        "developed_jointly": True,
                    },
                    reason=LOAD_REASON,
                )
        attendees = [m for m in members.values() if m.role != "alternate"]
        for day, modality, agenda, open_, others, minutes, decisions in content.SESSIONS:
            held = self.h(day)
            values = {
                "forum": forum,
                "held_on": held,
                "modality": modality,
                "agenda": agenda,
                "agenda_co_set": True,
                "open_to_non_members": open_,
                "other_attendance": others,
                "minutes": f"{minutes} (Acta ficticia de demostración.)",
                "minutes_published_on": min(held + dt.timedelta(days=3), self.today),
            }
            stored_session = Session.objects.filter(forum=forum, agenda=agenda).first()
            session = forum_services.save_session(
                SYSTEM, stored_session, values, reason=LOAD_REASON, attendees=attendees
            )
            for text, binding, number in decisions:
                stored_decision = Decision.objects.filter(session=session, text=text).first()
                forum_services.save_decision(
                    SYSTEM,
                    stored_decision,
                    {
                        "session": session,
                        "text": text,
                        "plan": self.plan,
                        "commitment": self.commitments[number] if number else None,
                        "binding": binding,
                    },
                    reason=LOAD_REASON,
                )
        day, modality, agenda = content.UPCOMING_SESSION
        stored_session = Session.objects.filter(forum=forum, agenda=agenda).first()
        forum_services.save_session(
            SYSTEM,
            stored_session,
            {
                "forum": forum,
                "held_on": self.day("l", day),
                "modality": modality,
                "agenda": agenda,
                "agenda_co_set": True,
                "open_to_non_members": True,
            },
            reason=self.reason,
        )
        self.forum = forum

    # monitoring -------------------------------------------------------------------------

    def milestone(self, commitment: int, number: int) -> Milestone:
        return Milestone.objects.get(commitment=self.commitments[commitment], number=number)

    def monitoring(self) -> None:
        for number, key, name, level, unit, base, target, target_day, points in content.INDICATORS:
            commitment = self.commitments[number]
            stored = Indicator.objects.filter(commitment=commitment, key=key).first()
            indicator = monitoring.save_indicator(
                SYSTEM,
                stored,
                {
                    "commitment": commitment,
                    "key": key,
                    "name": name,
                    "level": level,
                    "unit": unit,
                    "baseline": f"{base} {unit}",
                    "baseline_value": _decimal(base),
                    "baseline_date": self.h(-120),
                    "target": f"{target} {unit}",
                    "target_value": _decimal(target),
                    "target_date": self.h(target_day),
                },
                reason=LOAD_REASON,
            )
            for day, value in points:
                measured = self.h(day)
                stored_m = Measurement.objects.filter(
                    indicator=indicator, measured_on=measured
                ).first()
                monitoring.save_measurement(
                    SYSTEM,
                    stored_m,
                    {
                        "indicator": indicator,
                        "measured_on": measured,
                        "value": _decimal(value),
                        "source": "Reporte de la gerencia responsable (ficticio)",
                    },
                    reason=LOAD_REASON,
                )
        for (
            number,
            m_number,
            status,
            percent,
            day,
            narrative,
            kind,
            review,
            comment,
        ) in content.PROGRESS:
            milestone = self.milestone(number, m_number)
            report = ProgressReport.objects.filter(milestone=milestone, narrative=narrative).first()
            if report is None:
                files, links = [], []
                title = f"Evidencia del hito {number}.{m_number}"
                if kind == "pdf":
                    files = [
                        (
                            title,
                            pdf_upload(f"avance-{number}-{m_number}.pdf", title, [narrative[:90]]),
                        )
                    ]
                elif kind == "photo":
                    files = [
                        (
                            title,
                            png_upload(f"avance-{number}-{m_number}.png", number * 10 + m_number),
                        )
                    ]
                else:
                    links = [(title, f"https://ejemplo.invalid/avance/{number}-{m_number}")]
                report = monitoring.submit_progress(
                    SYSTEM,
                    milestone,
                    {
                        "status": status,
                        "percent": percent,
                        "narrative": narrative,
                        "fact_date": min(self.h(day), self.today),
                    },
                    files=files,
                    links=links,
                )
            if review and report.review == Review.SUBMITTED:
                monitoring.review_progress(SYSTEM, report, review == "accepted", comment)

    def documents(self) -> None:
        for kind, title, day, event_key, lines in content.DOCUMENTS:
            if Document.objects.filter(plan=self.plan, title=title).exists():
                continue
            values: dict[str, Any] = {
                "kind": kind,
                "title": title,
                "description": "Datos ficticios de demostración.",
                "language": "es",
                "document_date": self.h(day),
                "plan": self.plan,
            }
            if event_key:
                values["event"] = self.events[event_key]
            name = title.lower().split("(")[0].strip().replace(" ", "-")[:60] + ".pdf"
            repository.publish_document(
                SYSTEM, values, pdf_upload(name, title, lines), note=LOAD_REASON
            )

    def self_assessment(self) -> None:
        opens = self.day("l", -3)
        closes = self.day("l", 11)
        stored = SelfAssessment.objects.filter(plan=self.plan, kind="mid_term").first()
        if stored is None or (stored.comments_open_on, stored.comments_close_on) != (opens, closes):
            monitoring.generate_self_assessment(
                SYSTEM,
                self.plan,
                "mid_term",
                introduction=(
                    "Datos ficticios de demostración. Autoevaluación de medio término: "
                    "comente hasta el cierre del periodo; cada comentario recibe una "
                    "respuesta fundamentada."
                ),
                opens_on=opens,
                closes_on=closes,
            )
        self.report = SelfAssessment.objects.get(plan=self.plan, kind="mid_term")

    # around the plan --------------------------------------------------------------------

    def around_the_plan(self) -> None:
        for question, answer, position in content.FAQ:
            stored = FaqEntry.objects.filter(question=question).first()
            cocreation.save_faq(
                SYSTEM,
                stored,
                {"question": question, "answer": answer, "position": position, "published": True},
                reason=LOAD_REASON,
            )
        for name, kind, org, description, regions, themes, numbers in content.INITIATIVES:
            initiative = Initiative.objects.filter(name=name).first()
            forum_services.save_initiative(
                SYSTEM,
                initiative,
                {
                    "name": name,
                    "kind": kind,
                    "organization": self.orgs[org],
                    "description": description,
                    "regions": regions,
                },
                reason=LOAD_REASON,
                themes=[self.themes[t] for t in themes],
                commitments=[self.commitments[n] for n in numbers],
            )
        for (
            title,
            description,
            criteria,
            evidence,
            number,
            initiative_name,
            day,
        ) in content.GOOD_PRACTICES:
            practice = GoodPractice.objects.filter(title=title).first()
            forum_services.save_good_practice(
                SYSTEM,
                practice,
                {
                    "title": title,
                    "description": description,
                    "criteria": criteria,
                    "evidence": evidence,
                    "commitment": self.commitments[number] if number else None,
                    "initiative": (
                        Initiative.objects.get(name=initiative_name) if initiative_name else None
                    ),
                    "identified_on": self.h(day),
                },
                reason=LOAD_REASON,
            )
