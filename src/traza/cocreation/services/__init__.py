"""Writes of co-creation: permission, validation and trace in one transaction.

One module per section; every public name is importable from here, as before the split."""

from traza.cocreation.services.contributions import (
    CONTRIBUTION_TRACED_FIELDS,
    consultation_open,
    receipt_mail_context,
    record_contribution,
    record_public_contribution,
    second_contribution,
    send_receipt,
    submit_contribution,
)
from traza.cocreation.services.discussion import (
    discussion_open,
    moderate_post,
    post_message,
    post_official_answer,
    running_consultation,
)
from traza.cocreation.services.events import save_event, save_tally, save_timeline
from traza.cocreation.services.evidence import add_evidence
from traza.cocreation.services.faq import save_faq
from traza.cocreation.services.figures import save_reported_figure
from traza.cocreation.services.registrations import (
    cancel_registration,
    record_attendance,
    register,
    registration_open,
)
from traza.cocreation.services.responses import (
    DECISION_FIELDS,
    ResponseConflict,
    discard_draft,
    draft_version,
    may_publish_draft,
    publish_draft,
    publish_response,
    published_revision,
    response_snapshot,
    save_draft,
    tells_author,
)

__all__ = [
    "CONTRIBUTION_TRACED_FIELDS",
    "DECISION_FIELDS",
    "ResponseConflict",
    "add_evidence",
    "cancel_registration",
    "consultation_open",
    "discard_draft",
    "discussion_open",
    "draft_version",
    "may_publish_draft",
    "moderate_post",
    "post_message",
    "post_official_answer",
    "publish_draft",
    "publish_response",
    "published_revision",
    "receipt_mail_context",
    "record_attendance",
    "record_contribution",
    "record_public_contribution",
    "register",
    "registration_open",
    "response_snapshot",
    "running_consultation",
    "save_draft",
    "save_event",
    "save_faq",
    "save_reported_figure",
    "save_tally",
    "save_timeline",
    "second_contribution",
    "send_receipt",
    "submit_contribution",
    "tells_author",
]
