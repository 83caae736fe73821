"""Every write service, driven by every role: exactly the allowed ones succeed. Each attempt
runs in a transaction that is rolled back, so every role meets the same state. The first
test checks that the matrix names every service that takes an actor, so a new service
cannot be added without deciding who may call it."""

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

import traza
from traza.accounts import services as accounts_services
from traza.api import services as api
from traza.api.models import ApiToken
from traza.assessment import services as assessment
from traza.cocreation import services as cocreation
from traza.cocreation.models import DiscussionPost, Registration
from traza.core.services import SYSTEM
from traza.forum import services as forum
from traza.monitoring import services as monitoring
from traza.plans import services as plans
from traza.plans.models import Officer
from traza.reports import services as reports
from traza.repository import services as repository
from traza.workbench import services as workbench

ROLES = [
    "public",
    "participant",
    "civil_society_representative",
    "forum_member",
    "institution_officer",
    "officer_of_another_institution",
    "assessor",
    "response_drafter",
    "secretariat",
    "superuser",
]
SECRETARIAT = {"secretariat", "superuser"}
OFFICER = {"institution_officer", "secretariat", "superuser"}
ASSESSOR = {"assessor", "superuser"}
DRAFTER = {"response_drafter", "secretariat", "superuser"}
DRAFT = {
    "outcome": "adopted",
    "text": "Sí.",
    "deciding_body": "secretariat",
    "decided_on": dt.date(2024, 1, 1),
}
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
HELPERS = {
    "account_of",
    "actor_label",
    "require_perm",
    "record",
    "save_traced",
    "set_related",
    "replace_related",
    "with_related",
    "reporting_organization",
    "may_publish_draft",  # a question (may this actor publish this draft?), not a write
}


class Rollback(Exception):
    pass


@pytest.fixture
def world(make_plan, django_user_model):
    plan = make_plan(n=2, m=2)
    commitment = plan.commitments.get(number=1)
    milestone = commitment.milestones.get(number=1)
    lead = commitment.lead_organization
    other = plans.save_organization(
        SYSTEM, None, {"slug": "otra", "name": "Otra entidad", "sector": "public"}
    )
    event = cocreation.save_event(
        SYSTEM,
        None,
        {
            "plan": plan,
            "key": "mesa",
            "kind": "thematic_table",
            "title": "Mesa",
            "starts_at": timezone.now() + dt.timedelta(days=20),
            "ends_at": timezone.now() + dt.timedelta(days=20, hours=2),
        },
    )
    contribution = cocreation.record_contribution(
        SYSTEM, {"plan": plan, "channel": "email", "text": "Aporte", "received_at": timezone.now()}
    )
    registration = Registration.objects.create(
        event=event,
        name="Ana",
        email="ana@example.org",
        sector="civil_society",
        consent_text="ok",
        consented_at=timezone.now(),
        status="confirmed",
        cancel_token="t1",
    )
    post = DiscussionPost.objects.create(
        commitment=commitment, text="Mensaje", status="pending", created_at=timezone.now()
    )
    report = monitoring.submit_progress(
        SYSTEM,
        milestone,
        {
            "status": "in_progress",
            "percent": 10,
            "narrative": "x",
            "fact_date": dt.date(2025, 1, 1),
        },
    )
    officer_link = Officer.objects.create(
        user=django_user_model.objects.create_user("viejo"), organization=lead
    )
    frm = forum.save_forum(
        SYSTEM, None, {"member": plan.member, "name": "Foro", "established_on": dt.date(2023, 1, 1)}
    )
    session = forum.save_session(
        SYSTEM,
        None,
        {"forum": frm, "held_on": dt.date(2024, 1, 1), "modality": "remote", "agenda": "x"},
    )
    document = repository.publish_document(
        SYSTEM,
        {"kind": "minutes", "title": "Acta", "document_date": "2024-01-01", "plan": plan},
        SimpleUploadedFile("a.pdf", PDF),
    )
    indicator = monitoring.save_indicator(
        SYSTEM, None, {"commitment": commitment, "key": "k", "name": "Indicador", "level": "output"}
    )
    accounts = {"public": None}
    for role in ROLES[1:]:
        user = django_user_model.objects.create_user(role, f"{role}@example.org", "x-Strong-pass-1")
        if role == "superuser":
            user.is_superuser = user.is_staff = True
            user.save()
        elif role == "officer_of_another_institution":
            user.groups.add(Group.objects.get(name="institution_officer"))
            Officer.objects.create(user=user, organization=other)
        else:
            user.groups.add(Group.objects.get(name=role))
            if role == "institution_officer":
                Officer.objects.create(user=user, organization=lead)
        accounts[role] = django_user_model.objects.get(pk=user.pk)
    return locals()


MATRIX_CSV = "Código,Fecha,Canal,Aporte\nm-1,2024-03-01,carta,Un aporte\n".encode()


def matrix_import(plan, *, checked=False):
    """A matrix uploaded (and checked) by the system, with its table and mapping."""
    from traza.workbench.matrix.check import Options
    from traza.workbench.matrix.mapping import guess_mapping
    from traza.workbench.matrix.reader import read_table

    table = read_table(SimpleUploadedFile("m.csv", MATRIX_CSV), "m.csv")
    options = Options(columns=guess_mapping(table.headers))
    matrix = workbench.upload_matrix(SYSTEM, plan, SimpleUploadedFile("m.csv", MATRIX_CSV))
    if checked:
        matrix = workbench.check_matrix(SYSTEM, matrix, table, options)
    return matrix, table, options


def n():
    n.count = getattr(n, "count", 0) + 1
    return n.count


def actions(w):
    """Each write service: (how to call it with an actor, the roles allowed)."""
    plan, commitment, milestone = w["plan"], w["commitment"], w["milestone"]
    return {
        "plans.save_member": (
            lambda a: plans.save_member(a, None, {"slug": f"m-{n()}", "name": f"M {n()}"}),
            SECRETARIAT,
        ),
        "plans.save_organization": (
            lambda a: plans.save_organization(
                a, None, {"slug": f"o-{n()}", "name": f"O {n()}", "sector": "public"}
            ),
            SECRETARIAT,
        ),
        "plans.save_theme": (
            lambda a: plans.save_theme(a, None, {"slug": f"t-{n()}", "name": f"T {n()}"}),
            SECRETARIAT,
        ),
        "plans.save_plan": (
            lambda a: plans.save_plan(a, plan, {"title": f"Plan {n()}"}),
            SECRETARIAT,
        ),
        "plans.set_plan_stage": (lambda a: plans.set_plan_stage(a, plan, "closed"), SECRETARIAT),
        "plans.save_commitment": (
            lambda a: plans.save_commitment(a, commitment, {"title": f"Nuevo {n()}"}, reason="r"),
            SECRETARIAT,
        ),
        "plans.set_commitment_status": (
            lambda a: plans.set_commitment_status(a, commitment, "withdrawn", reason="r"),
            SECRETARIAT,
        ),
        "plans.save_milestone": (
            lambda a: plans.save_milestone(a, milestone, {"deliverable": f"D {n()}"}),
            SECRETARIAT,
        ),
        "plans.delete_milestone": (
            lambda a: plans.delete_milestone(a, commitment.milestones.get(number=2), reason="r"),
            SECRETARIAT,
        ),
        "cocreation.save_timeline": (
            lambda a: cocreation.save_timeline(
                a, None, {"plan": plan, "published_on": dt.date(2024, 1, 1)}
            ),
            SECRETARIAT,
        ),
        "cocreation.save_event": (
            lambda a: cocreation.save_event(a, w["event"], {"title": f"Mesa {n()}"}),
            SECRETARIAT,
        ),
        "cocreation.save_tally": (
            lambda a: cocreation.save_tally(
                a, None, {"event": w["event"], "state": 3, "source": f"S {n()}"}
            ),
            SECRETARIAT,
        ),
        "cocreation.record_contribution": (
            lambda a: cocreation.record_contribution(
                a, {"plan": plan, "channel": "letter", "text": "x", "received_at": timezone.now()}
            ),
            SECRETARIAT,
        ),
        "cocreation.publish_response": (
            lambda a: cocreation.publish_response(
                a,
                w["contribution"],
                {
                    "outcome": "adopted",
                    "text": "Sí.",
                    "deciding_body": "secretariat",
                    "decided_on": dt.date(2024, 1, 1),
                },
            ),
            SECRETARIAT,
        ),
        "cocreation.save_draft": (
            lambda a: cocreation.save_draft(a, w["contribution"], DRAFT),
            DRAFTER,
        ),
        "cocreation.publish_draft": (
            lambda a: cocreation.publish_draft(
                a, cocreation.save_draft(SYSTEM, w["contribution"], DRAFT)
            ),
            SECRETARIAT,
        ),
        "cocreation.discard_draft": (
            lambda a: cocreation.discard_draft(
                a, cocreation.save_draft(SYSTEM, w["contribution"], DRAFT)
            ),
            DRAFTER,
        ),
        "cocreation.record_attendance": (
            lambda a: cocreation.record_attendance(a, w["registration"], True),
            SECRETARIAT,
        ),
        "cocreation.add_evidence": (
            lambda a: cocreation.add_evidence(
                a,
                {
                    "event": w["event"],
                    "kind": "minutes",
                    "title": "Acta",
                    "url": "https://example.org/a",
                },
            ),
            SECRETARIAT,
        ),
        "cocreation.save_faq": (
            lambda a: cocreation.save_faq(a, None, {"question": "¿?", "answer": "Sí."}),
            SECRETARIAT,
        ),
        "cocreation.save_reported_figure": (
            lambda a: cocreation.save_reported_figure(
                a,
                None,
                {
                    "plan": plan,
                    "key": f"f-{n()}",
                    "measure": "participants",
                    "total": 5,
                    "source": "x",
                },
            ),
            SECRETARIAT,
        ),
        "cocreation.post_official_answer": (
            lambda a: cocreation.post_official_answer(
                a, commitment, "Respuesta oficial", commitment.lead_organization
            ),
            OFFICER,
        ),
        "cocreation.moderate_post": (
            lambda a: cocreation.moderate_post(a, w["post"], "published"),
            SECRETARIAT,
        ),
        "monitoring.submit_progress": (
            lambda a: monitoring.submit_progress(
                a,
                milestone,
                {
                    "status": "in_progress",
                    "percent": 20,
                    "narrative": "x",
                    "fact_date": dt.date(2025, 1, 2),
                },
            ),
            OFFICER,
        ),
        "monitoring.review_progress": (
            lambda a: monitoring.review_progress(a, w["report"], True),
            SECRETARIAT,
        ),
        "monitoring.save_officer": (
            lambda a: monitoring.save_officer(
                a, None, {"user": w["accounts"]["participant"], "organization": w["lead"]}
            ),
            SECRETARIAT,
        ),
        "monitoring.remove_officer": (
            lambda a: monitoring.remove_officer(
                a, Officer.objects.get(pk=w["officer_link"].pk), "rotación"
            ),
            SECRETARIAT,
        ),
        "monitoring.save_indicator": (
            lambda a: monitoring.save_indicator(
                a,
                None,
                {"commitment": commitment, "key": f"k{n()}", "name": "I", "level": "outcome"},
            ),
            SECRETARIAT,
        ),
        "monitoring.save_measurement": (
            lambda a: monitoring.save_measurement(
                a,
                None,
                {"indicator": w["indicator"], "measured_on": dt.date(2025, 1, 1), "value": 3},
            ),
            SECRETARIAT,
        ),
        "monitoring.override_completion": (
            lambda a: monitoring.override_completion(a, commitment, "limited", "porque"),
            SECRETARIAT,
        ),
        "monitoring.generate_self_assessment": (
            lambda a: monitoring.generate_self_assessment(a, plan, "mid_term"),
            SECRETARIAT,
        ),
        "assessment.save_rating": (
            lambda a: assessment.save_rating(
                a,
                None,
                {
                    "commitment": commitment,
                    "methodology": "A_2017",
                    "stage": "design",
                    "verifiability": "specific",
                    "potential_impact": "moderate",
                    "source": "x",
                },
            ),
            ASSESSOR,
        ),
        "assessment.save_followup": (
            lambda a: assessment.save_followup(
                a,
                None,
                {
                    "plan": plan,
                    "number": n(),
                    "recommendation": "r",
                    "addressed": True,
                    "integrated": False,
                    "source": "x",
                },
            ),
            ASSESSOR,
        ),
        "assessment.save_published_figure": (
            lambda a: assessment.save_published_figure(
                a,
                None,
                {
                    "plan": plan,
                    "table": "design",
                    "key": "relevant",
                    "value": 1,
                    "source": "Informe de diseño",
                },
            ),
            ASSESSOR,
        ),
        "assessment.override_process": (
            lambda a: assessment.override_process(
                a, plan, "2021:3.1", "met", "Publicado en el diario oficial."
            ),
            ASSESSOR,
        ),
        "forum.save_forum": (
            lambda a: forum.save_forum(a, w["frm"], {"name": f"Foro {n()}"}),
            SECRETARIAT,
        ),
        "forum.publish_rules": (
            lambda a: forum.publish_rules(a, w["frm"], {"kind": "mandate", "text": "Reglas"}),
            SECRETARIAT,
        ),
        "forum.save_membership": (
            lambda a: forum.save_membership(
                a,
                None,
                {
                    "forum": w["frm"],
                    "person": "P",
                    "organization": w["lead"],
                    "sector": "government",
                    "subsector": "executive",
                    "starts_on": dt.date(2024, 1, 1),
                    "selection": "appointment",
                },
            ),
            SECRETARIAT,
        ),
        "forum.save_session": (
            lambda a: forum.save_session(a, w["session"], {"agenda": f"A {n()}"}),
            SECRETARIAT,
        ),
        "forum.save_decision": (
            lambda a: forum.save_decision(a, None, {"session": w["session"], "text": "D"}),
            SECRETARIAT,
        ),
        "forum.save_initiative": (
            lambda a: forum.save_initiative(
                a, None, {"name": f"I {n()}", "kind": "actor", "description": "d"}
            ),
            SECRETARIAT,
        ),
        "forum.save_good_practice": (
            lambda a: forum.save_good_practice(
                a,
                None,
                {
                    "title": "B",
                    "description": "d",
                    "criteria": ["results"],
                    "evidence": "e",
                    "commitment": commitment,
                    "identified_on": dt.date(2025, 1, 1),
                },
            ),
            SECRETARIAT,
        ),
        "repository.save_document": (
            lambda a: repository.save_document(a, w["document"], {"title": f"Acta {n()}"}),
            SECRETARIAT,
        ),
        "repository.add_version": (
            lambda a: repository.add_version(
                a, w["document"], SimpleUploadedFile("b.pdf", PDF), "v2"
            ),
            SECRETARIAT,
        ),
        "repository.publish_document": (
            lambda a: repository.publish_document(
                a,
                {"kind": "other", "title": "X", "document_date": "2024-01-01", "plan": plan},
                SimpleUploadedFile("c.pdf", PDF),
            ),
            SECRETARIAT,
        ),
        # a generated document is stored as a repository version
        "reports.generate_document": (
            lambda a: reports.generate_document(a, plan, "action_plan", "docx", "es"),
            SECRETARIAT,
        ),
        "accounts.reset_second_factor": (
            lambda a: accounts_services.reset_second_factor(
                a, w["accounts"]["superuser"], send=False
            ),
            {"superuser"},  # accounts.change_user
        ),
        "accounts.save_account": (
            lambda a: accounts_services.save_account(
                a, w["accounts"]["participant"], ["display_name"], creating=False
            ),
            {"superuser"},  # accounts.change_user
        ),
        "workbench.decide_many": (
            lambda a: workbench.decide_many(
                a, [workbench.DecisionItem(w["contribution"], DRAFT)], publish=False
            ),
            DRAFTER,
        ),
        "workbench.publish_drafts": (
            lambda a: workbench.publish_drafts(
                a,
                [workbench.DraftChoice(cocreation.save_draft(SYSTEM, w["contribution"], DRAFT))],
            ),
            SECRETARIAT,
        ),
        "workbench.discard_drafts": (
            lambda a: workbench.discard_drafts(
                a,
                [workbench.DraftChoice(cocreation.save_draft(SYSTEM, w["contribution"], DRAFT))],
            ),
            DRAFTER,
        ),
        "workbench.save_template": (
            lambda a: workbench.save_template(
                a, None, {"name": f"Plantilla {n()}", "body": "Hola"}
            ),
            SECRETARIAT,
        ),
        "workbench.run_triage": (lambda a: workbench.run_triage(a, plan), DRAFTER),
        "workbench.upload_matrix": (
            lambda a: workbench.upload_matrix(a, plan, SimpleUploadedFile("m.csv", MATRIX_CSV)),
            SECRETARIAT,
        ),
        "workbench.check_matrix": (
            lambda a: workbench.check_matrix(a, *matrix_import(plan)),
            SECRETARIAT,
        ),
        "workbench.import_matrix": (
            lambda a: workbench.import_matrix(a, *matrix_import(plan, checked=True)[:2]),
            SECRETARIAT,
        ),
        "api.revoke_tokens": (
            lambda a: api.revoke_tokens(
                a,
                ApiToken.objects.filter(
                    pk=api.issue_token(w["accounts"]["participant"], f"T {n()}")[0].pk
                ),
            ),
            SECRETARIAT,
        ),
    }


def actor_services() -> set[str]:
    """Every public function of traza.*.services whose first parameter is the actor."""
    found = set()
    for module_info in pkgutil.iter_modules(traza.__path__):
        try:
            module = importlib.import_module(f"traza.{module_info.name}.services")
        except ModuleNotFoundError:
            continue
        for name, function in vars(module).items():
            if name.startswith("_") or name in HELPERS or not callable(function):
                continue
            declared_in = getattr(function, "__module__", "")
            # a services package's own modules count (a service that is not one transaction,
            # such as workbench.run_triage, has no __wrapped__)
            if (
                declared_in != module.__name__
                and not declared_in.startswith(f"{module.__name__}.")
                and not hasattr(function, "__wrapped__")
            ):
                continue
            try:
                parameters = list(inspect.signature(function).parameters)
            except (TypeError, ValueError):
                continue
            if parameters and parameters[0] == "actor":
                found.add(f"{module_info.name}.{name}")
    return found


def test_the_matrix_names_every_write_service(world):
    assert actor_services() == set(actions(world))


def attempt(call, actor) -> bool:
    try:
        with transaction.atomic():
            call(actor)
            raise Rollback
    except Rollback:
        return True
    except PermissionDenied:
        return False


def test_exactly_the_allowed_roles_succeed(world):
    wrong = []
    for name, (call, allowed) in actions(world).items():
        for role in ROLES:
            actor = _Anonymous() if role == "public" else world["accounts"][role]
            succeeded = attempt(call, actor)
            if succeeded != (role in allowed):
                wrong.append(f"{name} by {role}: {'allowed' if succeeded else 'refused'}")
    assert not wrong, "\n".join(wrong)


class _Anonymous:
    """Someone without an account: holds no permission."""

    pk = None
    is_authenticated = False
    is_superuser = False

    def has_perm(self, perm, obj=None):
        return False

    def get_username(self):
        return ""
