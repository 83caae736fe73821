"""Traza's own JSON import and export format (docs/data/import-format.md).

Import validates the whole file first (JSON Schema, then references, duplicates and dates),
then writes everything in one transaction through the services, so a bad file writes
nothing. Import adds and updates; it never deletes. A field (or list) left out of an object
keeps its stored value; a field given as null or "" is emptied. Every text has a length cap
(the schema's maxLength) and no string may hold a NUL character. Export is deterministic, so
export → import into an empty database → export gives the same bytes.

The format and its validation are in ``schema``, the writing in ``importer``, the reading in
``exporter``; the names below are the public ones, as they were when this was one module.
"""

from traza.api.transfer.exporter import dumps, export_data
from traza.api.transfer.importer import import_data, import_file
from traza.api.transfer.schema import (
    COMMITMENT_EXPORT_FIELDS,
    CONTRIBUTION_FIELDS,
    DATE_FIELDS,
    DATETIME_FIELDS,
    EVENT_FIELDS,
    FIGURE_FIELDS,
    FOLLOWUP_FIELDS,
    FORMAT,
    INDICATOR_FIELDS,
    MAX_DEPTH,
    MAX_MESSAGE,
    MAX_PROBLEMS,
    MEASUREMENT_FIELDS,
    MILESTONE_EXPORT_FIELDS,
    PLAN_FIELDS,
    RATING_FIELDS,
    RELEVANCE_FIELDS,
    RESPONSE_FIELDS,
    VERSION,
    YEARS,
    ImportProblem,
    load_file,
    parse,
    schema,
    validate,
)

__all__ = [
    "COMMITMENT_EXPORT_FIELDS",
    "CONTRIBUTION_FIELDS",
    "DATETIME_FIELDS",
    "DATE_FIELDS",
    "EVENT_FIELDS",
    "FIGURE_FIELDS",
    "FOLLOWUP_FIELDS",
    "FORMAT",
    "INDICATOR_FIELDS",
    "MAX_DEPTH",
    "MAX_MESSAGE",
    "MAX_PROBLEMS",
    "MEASUREMENT_FIELDS",
    "MILESTONE_EXPORT_FIELDS",
    "PLAN_FIELDS",
    "RATING_FIELDS",
    "RELEVANCE_FIELDS",
    "RESPONSE_FIELDS",
    "VERSION",
    "YEARS",
    "ImportProblem",
    "dumps",
    "export_data",
    "import_data",
    "import_file",
    "load_file",
    "parse",
    "schema",
    "validate",
]
