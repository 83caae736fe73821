"""Convert the Peru 2017-2019 reference data into Traza's import format.

    python tools/convert_peru.py [SOURCE] [TARGET]

SOURCE defaults to tools/data/peru-2017-2019.source.json (a copy of shared/data/), TARGET to
src/traza/demo/peru-2017-2019.json. The output is deterministic.
"""

from __future__ import annotations

import calendar
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tools/data/peru-2017-2019.source.json"
TARGET = ROOT / "src/traza/demo/peru-2017-2019.json"
VALUES = [
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
]


def slug(text: str, limit: int = 120) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:limit].rstrip("-")


def acronym(name: str) -> str:
    found = re.findall(r"\(([A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ\-]+)\)", name)
    return found[0] if found else ""


def month_start(value: str | None) -> str | None:
    return f"{value}-01" if value else None


def month_end(value: str | None) -> str | None:
    if not value:
        return None
    year, month = map(int, value.split("-"))
    return f"{value}-{calendar.monthrange(year, month)[1]:02d}"


def theme_name(raw: str) -> str:
    """'Ambiente (industrias extractivas)' → 'Ambiente': the plan's six axes plus Transversal."""
    return raw.split(" (")[0].strip()


def convert(source: dict) -> dict:
    plan = source["plan"]
    organizations: dict[str, dict] = {}

    def organization(name: str) -> str:
        key = slug(name)
        organizations.setdefault(
            key,
            {
                "key": key,
                "name": name,
                "acronym": acronym(name),
                "sector": "public",
                "civil_society_type": "",
            },
        )
        return key

    themes: dict[str, dict] = {}
    commitments = []
    for item in source["commitments"]:
        name = theme_name(item["theme"])
        themes.setdefault(slug(name), {"key": slug(name), "name": name})
        relevance = item["irm"]["relevance"]
        origin = item.get("origin") or ""
        if item.get("origin_note"):
            origin = f"{origin}\n{item['origin_note']}".strip()
        notes = [item.get("notes") or ""]
        notes.append(
            "Valores OGP según la lectura del MRI (informe de diseño 2017-2019); "
            "el texto del plan no los declara por compromiso."
        )
        commitments.append(
            {
                "number": item["number"],
                "title": item["title"],
                "summary": item["text_summary"],
                "problem": "",
                "status_quo": "",
                "change_sought": "",
                "contribution": "",
                "origin": origin,
                "notes": "\n".join(n for n in notes if n),
                "starts_on": month_start(item.get("start")),
                "ends_on": month_end(item.get("end")),
                "status": "closed",
                "lead_organization": organization(item["lead_institution"]),
                "supporting_organizations": sorted(
                    organization(n) for n in item["supporting_institutions"]
                ),
                "theme": slug(name),
                "ogp_values": [v for v in VALUES if relevance.get(v)],
                "milestones": [
                    {
                        "number": m["number"],
                        "text": m["text"] + (f"\n{m['detail']}" if m.get("detail") else ""),
                        "starts_on": m.get("start"),
                        "ends_on": m.get("end"),
                        "deliverable": "",
                        "verification_means": "",
                        "indicator": "",
                        "indicator_level": "",
                        "baseline": "",
                        "target": "",
                    }
                    for m in item["milestones"]
                ],
            }
        )
    ends = [c["ends_on"] for c in commitments if c["ends_on"]]
    starts = [c["starts_on"] for c in commitments if c["starts_on"]]
    history = {p["ordinal"]: p for p in source["history"]["plans"]}
    compliance = {c["plan"]: c["percent"] for c in source["history"]["compliance_levels"]}

    def history_plan(ordinal: str, number: int) -> dict:
        entry = history[ordinal]
        first, last = (int(y) for y in entry["name"].split()[-1].split("-"))
        notes = "Ejes temáticos: " + "; ".join(entry["themes"]) + "."
        if ordinal in compliance:
            notes += f" Nivel de cumplimiento: {compliance[ordinal]} % (SGP, según el documento de política de 2021)."
        notes += " Fuente: documento de política de gobierno abierto de la SGP-PCM (2021)."
        return {
            "member": "peru",
            "number": number,
            "title": f"{ordinal.split()[0]} Plan de Acción de Gobierno Abierto {first}-{last}",
            "period_start": first,
            "period_end": last,
            "stage": "closed",
            "preparatory_starts_on": None,
            "co_creation_starts_on": None,
            "co_creation_ends_on": None,
            "implementation_starts_on": None,
            "implementation_ends_on": None,
            "approval_instrument": (entry["approved_by"] or "").replace(" – ", "-"),
            "approved_on": None,
            "reported_commitment_count": entry["commitments"],
            "notes": notes,
            "commitments": [],
        }

    first, last = (int(y) for y in plan["period"].split("-"))
    plan_three = {
        "member": "peru",
        "number": plan["number"],
        "title": plan["title"],
        "period_start": first,
        "period_end": last,
        "stage": "closed",
        "preparatory_starts_on": "2017-05-01",
        "co_creation_starts_on": plan["co_creation"]["start"],
        "co_creation_ends_on": plan["co_creation"]["end"],
        "implementation_starts_on": min(starts),
        "implementation_ends_on": max(ends),
        "approval_instrument": plan["approved_by"],
        "approved_on": plan["approved_on"],
        "reported_commitment_count": plan["number_of_commitments"],
        "notes": (
            f"Coordinación: {plan['coordinating_institution']}. "
            f"Apoyo técnico: {plan['co_creation']['technical_support']}. "
            f"Etapa preparatoria: mayo a agosto de 2017; cocreación del "
            f"{plan['co_creation']['start']} al {plan['co_creation']['end']}."
        ),
        "commitments": commitments,
    }
    return {
        "format": "traza",
        "version": 1,
        "source": (
            "Peru's third OGP action plan (2017-2019) as read from the IRM design report and the "
            "government's documents (shared/data/peru-2017-2019.json); plans I, II and IV as "
            "history from the SGP-PCM 2021 policy paper. Converted by tools/convert_peru.py."
        ),
        "members": [
            {
                "key": "peru",
                "name": "Perú",
                "kind": "national",
                "member_since": plan["ogp_member_since"],
            }
        ],
        "organizations": sorted(organizations.values(), key=lambda o: o["key"]),
        "themes": sorted(themes.values(), key=lambda t: t["key"]),
        "plans": [
            history_plan("I PAGA", 1),
            history_plan("II PAGA", 2),
            plan_three,
            history_plan("IV PAGA", 4),
        ],
    }


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else TARGET
    data = convert(json.loads(source.read_text(encoding="utf-8")))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
