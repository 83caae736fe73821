"""Shortening text for display without cutting a word in half (issue 17.6).

A title, label, subject line or excerpt that must fit a length is cut at the last space
before the limit and ends with "…", so a reader never sees half a word ("Implementar el
sist…"). Hashes and identifiers are not prose: they are cut where they are cut."""

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters; otherwise its longest prefix that ends
    at a word boundary, followed by "…", the whole at most ``limit`` characters long.

    A first word longer than the limit has no boundary to cut at: it is cut inside, still
    marked with "…". Trailing spaces before the ellipsis are dropped."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    head = text[: room + 1]  # one more: a space just after the room is a boundary too
    cut = next((i for i in range(len(head) - 1, 0, -1) if head[i].isspace()), 0)
    prefix = text[:cut].rstrip() if cut > 0 else ""
    if not prefix:  # one word longer than the limit
        prefix = text[:room]
    return prefix + ELLIPSIS
