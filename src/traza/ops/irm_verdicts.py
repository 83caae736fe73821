"""The IRM's own verdicts on the Peru demo's process (Annex I of the 2017-2019 design report
and the level of public influence of its Table 1), loaded by ``traza load-demo`` as the
assessor's verdicts, so that the process page shows them beside what Traza computes, with the
agreement count and why each one differs.

The file (``demo/peru-2017-2019-irm-verdicts.json``) is a copy of the shared reference data
with its source; every verdict goes through ``assessment.services.override_process`` (checked,
justified, traced), and loading it again writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

from traza.assessment import services as assessment_services
from traza.assessment.standards.vocabulary import Phase, influence_subject, standard_subject
from traza.core.services import SYSTEM
from traza.plans.models import ActionPlan

VERDICTS_FILE = "demo/peru-2017-2019-irm-verdicts.json"


def read_verdicts() -> dict[str, Any]:
    return json.loads(resources.files("traza").joinpath(VERDICTS_FILE).read_text("utf-8"))


def _justification(document: dict[str, Any], where: str, item: str, raw: str, note: str) -> str:
    parts = [f"{document['source']}, {where}, {item}: {raw}."]
    if note:
        parts.append(note)
    parts.append(
        "El informe no tiene fecha en el texto disponible: la fecha anotada es la de su cita "
        "fechada más reciente."
    )
    return " ".join(parts)


def verdicts(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(subject, value, justification) of every verdict in the file."""
    key = document["key"]
    annex = document["annex_i"]
    rows = []
    for row in annex["standards"]:
        value, meaning = key[row["status"]]
        item = f"{row['code']} «{row['name']}»"
        rows.append(
            (
                standard_subject(annex["edition"], row["code"]),
                value,
                _justification(document, annex["where"], item, meaning, row.get("note", "")),
            )
        )
    for row in document["influence"]:
        rows.append(
            (
                influence_subject(Phase(row["phase"])),
                row["value"],
                _justification(
                    document, row["where"], "nivel de influencia del público", row["raw"], ""
                ),
            )
        )
    return rows


def load_irm_verdicts(actor: Any = SYSTEM) -> int:
    """Record the IRM's verdicts on the Peru plan as the assessor's; returns how many were
    written (0 when they were already there, or the plan is not loaded)."""
    document = read_verdicts()
    plan = ActionPlan.objects.filter(
        member__slug=document["plan"]["member"], number=document["plan"]["number"]
    ).first()
    if plan is None:
        return 0
    decided_on = dt.date.fromisoformat(document["decided_on"])
    written = 0
    for subject, value, justification in verdicts(document):
        saved = assessment_services.override_process.traced(
            actor, plan, subject, value, justification, decided_on
        )
        written += saved.changed
    return written
