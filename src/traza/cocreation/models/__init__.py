"""The co-creation models, one module per section; every name is importable from here.

The modules are imported in the order the models were declared when this was one file, so
the app registry (and whatever walks it, such as a backup) sees them in the same order."""

# The declaration order (see above), not the alphabetical one:
# isort: off
from traza.cocreation.models._common import HIDDEN, PublicAuthor
from traza.cocreation.models.events import (
    AttendanceTally,
    Event,
    EventKind,
    EventStatus,
    Timeline,
    notice_days_setting,
)
from traza.cocreation.models.contributions import Channel, Contribution, ContributionQuerySet
from traza.cocreation.models.responses import (
    CHANGING_OUTCOMES,
    DecidingBody,
    Outcome,
    ReasonCategory,
    Decision,
    Response,
    ResponseDraft,
    ResponseQuerySet,
    ResponseRevision,
)
from traza.cocreation.models.registrations import Registration, RegistrationStatus
from traza.cocreation.models.evidence import Evidence, EvidenceKind, EvidenceQuerySet
from traza.cocreation.models.faq import FaqEntry
from traza.cocreation.models.seconds import Second
from traza.cocreation.models.figures import (
    FUNNEL_MEASURES,
    Measure,
    ReportedFigure,
    validate_breakdown,
)
from traza.cocreation.models.discussion import DiscussionPost, ModerationCategory, PostStatus
from traza.cocreation.models.tallies import (
    CommitmentTally,
    ContributionTally,
    DelayTally,
    PlanTally,
)
# isort: on

__all__ = [
    "CHANGING_OUTCOMES",
    "FUNNEL_MEASURES",
    "HIDDEN",
    "AttendanceTally",
    "Channel",
    "CommitmentTally",
    "Contribution",
    "ContributionQuerySet",
    "ContributionTally",
    "DecidingBody",
    "Decision",
    "DelayTally",
    "DiscussionPost",
    "Event",
    "EventKind",
    "EventStatus",
    "Evidence",
    "EvidenceKind",
    "EvidenceQuerySet",
    "FaqEntry",
    "Measure",
    "ModerationCategory",
    "Outcome",
    "PlanTally",
    "PostStatus",
    "PublicAuthor",
    "ReasonCategory",
    "Registration",
    "RegistrationStatus",
    "ReportedFigure",
    "Response",
    "ResponseDraft",
    "ResponseQuerySet",
    "ResponseRevision",
    "Second",
    "Timeline",
    "notice_days_setting",
    "validate_breakdown",
]
