"""One search over everything public: commitments, milestones, contributions and their
reasoned responses, events and documents (with the text of their files).

PostgreSQL: a generated tsvector (configuration ``traza_es``: Spanish stemming after
``unaccent``) with a GIN index, ranked by ``ts_rank`` (keywords A, title B, body C),
snippets by ``ts_headline``.
SQLite: an FTS5 table (``unicode61 remove_diacritics 2``), ranked by ``bm25``, snippets by
``snippet()``. Both fold accents: "participacion" finds "participación"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from traza.core.text import shorten
from traza.repository.models import SearchEntry

KINDS = ["commitment", "milestone", "contribution", "response", "event", "document"]
MAX_QUERY = 200
PAGE_SIZE = 20
START, STOP = "\x02", "\x03"
# Commitments are what people look for: the same match counts double on a commitment. The
# keywords (the commitment's OGP values as the IRM read them, theme, lead institution) weigh
# most, then the title, then the body: "participación ciudadana" finds first the commitments
# relevant to civic participation, not those that only use the words.
BOOST = "(CASE e.kind WHEN 'commitment' THEN 2.0 ELSE 1.0 END)"


def _labels(values) -> str:
    """The labels in every language of the site, so either language finds them."""
    words = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words += [str(v) for v in values]
    return " ".join(words)


def entry_values(instance) -> dict | None:
    """What the search keeps of ``instance``, or None when it is not public."""
    from traza.cocreation.models import Contribution, Event, Response
    from traza.plans.models import Commitment, Milestone
    from traza.repository.models import Document, DocumentKind

    if isinstance(instance, Commitment):
        values = [v.label for v in instance.values]
        return {
            "plan_id": instance.plan_id,
            "theme_id": instance.theme_id,
            "title": f"{instance.number}. {instance.title}",
            "keywords": " ".join(
                p
                for p in (
                    _labels(values),
                    instance.theme.name if instance.theme_id else "",
                    instance.lead_organization.name if instance.lead_organization_id else "",
                )
                if p
            ),
            "body": " ".join(
                getattr(instance, f)
                for f in (
                    "summary",
                    "problem",
                    "status_quo",
                    "change_sought",
                    "contribution",
                    "origin",
                )
            ),
            "url": instance.get_absolute_url(),
        }
    if isinstance(instance, Milestone):
        commitment = instance.commitment
        return {
            "plan_id": commitment.plan_id,
            "theme_id": commitment.theme_id,
            "title": f"{commitment.number}.{instance.number} {shorten(instance.text, 400)}",
            "keywords": "",
            "body": " ".join((instance.text, instance.deliverable, instance.verification_means)),
            "url": commitment.get_absolute_url(),
        }
    if isinstance(instance, Contribution):
        if instance.is_hidden:  # hidden by moderation: out of the search until unhidden
            return None
        with translation.override(settings.LANGUAGE_CODE):
            title = str(instance)
        return {
            "plan_id": instance.plan_id,
            "theme_id": instance.theme_id,
            "title": title,
            "keywords": "",
            "body": instance.text,  # never the author: names are public only with consent
            "url": instance.get_absolute_url(),
        }
    if isinstance(instance, Response):
        contribution = instance.contribution
        if instance.published_at is None or contribution.is_hidden:
            return None
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Reasoned response to contribution %(number)s") % {"number": contribution.pk}
        return {
            "plan_id": contribution.plan_id,
            "theme_id": contribution.theme_id,
            "title": title,
            "keywords": "",
            "body": instance.text,
            "url": contribution.get_absolute_url(),
        }
    if isinstance(instance, Event):
        return {
            "plan_id": instance.plan_id,
            "theme_id": None,
            "title": instance.title,
            "keywords": " ".join((instance.region, instance.place)),
            "body": instance.description,
            "url": instance.get_absolute_url(),
        }
    if isinstance(instance, Document):
        latest = instance.versions.order_by("-number").first()
        return {
            "plan_id": instance.plan_id,
            "theme_id": instance.commitment.theme_id if instance.commitment_id else None,
            "title": instance.title,
            "keywords": _labels([DocumentKind(instance.kind).label]),
            "body": " ".join((instance.description, latest.text if latest else "")),
            "url": instance.get_absolute_url(),
        }
    return None


def kind_of(instance) -> str:
    return type(instance)._meta.model_name


def index(instance) -> None:
    """Add, refresh or remove ``instance`` in the search."""
    kind = kind_of(instance)
    values = entry_values(instance)
    if values is None:
        SearchEntry.objects.filter(kind=kind, object_id=instance.pk).delete()
        return
    # one upsert, not update_or_create's savepoints, lock and second statement: this runs in
    # every traced write of a public object (a contribution through the public form too)
    SearchEntry.objects.bulk_create(
        [SearchEntry(kind=kind, object_id=instance.pk, **values)],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=list(values),
    )


def unindex(instance) -> None:
    SearchEntry.objects.filter(kind=kind_of(instance), object_id=instance.pk).delete()


def index_moderated(post) -> None:
    """A discussion message was moderated: its contribution and the response to it leave the
    search when it is hidden and come back when it is published again."""
    from traza.cocreation.models import Response

    if not post.contribution_id:
        return
    contribution = post.contribution
    contribution.discussion_post = post  # the status just saved, not a stale copy
    index(contribution)
    response = Response.objects.filter(contribution=contribution).first()
    if response is not None:
        response.contribution = contribution
        index(response)


@transaction.atomic
def reindex_all() -> int:
    """Rebuild the whole index (``traza reindex``) in one transaction: a search during the
    rebuild sees the old index, never a half-written one."""
    from traza.cocreation.models import Contribution, Event, Response
    from traza.plans.models import Commitment, Milestone
    from traza.repository.models import Document

    SearchEntry.objects.all().delete()
    count = 0
    querysets = [
        Commitment.objects.select_related("theme", "lead_organization"),
        Milestone.objects.select_related("commitment"),
        Contribution.objects.public().select_related("discussion_post"),
        Response.objects.public().select_related("contribution__discussion_post"),
        Event.objects.all(),
        Document.objects.select_related("commitment"),
    ]
    batch: list[SearchEntry] = []
    for queryset in querysets:
        for instance in queryset.iterator(chunk_size=REINDEX_BATCH):
            values = entry_values(instance)
            if values is not None:
                batch.append(SearchEntry(kind=kind_of(instance), object_id=instance.pk, **values))
            if len(batch) >= REINDEX_BATCH:
                count += _insert(batch)
    return count + _insert(batch)


#: ``traza reindex`` writes the index this many entries at a time (one INSERT each).
REINDEX_BATCH = 1000


def _insert(batch: list[SearchEntry]) -> int:
    """Write and empty ``batch``: one statement, the full-text index kept by its triggers."""
    SearchEntry.objects.bulk_create(batch)
    written = len(batch)
    batch.clear()
    return written


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    snippet: SafeString
    plan_id: int | None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


def kind_label(kind: str) -> str:
    from django.utils.translation import gettext_lazy

    labels = {
        "commitment": gettext_lazy("Commitment"),
        "milestone": gettext_lazy("Milestone"),
        "contribution": gettext_lazy("Contribution"),
        "response": gettext_lazy("Reasoned response"),
        "event": gettext_lazy("Event"),
        "document": gettext_lazy("Document"),
    }
    return str(labels.get(kind, kind))


class QueryTooLong(ValueError):
    pass


def _highlight(text: str) -> SafeString:
    """Escape the user's text, then mark the matches (the markers are control characters)."""
    return mark_safe(escape(text or "").replace(START, "<mark>").replace(STOP, "</mark>"))


def _filters(kind: str, plan: int | None, theme: int | None) -> tuple[str, list]:
    sql, params = "", []
    if kind:
        sql += " AND e.kind = %s"
        params.append(kind)
    if plan:
        sql += " AND e.plan_id = %s"
        params.append(plan)
    if theme:
        sql += " AND e.theme_id = %s"
        params.append(theme)
    return sql, params


def _fts5_query(q: str) -> str:
    tokens = re.findall(r"\w+", q)
    return " ".join(f'"{t}"*' if len(t) >= 4 else f'"{t}"' for t in tokens)


CANDIDATES = 1000
"""Matches ranked at most: a common word is answered by ranking the first ``CANDIDATES``
matches found, and the page says "more than 1,000 results" instead of counting them all."""


class Results(tuple):
    """``(total, hits)``: one page of hits, best first, and how many matches there are.
    ``total`` is exact when ``more`` is false; else there are more than ``total``
    (= ``CANDIDATES``) matches and the first ``total`` found were ranked."""

    more: bool

    def __new__(cls, total: int, hits: list[Hit], more: bool = False) -> Results:
        results = super().__new__(cls, (total, hits))
        results.more = more
        return results

    @property
    def total(self) -> int:
        return self[0]

    @property
    def hits(self) -> list[Hit]:
        return self[1]


def _candidates(cursor, q: str, where: str, params: list) -> list[tuple[int, float]]:
    """(id, sort key) of at most ``CANDIDATES + 1`` matches: one bounded read of the
    full-text index; the rank is computed for these rows only."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT e.id, ts_rank('{0.05, 0.15, 0.4, 1.0}', e.vector, query, 1) * "
            + BOOST
            + " FROM repository_searchentry e, websearch_to_tsquery('traza_es', %s) query "
            "WHERE e.vector @@ query" + where + " LIMIT %s",
            [q, *params, CANDIDATES + 1],
        )
        return [(pk, -rank) for pk, rank in cursor.fetchall()]  # best (highest) first
    cursor.execute(
        "SELECT e.id, bm25(repository_searchfts, 10.0, 50.0, 1.0) * "
        + BOOST
        + " FROM repository_searchfts JOIN repository_searchentry e "
        "ON e.id = repository_searchfts.rowid "
        "WHERE repository_searchfts MATCH %s" + where + " LIMIT %s",
        [q, *params, CANDIDATES + 1],
    )
    return cursor.fetchall()  # bm25: lower is better


def _page(cursor, q: str, ids: list[int]) -> dict[int, tuple]:
    """The hits of one page with their highlighted snippets (computed for these rows only)."""
    marks = ", ".join(["%s"] * len(ids))
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT e.id, e.kind, e.title, e.url, e.plan_id, ts_headline('traza_es', "
            "e.title || ' · ' || e.body, query, 'StartSel=\x02, StopSel=\x03, "
            "MaxFragments=2, MaxWords=24, MinWords=8, FragmentDelimiter= … ') "
            "FROM repository_searchentry e, websearch_to_tsquery('traza_es', %s) query "
            f"WHERE e.id IN ({marks})",
            [q, *ids],
        )
    else:
        cursor.execute(
            "SELECT e.id, e.kind, e.title, e.url, e.plan_id, "
            "snippet(repository_searchfts, 2, char(2), char(3), ' … ', 24) "
            "FROM repository_searchfts JOIN repository_searchentry e "
            "ON e.id = repository_searchfts.rowid "
            f"WHERE repository_searchfts MATCH %s AND repository_searchfts.rowid IN ({marks})",
            [q, *ids],
        )
    return {row[0]: row[1:] for row in cursor.fetchall()}


def search(
    q: str, *, kind: str = "", plan: int | None = None, theme: int | None = None, page: int = 1
) -> Results:
    """One page of hits, best first, among at most ``CANDIDATES`` matches (two queries,
    whatever the number of matches)."""
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        raise QueryTooLong(q)
    if not re.search(r"\w", q):
        return Results(0, [])
    if connection.vendor != "postgresql":
        q = _fts5_query(q)
        if not q:
            return Results(0, [])
    where, params = _filters(kind if kind in KINDS else "", plan, theme)
    offset = (max(page, 1) - 1) * PAGE_SIZE
    with connection.cursor() as cursor:
        found = _candidates(cursor, q, where, params)
        more = len(found) > CANDIDATES
        found = sorted(found[:CANDIDATES], key=lambda c: (c[1], c[0]))
        ids = [pk for pk, _key in found[offset : offset + PAGE_SIZE]]
        rows = _page(cursor, q, ids) if ids else {}
    hits = [
        Hit(k, t, u, _highlight(s), p) for k, t, u, p, s in (rows[pk] for pk in ids if pk in rows)
    ]
    return Results(min(len(found), CANDIDATES), hits, more)
