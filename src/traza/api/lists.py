"""One list endpoint per open dataset (``/api/v1/<dataset>/``), generated from the same
definitions as the downloads: filters declared per dataset, keyset pagination with a bounded
count (``traza.api.pagination``; ``offset`` still works, deprecated), and a clear 400 for a
filter the dataset does not have or a cursor the server did not make."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any, Literal

from ninja import NinjaAPI, Query, Status
from pydantic import Field, create_model

from traza.api.opendata import DATASETS, Dataset
from traza.api.pagination import COUNT_CAP, InvalidCursor, keyset_page
from traza.core.jsonvalues import OPEN_DATA

PYTHON_TYPES = {
    "integer": int,
    "number": float,
    "string": str,
    "boolean": bool,
    "date": dt.date,
    "datetime": dt.datetime,
}
PAGING = {"limit", "offset", "cursor"}
MAX_LIMIT = 500
SKIP = {"plans"}  # /api/v1/plans/ predates the registry and keeps its own endpoint


def _schemas(dataset: Dataset):
    camel = "".join(part.capitalize() for part in dataset.name.split("_"))
    row = create_model(
        f"{camel}Row",
        **{c.name: (PYTHON_TYPES[c.type] | None, None) for c in dataset.columns},
    )
    page = create_model(
        f"{camel}Page",
        count=(
            int,
            Field(
                description="rows matching the filters: exact up to "
                f"{COUNT_CAP:,}; above that, see count_is"
            ),
        ),
        count_is=(
            Literal["exact", "estimate", "more_than"],
            Field(
                description="exact: the count is exact; estimate: the database's estimate "
                "(PostgreSQL's planner), not a count; more_than: there are more than count rows"
            ),
        ),
        next=(
            str | None,
            Field(description="address of the next page (null on the last page)"),
        ),
        next_cursor=(
            str | None,
            Field(description="the cursor of the next page (null on the last page)"),
        ),
        items=(list[row], ...),
    )
    return page


def _next_address(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query.pop("offset", None)
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


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
        cursor = params.pop("cursor")
        if cursor and offset:
            return Status(400, {"detail": "Give cursor or offset, not both."})
        filters = {k: v for k, v in params.items() if v is not None}
        try:
            page = keyset_page(dataset, filters, limit=limit, cursor=cursor, offset=offset)
        except InvalidCursor:
            return Status(
                400,
                {"detail": "Unknown cursor: start again from the first page of this list."},
            )
        return Status(
            200,
            {
                "count": page.count,
                "count_is": page.count_is,
                "next": _next_address(request, page.next_cursor),
                "next_cursor": page.next_cursor,
                "items": [{k: OPEN_DATA(v) for k, v in row.items()} for row in page.items],
            },
        )

    parameters = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter(
            "limit",
            inspect.Parameter.KEYWORD_ONLY,
            default=Query(100, ge=1, le=MAX_LIMIT, description="rows per page (1-500)"),
            annotation=int,
        ),
        inspect.Parameter(
            "cursor",
            inspect.Parameter.KEYWORD_ONLY,
            default=Query(
                None,
                max_length=1000,
                description="where the page starts: the next_cursor of the previous page "
                "(opaque; omit it for the first page)",
            ),
            annotation=str | None,
        ),
        inspect.Parameter(
            "offset",
            inspect.Parameter.KEYWORD_ONLY,
            default=Query(
                0,
                ge=0,
                le=10_000_000,
                deprecated=True,
                description="rows to skip (deprecated: slow on a large list; follow next)",
            ),
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
