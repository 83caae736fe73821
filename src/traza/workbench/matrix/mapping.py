"""What a column of a secretariat's matrix means, and what its values mean: the fields a
column can be mapped to, the header names recognised in Spanish and English (accents and
case ignored), and the labels or codes of channels, outcomes, reasons and deciding bodies."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from traza.cocreation.matrix import COLUMNS
from traza.cocreation.models import Channel, DecidingBody, Outcome, ReasonCategory

IGNORE = ""
TOLD = "told"  # exported (from the outbox), never imported: Traza records when it tells

TARGETS = [
    ("code", _("Code (recognises the row again)")),
    ("received", _("Date received")),
    ("channel", _("Channel")),
    ("event", _("Event")),
    ("theme", _("Theme")),
    ("author", _("Author (public name)")),
    ("text", _("Contribution")),
    ("outcome", _("Outcome")),
    ("reason", _("Reason")),
    ("response", _("Reasoned response")),
    ("decided_by", _("Decided by (sector in brackets)")),
    ("decided_on", _("Decided on")),
    ("forwarded_to", _("Forwarded to")),
    ("commitment", _("Commitment")),
]
TARGET_KEYS = [key for key, _label in TARGETS]
RESPONSE_TARGETS = {"reason", "response", "decided_by", "decided_on", "forwarded_to"}

# Header names secretariats use, beside the export's own headers in Spanish and English.
HEADER_SYNONYMS: dict[str, list[str]] = {
    "code": [
        "code", "codigo", "cod", "n", "no", "nro", "num", "numero", "id", "key", "clave",
        "item", "codigo del aporte", "n del aporte", "numero de aporte", "numero del aporte",
        "n de aporte", "correlativo",
    ],
    "received": [
        "date received", "received", "date", "fecha", "fecha de recepcion", "recibido",
        "fecha de recibido", "fecha del aporte", "fecha de ingreso", "fecha de presentacion",
        "received on", "fecha recepcion",
    ],
    "channel": [
        "channel", "canal", "medio", "via", "canal de recepcion", "canal de participacion",
        "medio de recepcion",
    ],
    "event": [
        "event", "evento", "mesa", "taller", "espacio", "espacio de participacion",
        "actividad", "mesa tematica", "mesa o taller",
    ],
    "theme": ["theme", "tema", "eje", "eje tematico", "area tematica", "topic", "temas"],
    "author": [
        "author", "autor", "autora", "autor a", "nombre", "name", "participante", "proponente",
        "quien propone", "organizacion", "author name", "nombre del participante",
    ],
    "text": [
        "contribution", "aporte", "texto", "text", "propuesta", "comentario", "sugerencia",
        "texto del aporte", "descripcion del aporte", "aporte propuesta", "aportes",
        "contribution text",
    ],
    "outcome": [
        "outcome", "resultado", "estado", "status", "decision", "situacion", "valoracion",
        "estado del aporte", "acogido",
    ],
    "reason": [
        "reason", "motivo", "razon", "reason category", "categoria del motivo",
        "motivo de no adopcion", "categoria",
    ],
    "response": [
        "reasoned response", "response", "respuesta", "respuesta razonada",
        "respuesta motivada", "respuesta fundamentada", "respuesta al aporte", "justificacion", "sustento",
        "response text",
    ],
    "decided_by": [
        "decided by", "deciding body", "instancia", "instancia que decidio", "decidido por",
        "quien decidio", "instancia de decision",
    ],
    "decided_on": [
        "decided on", "decision date", "response date", "fecha de la decision",
        "fecha de decision", "fecha de respuesta", "fecha de la respuesta",
    ],
    "forwarded_to": [
        "forwarded to", "derivado a", "remitido a", "trasladado a",
        "entidad a la que se derivo",
    ],
    "commitment": [
        "commitment", "compromiso", "compromiso relacionado", "propuesta de compromiso",
        "commitment proposal", "compromisos",
    ],
    TOLD: [
        "author told on", "date the author was told", "fecha de comunicacion",
        "fecha en que se informo al autor", "informado el", "comunicado el",
        "fecha de notificacion", "fecha de respuesta al autor",
    ],
}  # fmt: skip


def normalise(value: object) -> str:
    """Lower case, without accents or punctuation, spaces collapsed: how names are compared."""
    text = unicodedata.normalize("NFKD", str(value or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


def _in_languages(labels: Iterable) -> set[str]:
    found: set[str] = set()
    for language in ("es", "en"):
        with translation.override(language):
            found.update(normalise(str(label)) for label in labels)
    return found


def header_names() -> dict[str, str]:
    """normalised header → target (``told`` included, to say it is not imported)."""
    names: dict[str, str] = {}
    for target, synonyms in HEADER_SYNONYMS.items():
        for synonym in synonyms:
            names.setdefault(normalise(synonym), target)
    for column in COLUMNS:  # the export's own headers (its keys are the targets')
        for name in _in_languages([column.label]):
            names[name] = column.key
    for key, label in TARGETS:
        for name in _in_languages([label]):
            names.setdefault(name, key)
    return names


def guess_target(header: object, names: dict[str, str] | None = None) -> str:
    """The field a header most likely names ('' when none): the exact name first, else the
    longest known name found inside it as whole words."""
    if header is None:
        return IGNORE
    raw = str(header).strip()
    if raw in ("#", "N°", "Nº", "N.º", "No."):
        return "code"
    names = names if names is not None else header_names()
    text = normalise(raw)
    if not text:
        return IGNORE
    if text in names:
        return names[text]
    padded = f" {text} "
    best = ""
    for name in names:
        if len(name) >= 5 and f" {name} " in padded and len(name) > len(best):
            best = name
    return names[best] if best else IGNORE


def guess_mapping(headers: list[str]) -> dict[int, str]:
    """Each column's likely field; a field taken once (the first column that names it)."""
    names = header_names()
    taken: set[str] = set()
    mapping = {}
    for index, header in enumerate(headers):
        target = guess_target(header, names)
        if target == TOLD or target in taken:
            target = IGNORE
        if target:
            taken.add(target)
        mapping[index] = target
    return mapping


# --- values ----------------------------------------------------------------------------------

VALUE_SYNONYMS: dict[type[models.TextChoices], dict[str, list[str]]] = {
    Outcome: {
        Outcome.ADOPTED: [
            "adoptado", "adoptada", "acogido", "acogida", "aceptado", "aceptada",
            "incorporado", "incorporada", "aprobado", "aprobada", "si",
        ],
        Outcome.PARTIALLY_ADOPTED: [
            "parcialmente adoptado", "adoptado parcialmente", "acogido parcialmente",
            "parcialmente acogido", "parcial", "incorporado parcialmente", "partially",
        ],
        Outcome.MERGED: [
            "fusionado", "fusionada", "integrado", "integrado con otra propuesta",
            "fusionado con otra propuesta", "merged",
        ],
        Outcome.NOT_ADOPTED: [
            "no adoptado", "no adoptada", "no acogido", "no acogida", "rechazado",
            "rechazada", "no aceptado", "no incorporado", "desestimado", "no",
        ],
        Outcome.DUPLICATE: ["duplicado", "duplicada", "repetido", "repetida"],
        Outcome.OUT_OF_SCOPE: [
            "fuera de alcance", "fuera del alcance", "no corresponde", "improcedente",
        ],
        Outcome.FORWARDED: [
            "derivado", "derivada", "remitido", "remitida", "trasladado", "trasladada",
            "derivado a otra entidad", "forwarded",
        ],
        Outcome.PENDING: ["pendiente", "en evaluacion", "en revision", "por responder"],
    },
    Channel: {
        Channel.EVENT: ["evento", "en evento", "mesa", "taller", "presencial", "event", "mesa tematica",
            "taller regional", "mesa nacional"],
        Channel.VIRTUAL_FORUM: ["foro virtual", "foro en linea"],
        Channel.EMAIL: ["correo", "correo electronico", "e mail", "email", "mail"],
        Channel.WEB_FORM: ["formulario web", "formulario", "web", "plataforma", "en linea"],
        Channel.LETTER: ["carta", "oficio", "mesa de partes", "documento"],
        Channel.FORUM_MEMBER: ["miembro del foro"],
        Channel.FORUM_INPUT: ["foro multiactor"],
    },
    ReasonCategory: {
        ReasonCategory.OUTSIDE_COMPETENCE: [
            "fuera de competencia", "no es competencia", "fuera de la competencia",
        ],
        ReasonCategory.ALREADY_DONE: ["ya se realiza", "ya realizado", "ya existe"],
        ReasonCategory.LEGALLY_UNVIABLE: [
            "inviable legalmente", "legalmente inviable", "no viable legalmente",
        ],
        ReasonCategory.UNRELATED_TO_VALUES: [
            "no relacionado con los valores de gobierno abierto",
            "no relacionado con valores ogp",
        ],
        ReasonCategory.NO_BUDGET: ["falta de presupuesto", "no hay presupuesto"],
        ReasonCategory.OTHER: ["otro", "otra", "otros", "otra razon", "other"],
    },
    DecidingBody: {
        DecidingBody.THEMATIC_TABLE: ["mesa tematica"],
        DecidingBody.REGIONAL_WORKSHOP: ["taller regional"],
        DecidingBody.NATIONAL_TABLE: ["mesa nacional"],
        DecidingBody.TECHNICAL_MEETING: ["reunion tecnica", "reunion tecnica con el sector"],
        DecidingBody.SECRETARIAT: ["secretaria", "secretaria tecnica", "secretariat"],
        DecidingBody.FORUM: ["foro", "foro multiactor", "forum"],
    },
}  # fmt: skip


def value_names(choices: type[models.TextChoices]) -> dict[str, str]:
    """normalised label, code or common variant → code, in Spanish and English."""
    names: dict[str, str] = {}
    for code, synonyms in VALUE_SYNONYMS.get(choices, {}).items():
        for synonym in synonyms:
            names[normalise(synonym)] = str(code)
    for code, label in zip(choices.values, choices.labels, strict=True):
        for name in _in_languages([label]):
            names[name] = code
        names[normalise(code)] = code
    return names


def anonymous_names() -> set[str]:
    """How a matrix says "no public name" (the export's own word in both languages too)."""
    words = {"anonimo", "anonima", "anonymous", "participante", "un participante", "reservado"}
    return {normalise(w) for w in words} | _in_languages([_("A participant")])
