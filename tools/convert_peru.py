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


LIMA = "-05:00"
IRM = "Informe de diseño del MRI 2017-2019 (listas de asistencia firmadas)"
GOV = "Sistematización del proceso de cocreación 2017 (Gobierno, Cuadro 3)"
THEMATIC_TABLE_THEMES = {
    "Ambiente y saneamiento": ["ambiente", "saneamiento"],
    "Salud": ["salud"],
    "Educación": ["educacion"],
    "Interior": ["seguridad-ciudadana"],
    "Infraestructura": ["infraestructura"],
}


def at(day: str, hour: str) -> str:
    return f"{day}T{hour}:00{LIMA}"


def event(
    key,
    kind,
    title,
    day,
    end_day=None,
    *,
    place="",
    region="",
    themes=(),
    description="",
    source="",
    attendance=(),
):
    return {
        "key": key,
        "kind": kind,
        "title": title,
        "description": description,
        "region": region,
        "place": place,
        "online_url": "",
        "starts_at": at(day, "09:00"),
        "ends_at": at(end_day or day, "13:00" if not end_day else "18:00"),
        "registration_opens_at": None,
        "registration_closes_at": None,
        "capacity": None,
        "status": "held",
        "announced_at": None,
        "source": source,
        "organiser": "presidencia-del-consejo-de-ministros-secretaria-de-gestion-publica-sgp-pcm",
        "themes": sorted(themes),
        "attendance": list(attendance),
    }


def tally(source, state, civil_society, others, note=""):
    return {
        "source": source,
        "state": state,
        "civil_society": civil_society,
        "others": others,
        "note": note,
    }


def events_2017(participation: dict) -> list[dict]:
    """The 2017 co-creation events as the IRM report and the government's account record them."""
    thematic = participation["thematic_tables"]
    days = ", ".join(thematic["dates"])
    items = [
        event(
            f"mesa-tematica-{slug(row['mesa'])}",
            "thematic_table",
            f"Mesa temática: {row['mesa']}",
            thematic["dates"][0],
            thematic["dates"][-1],
            place=thematic["place"],
            region="Lima",
            themes=THEMATIC_TABLE_THEMES[row["mesa"]],
            description=(
                f"Las mesas temáticas se realizaron en Lima los días {days}; las fuentes no dicen "
                "qué mesa se reunió cada día. Horas no registradas."
            ),
            source=IRM,
            attendance=[
                tally(IRM, row["state"], row["civil_society"], row["others"], thematic["note"])
            ],
        )
        for row in thematic["rows"]
    ]
    government = {
        row["region"]: row for row in participation["cuadro_3_talleres_regionales"]["rows"]
    }
    for row in participation["regional_workshops"]["rows"]:
        gov = government[row["taller"]]
        items.append(
            event(
                f"taller-regional-{slug(row['taller'])}",
                "regional_workshop",
                f"Taller regional descentralizado: {row['taller']}",
                row["date"],
                region=row["taller"],
                place=row["taller"],
                description="Horas no registradas. Las cifras del MRI y del Gobierno difieren; se conservan ambas.",
                source=IRM,
                attendance=[
                    tally(IRM, row["state"], row["civil_society"], row["others"]),
                    tally(GOV, gov["sector_publico"], gov["osc"], 0),
                ],
            )
        )
    national = participation["national_tables"]
    for row in national["rows"]:
        items.append(
            event(
                f"mesa-nacional-{slug(row['mesa'])}",
                "national_table",
                f"Mesa nacional ({row['mesa'].lower()}): {row['themes_002']}",
                row["date"],
                place=national["place"],
                region="Lima",
                description="Horas no registradas.",
                source=IRM,
                attendance=[tally(IRM, row["state"], row["civil_society"], row["others"])],
            )
        )
    virtual = participation["virtual_consultation"]
    items.append(
        event(
            "consulta-virtual-propuestas",
            "virtual_consultation",
            "Consulta virtual de las propuestas de compromisos",
            virtual["start"],
            virtual["end"],
            region="Nacional",
            place="Foro virtual y correo electrónico",
            description=(
                f"Canales: {'; '.join(virtual['channels'])}. Según el Gobierno: "
                f"{virtual['visits_002']} visitas y {virtual['contributions_002']} aportes."
            ),
            source="Informe de diseño del MRI 2017-2019; sistematización del Gobierno",
        )
    )
    items.append(
        event(
            "presentacion-compromisos-finales",
            "presentation",
            "Desayuno de trabajo: presentación de los compromisos finales",
            "2017-12-07",
            place="Lima",
            region="Lima",
            description=(
                "El informe del MRI fecha esta presentación el 7 de diciembre de 2017; la "
                "sistematización del Gobierno, el 7 de noviembre de 2017, con 55 participantes."
            ),
            source="Informe de diseño del MRI 2017-2019",
        )
    )
    return sorted(items, key=lambda e: (e["starts_at"], e["key"]))


GOV_ACCOUNT = "Sistematización del proceso de cocreación 2017 (Gobierno)"
IRM_REPORT = "Informe de diseño del MRI 2017-2019"
CHANNELS_002 = {
    "foro_virtual": ("virtual_forum", "foro virtual"),
    "correo": ("email", "correo electrónico"),
}
THEME_NAMES = {
    "ambiente": "Ambiente",
    "educacion": "Educación",
    "infraestructura": "Infraestructura",
    "salud": "Salud",
    "saneamiento": "Saneamiento",
    "seguridad_ciudadana": "Seguridad ciudadana",
}


def contributions_2017(participation: dict) -> list[dict]:
    """The 20 contributions of the 2017 virtual consultation, one per contribution counted in
    the government's Cuadro 4 (channel × theme). Their texts and dates were not published."""
    cuadro = participation["cuadro_4_aportes_por_via_y_tematica"]
    start = participation["virtual_consultation"]["start"]
    items = []
    for row in cuadro["rows"]:
        for column, (channel, label) in CHANNELS_002.items():
            for n in range(1, row[column] + 1):
                items.append(
                    {
                        "key": f"consulta-virtual-{slug(row['tematica'])}-{slug(label)}-{n}",
                        "channel": channel,
                        "event": "consulta-virtual-propuestas",
                        "theme": slug(row["tematica"]),
                        "commitment": None,
                        "author_organization": "",
                        "show_author": False,
                        "text": (
                            f"Aporte recibido por {label} durante la consulta virtual de las "
                            f"propuestas de compromisos, temática {row['tematica']}. Las fuentes "
                            "no publican el texto del aporte ni su fecha (se anota el primer día "
                            "de la consulta); el Gobierno lo cuenta en su sistematización, "
                            "Cuadro 4. No consta una respuesta fundamentada."
                        ),
                        "received_at": f"{start}T17:00:00+00:00",
                    }
                )
    return items


def figure(key, measure, total, source, breakdown=(), note=""):
    return {
        "key": key,
        "measure": measure,
        "total": total,
        "breakdown": [list(row) for row in breakdown],
        "source": source,
        "note": note,
    }


def themed(counts: dict) -> list[tuple[str, int]]:
    return [(THEME_NAMES[k], n) for k, n in counts.items() if k != "total"]


def reported_figures_2017(participation: dict) -> list[dict]:
    """The funnel and the participation counts as seeds 000 and 002 print them."""
    totals = participation["totals_002"]
    thematic = totals["propuestas_mesas_tematicas"]
    regional = totals["propuestas_adicionales_talleres_regionales"]
    cuadro_1 = participation["cuadro_1_organizaciones_por_tipo"]
    cuadro_2 = participation["cuadro_2_osc_por_tipo"]
    virtual = participation["virtual_consultation"]
    items = [
        figure(
            "propuestas-mesas-tematicas",
            "proposals_thematic_tables",
            thematic["total"],
            GOV_ACCOUNT,
            themed(thematic),
        ),
        figure(
            "propuestas-talleres-regionales",
            "proposals_regional_workshops",
            regional["total"],
            GOV_ACCOUNT,
            themed(regional),
        ),
        figure(
            "propuestas-talleres-regionales-mri",
            "proposals_regional_workshops",
            participation["regional_workshops"]["additional_commitment_proposals"],
            IRM_REPORT,
        ),
        figure(
            "propuestas-mesas-nacionales",
            "proposals_national_tables",
            totals["propuestas_mesas_nacionales"],
            f"{IRM_REPORT}; {GOV_ACCOUNT}",
            note="Propuestas de compromisos aprobadas en las mesas nacionales del 12 y 13 de octubre.",
        ),
        figure(
            "compromisos-plan",
            "commitments_in_plan",
            totals["compromisos_plan"],
            f"{IRM_REPORT}; Documento de política 2021 (SGP-PCM)",
        ),
        figure(
            "compromisos-cocreados-gobierno",
            "commitments_in_plan",
            totals["compromisos_cocreados"],
            GOV_ACCOUNT,
            note=(
                "El documento del Gobierno dice en un lugar 17 compromisos cocreados "
                "«incluyendo 1 compromiso transversal» y en otro un plan de 18 compromisos."
            ),
        ),
        figure(
            "personas-participantes", "participants", totals["personas_participantes"], GOV_ACCOUNT
        ),
        figure(
            "entidades-por-tipo",
            "organisations_by_type",
            cuadro_1["total"]["n"],
            f"{GOV_ACCOUNT}, Cuadro 1",
            [(row["tipo"], row["n"]) for row in cuadro_1["rows"]],
        ),
        figure(
            "osc-por-tipo",
            "cso_by_type",
            cuadro_2["total"]["n"],
            f"{GOV_ACCOUNT}, Cuadro 2",
            [(row["tipo"], row["n"]) for row in cuadro_2["rows"]],
        ),
        figure(
            "consulta-virtual-visitas", "consultation_visits", virtual["visits_002"], GOV_ACCOUNT
        ),
        figure(
            "consulta-virtual-aportes",
            "consultation_contributions",
            virtual["contributions_002"],
            f"{GOV_ACCOUNT}, Cuadro 4",
            [
                ("Foro virtual", virtual["contributions_by_channel_002"]["foro_virtual"]),
                ("Correo electrónico", virtual["contributions_by_channel_002"]["correo"]),
            ],
        ),
    ]
    return items


IRM_DESIGN = "Informe de diseño del MRI 2017-2019 (Perú), sección IV"
RELEVANCE = [
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
]


def rating(commitment: int, milestone, irm: dict) -> dict:
    return {
        "commitment": commitment,
        "milestone": milestone,
        "methodology": "A_2017",
        "stage": "design",
        "verifiability": irm["verifiability"],
        "relevance": [value for value in RELEVANCE if irm["relevance"].get(value)],
        "potential_impact": irm["potential_impact"],
        "source": IRM_DESIGN,
    }


def ratings_2017(commitments: list[dict]) -> list[dict]:
    """The IRM's design ratings of plan III: one per commitment, and one per milestone where
    the report rates activities. Relevant and potentially starred are derived, never copied."""
    items = []
    for item in commitments:
        items.append(rating(item["number"], None, item["irm"]))
        milestones = {m["number"] for m in item.get("milestones", [])}
        for activity in item["irm"].get("activities") or []:
            if activity["number"] in milestones:
                items.append(rating(item["number"], activity["number"], activity))
    return items


def followups(source: dict) -> list[dict]:
    return [
        {
            "number": item["number"],
            "recommendation": item["recommendation"],
            "addressed": item["addressed"],
            "integrated": item["integrated_into_current_plan"],
            "source": "Informe de diseño del MRI 2017-2019, Tabla 5.2",
        }
        for item in source["previous_recommendations"]
    ]


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
            "reported_figures": fulfilment_figure(ordinal),
        }

    def fulfilment_figure(ordinal: str) -> list[dict]:
        """Seed 004's chart 'Nivel de cumplimiento de los PAGA' (source: SGP)."""
        if ordinal not in compliance:
            return []
        return [
            figure(
                "nivel-de-cumplimiento",
                "fulfilment_percent",
                compliance[ordinal],
                "SGP-PCM, documento de política de gobierno abierto (2021), gráfico «Nivel de cumplimiento de los PAGA»",
            )
        ]

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
        "timeline": {
            "published_on": "2017-09-08",
            "where_published": "",
            "source": "Sistematización del proceso de cocreación 2017 (Gobierno): calendario difundido el 8 de setiembre",
        },
        "events": events_2017(source["participation"]),
        "contributions": contributions_2017(source["participation"]),
        "reported_figures": reported_figures_2017(source["participation"])
        + fulfilment_figure("III PAGA"),
        "ratings": ratings_2017(source["commitments"]),
        "recommendation_followups": followups(source),
        "irm_published_figures": published_figures(source["at_a_glance"]),
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


def published_figures(glance: dict) -> list[dict]:
    """The at-a-glance table of the IRM design report (Table 1) as printed: shown beside the
    figures Traza computes from the ratings."""
    source = f"Informe de diseño del MRI, Perú 2017-2019: Tabla 1 ({glance['source']})"

    def cell(key: str, value, percent=None) -> dict:
        printed = "N/A" if value is None else str(value)
        if percent is not None:
            printed = f"{value} ({percent}%)"
        return {
            "table": "design",
            "key": key,
            "value": value,
            "percent": percent,
            "printed": printed,
            "star_rule": "2017" if key in ("potentially_starred", "starred") else "",
            "source": source,
        }

    implementation = glance["implementation"]
    na = {
        "starred": implementation["starred_commitments"],
        "completed": implementation["completed_commitments"],
        "diog_major": implementation["commitments_with_major_diog"],
        "diog_outstanding": implementation["commitments_with_outstanding_diog"],
    }
    relevant, transformative = (
        glance["commitments_relevant_to_ogp_values"],
        glance["transformative_commitments"],
    )
    return [
        cell("commitments", glance["number_of_commitments"]),
        cell("relevant", relevant["count"], relevant["percent"]),
        cell("transformative", transformative["count"], transformative["percent"]),
        cell("potentially_starred", glance["potentially_starred"]),
        *(cell(key, None if printed == "N/A" else int(printed)) for key, printed in na.items()),
    ]


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else TARGET
    data = convert(json.loads(source.read_text(encoding="utf-8")))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
