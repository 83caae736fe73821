"""Reading numbers from query strings and forms without trusting them."""


def as_id(value: str | None) -> int | None:
    """A positive whole number written in ASCII digits (not "²", not "1e9"), or None. Short
    enough for any database integer."""
    if value and value.isascii() and value.isdigit() and len(value) < 10:
        return int(value) or None
    return None
