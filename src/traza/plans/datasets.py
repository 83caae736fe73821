"""The open datasets of the plans app: members, organisations, themes, plans, commitments and
milestones (registered in ``PlansConfig.ready()``; see ``traza.core.datasets``)."""

from __future__ import annotations

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_noop

from traza.core.datasets import Column as C
from traza.core.datasets import Dataset
from traza.plans.models import ActionPlan, Commitment, Member, Milestone, Organization, Theme


def _plans() -> QuerySet:
    return ActionPlan.objects.annotate(member_key=F("member__slug"))


def _commitments() -> QuerySet:
    return Commitment.objects.annotate(
        plan_ref=F("plan_id"),
        theme_name=Coalesce(F("theme__name"), Value("")),
        lead_institution=Coalesce(F("lead_organization__name"), Value("")),
    )


def _milestones() -> QuerySet:
    return Milestone.objects.annotate(
        commitment_ref=F("commitment_id"), plan_ref=F("commitment__plan_id")
    )


DATASETS = (
    Dataset(
        "members",
        "OGP members",
        gettext_noop("Countries and local governments that take part in OGP."),
        [
            C("id", "integer", "identifier"),
            C("slug", "string", "key"),
            C("name", "string", "name"),
            C("kind", "string", "national or local"),
            C("member_since", "integer", "year it joined OGP"),
        ],
        lambda: Member.objects.all(),
        position=10,
    ),
    Dataset(
        "organizations",
        "Organisations",
        gettext_noop("Public institutions and civil-society organisations named in the plans."),
        [
            C("id", "integer", "identifier"),
            C("slug", "string", "key"),
            C("name", "string", "name"),
            C("acronym", "string", "acronym"),
            C("sector", "string", "public, civil_society or other"),
            C("civil_society_type", "string", "type of civil-society organisation"),
        ],
        lambda: Organization.objects.all(),
        filters={"sector": ("sector", str)},
        position=20,
    ),
    Dataset(
        "themes",
        "Themes",
        gettext_noop("Themes of the commitments."),
        [
            C("id", "integer", "identifier"),
            C("slug", "string", "key"),
            C("name", "string", "name"),
        ],
        lambda: Theme.objects.all(),
        position=30,
    ),
    Dataset(
        "plans",
        "Action plans",
        gettext_noop("OGP action plans with their dates and stage."),
        [
            C("id", "integer", "identifier"),
            C("member_key", "string", "OGP member (key)"),
            C("number", "integer", "number of the plan for its member"),
            C("title", "string", "title"),
            C("period_start", "integer", "first year"),
            C("period_end", "integer", "last year"),
            C("stage", "string", "preparatory, co_creation, approval, implementation or closed"),
            C("co_creation_starts_on", "date", "co-creation starts"),
            C("co_creation_ends_on", "date", "co-creation ends"),
            C("implementation_starts_on", "date", "implementation starts"),
            C("implementation_ends_on", "date", "implementation ends"),
            C("approval_instrument", "string", "instrument that approved the plan"),
            C("approved_on", "date", "approval date"),
            C(
                "reported_commitment_count",
                "integer",
                "number of commitments the sources report, for plans kept as history",
            ),
            C("is_fictional", "boolean", "invented demonstration data (the living demo)"),
        ],
        _plans,
        position=40,
    ),
    Dataset(
        "commitments",
        "Commitments",
        gettext_noop("Commitments and proposals, with their status and OGP values."),
        [
            C("id", "integer", "identifier"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("number", "integer", "number in the plan"),
            C("title", "string", "title"),
            C("status", "string", "proposal, discarded, approved, withdrawn or closed"),
            C("summary", "string", "summary"),
            C("problem", "string", "public problem"),
            C("change_sought", "string", "change sought"),
            C("origin", "string", "origin"),
            C("theme_name", "string", "theme"),
            C("lead_institution", "string", "lead institution"),
            C("access_to_information", "boolean", "declares access to information"),
            C("civic_participation", "boolean", "declares civic participation"),
            C("public_accountability", "boolean", "declares public accountability"),
            C("technology_innovation", "boolean", "declares technology and innovation"),
            C("starts_on", "date", "start"),
            C("ends_on", "date", "end"),
            C("decision_reason", "string", "why a proposal was discarded"),
            C("ogp_id", "string", "identifier in OGP's data"),
        ],
        _commitments,
        filters={
            "plan": ("plan_id", int),
            "status": ("status", str),
            "theme": ("theme__slug", str),
        },
        position=50,
    ),
    Dataset(
        "milestones",
        "Milestones",
        gettext_noop("Milestones of the commitments."),
        [
            C("id", "integer", "identifier"),
            C("commitment_ref", "integer", "commitment (commitments.id)"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("number", "integer", "number in the commitment"),
            C("text", "string", "milestone"),
            C("starts_on", "date", "start"),
            C("ends_on", "date", "end"),
            C("deliverable", "string", "deliverable"),
            C("verification_means", "string", "means of verification"),
        ],
        _milestones,
        filters={"plan": ("commitment__plan_id", int), "commitment": ("commitment_id", int)},
        position=60,
    ),
)
