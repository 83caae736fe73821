"""Reading the messages the outbox holds."""

import re


def link_path(body: str) -> str:
    """The path of the first link in a message (the site's address stripped)."""
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)
