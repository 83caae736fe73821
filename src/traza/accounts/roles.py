"""The roles of Traza, as groups of permissions (kept in step after every migration).
What each role may do is tested action by action (tests/accounts/test_role_matrix.py) and
listed in docs/security.md. Object-level limits live in the services: an institution officer
reports and answers only for the organisations they are linked to."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

# Group name → permissions: "app.codename", or "app.*" for every permission of an app.
ROLES: dict[str, list[str]] = {
    # anyone signed up: takes part through the public forms, under their name if they wish
    "participant": [],
    # speaks for a civil-society organisation in discussions and the forum's public form
    "civil_society_representative": [],
    # a member of the multi-stakeholder forum: seats and sessions are recorded by the
    # secretariat; members take part through the sessions and the forum's public form
    "forum_member": [],
    # reports progress and answers officially for their own institution (Officer links)
    "institution_officer": [
        "monitoring.add_progressreport",
        "monitoring.add_progressevidence",
        "cocreation.answer_officially",
    ],
    # drafts reasoned responses in the workbench; someone holding "publish" publishes them
    # (with TRAZA_RESPONSE_FOUR_EYES on, never the drafter)
    "response_drafter": [
        "cocreation.draft_response",
        "cocreation.view_contribution",
        "cocreation.view_response",
        "cocreation.view_responsedraft",
        "workbench.view_responsetemplate",
    ],
    # records the IRM's ratings, the figures its reports printed, the follow-up of
    # recommendations and overrides of the computed standards
    "assessor": [
        "assessment.add_rating",
        "assessment.change_rating",
        "assessment.view_rating",
        "assessment.add_recommendationfollowup",
        "assessment.change_recommendationfollowup",
        "assessment.add_publishedfigure",
        "assessment.change_publishedfigure",
        "assessment.view_publishedfigure",
        "assessment.add_processoverride",
        "assessment.change_processoverride",
        "assessment.view_processoverride",
    ],
    # the open-government secretariat (point of contact): runs the process
    "secretariat": [
        "plans.*",
        "cocreation.*",
        "monitoring.*",
        "forum.*",
        "repository.*",
        "workbench.*",
        "notifications.view_outboxmessage",
        "notifications.change_outboxmessage",
        "assessment.view_rating",
        "assessment.view_processoverride",
        "assessment.receive_process_warnings",
        "api.view_apitoken",
        "api.change_apitoken",
    ],
}


def _permissions(spec: list[str]):
    query = Q(pk__in=[])
    for item in spec:
        app, codename = item.split(".", 1)
        if codename == "*":
            query |= Q(content_type__app_label=app)
        else:
            query |= Q(content_type__app_label=app, codename=codename)
    return Permission.objects.filter(query)


def ensure_roles(**kwargs) -> None:
    """Create or update the role groups (a post_migrate handler: idempotent)."""
    for name, spec in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(spec))
