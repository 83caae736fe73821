"""One list endpoint per open dataset (``/api/v1/<dataset>/``), generated from the same
definitions as the downloads: filters declared per dataset, limit/offset pagination, and a
clear 400 for a filter the dataset does not have."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

from ninja import NinjaAPI, Query, Status
from pydantic import create_model

from traza.api.opendata import DATASETS, Dataset
from traza.core.jsonvalues import OPEN_DATA

PYTHON_TYPES = {
    "integer": int,
    "number": float,
    "string": str,
    "boolean": bool,
    "date": dt.date,
    "datetime": dt.datetime,
}
PAGING = {"limit", "offset"}
MAX_LIMIT = 500
SKIP = {"plans"}  # /api/v1/plans/ predates the registry and keeps its own endpoint


def _schemas(dataset: Dataset):
    camel = "".join(part.capitalize() for part in dataset.name.split("_"))
    row = create_model(
        f"{camel}Row",
        **{c.name: (PYTHON_TYPES[c.type] | None, None) for c in dataset.columns},
    )
    page = create_model(f"{camel}Page", count=(int, ...), items=(list[row], ...))
    return page


def _endpoint(dataset: Dataset):
    allowed = PAGING | set(dataset.filters)

    def endpoint(request, **params: Any):
        unknown = sorted(set(request.GET) - allowed)
        if unknown:
            return Status(
                400,
                {
                    "detail": f"Unknown filters: {', '.join(unknown)}. "
                    f"This list accepts: {', '.join(sorted(allowed))}."
                },
            )
        limit, offset = params.pop("limit"), params.pop("offset")
        filters = {k: v for k, v in params.items() if v is not None}
        items = [
            {k: OPEN_DATA(v) for k, v in row.items()}
            for row in dataset.page(filters, offset, limit)
        ]
        return Status(200, {"count": dataset.count(filters), "items": items})

    parameters = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter(
            "limit",
            inspect.Parameter.KEYWORD_ONLY,
            default=Query(100, ge=1, le=MAX_LIMIT, description="rows per page (1-500)"),
            annotation=int,
        ),
        inspect.Parameter(
            "offset",
            inspect.Parameter.KEYWORD_ONLY,
            default=Query(0, ge=0, le=10_000_000, description="rows to skip"),
            annotation=int,
        ),
    ]
    for name, (_path, kind) in dataset.filters.items():
        bounds = {"ge": 1, "le": 2**31 - 1} if kind is int else {"max_length": 100}
        parameters.append(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=Query(None, **bounds),
                annotation=kind | None,
            )
        )
    endpoint.__signature__ = inspect.Signature(parameters)
    endpoint.__name__ = f"list_{dataset.name}"
    endpoint.__doc__ = (
        f"{dataset.description} Filters: {', '.join(dataset.filters) or 'none'}. "
        f"The same data as /data/{dataset.name}.csv."
    )
    return endpoint


def register(api: NinjaAPI, error_schema) -> None:
    for dataset in DATASETS.values():
        if dataset.name in SKIP:
            continue
        api.get(
            f"/{dataset.name.replace('_', '-')}/",
            response={200: _schemas(dataset), 400: error_schema},
            tags=["open data"],
            summary=dataset.title,
            operation_id=f"list_{dataset.name}",
        )(_endpoint(dataset))
