"""OGP's participation and co-creation standards, the level of public influence and the
"acted contrary to process" verdict, computed from Traza's data (OGP-RULES.md §2-§4). Each rule
returns a status, a one-line explanation and the evidence it read; an assessor's override is
shown beside the computed value.

- ``registry``: editions (with their dates) and standards, each declared once;
- ``editions/``: OGP's editions, one module each (registered on import);
- ``gather``: what the rules read, once per plan; ``verdicts``: findings, verdicts, helpers;
- ``influence``: public influence and the contrary rules; ``health``: the whole picture and the
  warnings.

Thresholds that are OGP's rules are constants of their edition (two weeks, a quarter, six
months, two meetings a year); product choices are settings (docs/operations.md)."""

from traza.assessment.standards import editions  # noqa: F401  (registers OGP's editions)
from traza.assessment.standards.gather import ProcessData, gather
from traza.assessment.standards.health import (
    EditionVerdicts,
    ProcessHealth,
    RiskWarning,
    process_health,
    process_warnings,
    warnings_from,
)
from traza.assessment.standards.influence import (
    Contrary,
    Influence,
    acted_contrary,
    development_influence,
    implementation_influence,
)
from traza.assessment.standards.registry import (
    Edition,
    Standard,
    allowed_override_values,
    register_edition,
    register_standard,
    standard,
    unregister_edition,
    unregister_standard,
)
from traza.assessment.standards.verdicts import EvidenceLink, Finding, Verdict
from traza.assessment.standards.vocabulary import (
    INFLUENCE_LABELS,
    INFLUENCE_LEVELS,
    STATUS_LABELS,
    STATUSES,
    InfluenceLevel,
    Phase,
    Status,
    Subject,
    YesNo,
)

__all__ = [
    "INFLUENCE_LABELS",
    "INFLUENCE_LEVELS",
    "STATUSES",
    "STATUS_LABELS",
    "Contrary",
    "Edition",
    "EditionVerdicts",
    "EvidenceLink",
    "Finding",
    "Influence",
    "InfluenceLevel",
    "Phase",
    "ProcessData",
    "ProcessHealth",
    "RiskWarning",
    "Standard",
    "Status",
    "Subject",
    "Verdict",
    "YesNo",
    "acted_contrary",
    "allowed_override_values",
    "development_influence",
    "gather",
    "implementation_influence",
    "process_health",
    "process_warnings",
    "register_edition",
    "register_standard",
    "standard",
    "unregister_edition",
    "unregister_standard",
    "warnings_from",
]
