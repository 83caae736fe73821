"""The open datasets of the multi-stakeholder forums: sessions (minutes once published) and
seats (registered in ``ForumConfig.ready()``; see ``traza.core.datasets``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, QuerySet
from django.utils.translation import gettext_noop

from traza.core.datasets import Column as C
from traza.core.datasets import Dataset
from traza.forum.models import Membership, Session


def _sessions() -> QuerySet:
    return Session.objects.annotate(
        forum_ref=F("forum_id"),
        forum_name=F("forum__name"),
        members_present=Count("attendees", distinct=True),
    )


def _session_row(row: dict) -> dict:
    """Minutes are public from their publication date."""
    published = row["minutes_published_on"]
    if not published or published > dt.date.today():
        row["minutes"], row["minutes_url"], row["minutes_published_on"] = "", "", None
    return row


def _forum_members() -> QuerySet:
    return Membership.objects.annotate(
        forum_ref=F("forum_id"), organization_name=F("organization__name")
    )


DATASETS = (
    Dataset(
        "forum_sessions",
        "Forum sessions",
        gettext_noop("Sessions of the multi-stakeholder forums; minutes once published."),
        [
            C("id", "integer", "identifier"),
            C("forum_ref", "integer", "forum"),
            C("forum_name", "string", "forum"),
            C("held_on", "date", "date"),
            C("modality", "string", "in_person, remote or hybrid"),
            C("agenda", "string", "agenda"),
            C("agenda_co_set", "boolean", "agenda set with civil society"),
            C("open_to_non_members", "boolean", "open to non-members"),
            C("members_present", "integer", "members present (count)"),
            C("other_attendance", "integer", "other participants (count)"),
            C("minutes", "string", "minutes"),
            C("minutes_url", "string", "minutes (link)"),
            C("minutes_published_on", "date", "minutes published on"),
        ],
        _sessions,
        post=_session_row,
        position=160,
    ),
    Dataset(
        "forum_members",
        "Forum members",
        gettext_noop(
            "Seats of the multi-stakeholder forums (forum members are public figures of the process)."
        ),
        [
            C("id", "integer", "identifier"),
            C("forum_ref", "integer", "forum"),
            C("person", "string", "person"),
            C("organization_name", "string", "organisation"),
            C("sector", "string", "government or non_government"),
            C("subsector", "string", "subsector"),
            C("role", "string", "co_chair, member or alternate"),
            C("decision_power", "boolean", "decision-making power"),
            C("starts_on", "date", "term starts"),
            C("ends_on", "date", "term ends"),
            C("selection", "string", "how the member was selected"),
            C("selection_call_url", "string", "call for members"),
        ],
        _forum_members,
        position=170,
    ),
)
