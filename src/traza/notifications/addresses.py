"""Default addresses for mail, worked out from where the site is served (standard library
only: the settings import it)."""

from __future__ import annotations

import ipaddress
from email.utils import quote
from urllib.parse import urlsplit

EVERY_INTERFACE = {"", "0.0.0.0", "::", "[::]"}
SPECIALS = set('()<>@,;:\\".[]')


def local_base_url(host: str, port: str | int) -> str:
    """The address of the development server on ``host:port``, as a browser on this machine
    reaches it (a server listening on every interface is reached at 127.0.0.1)."""
    host = host.strip()
    if host in EVERY_INTERFACE:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}"


def default_sender(base_url: str, site_name: str, mail_domain: str = "traza.local") -> str:
    """``Site <no-reply@host>`` for the host of the site's public address; when that address
    is this machine (a bare IP address or ``localhost``, as on a laptop) the host is
    ``mail_domain`` (TRAZA_MAIL_DOMAIN), since ``no-reply@localhost`` means nothing to a
    recipient and many servers refuse it."""
    host = urlsplit(base_url).hostname or ""
    try:
        ipaddress.ip_address(host)
        host = ""
    except ValueError:
        pass
    if not host or host == "localhost" or host.endswith(".localhost"):
        host = mail_domain
    name = " ".join(site_name.split())
    if SPECIALS & set(name):
        name = f'"{quote(name)}"'
    return f"{name} <no-reply@{host}>"
