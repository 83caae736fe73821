"""Who is asking: the client's address, as rate limits and the login lock-out count it, and
the sign-in name as the lock-out records it.

Behind a reverse proxy every request comes from the proxy's address; the client's own address
is in ``X-Forwarded-For``, which anyone can also write. ``TRAZA_TRUSTED_PROXIES`` says which
part of that header to believe:

* unset or ``0``: none of it; the address is ``REMOTE_ADDR``;
* a number N: N proxies stand in front of Traza (and nothing reaches it without them); the
  client is the address the outermost proxy saw, the N-th from the right of the header;
* a list of addresses or networks (``10.0.0.0/8,192.0.2.7``): the proxies Traza trusts; the
  client is the first address, from the right, that is not one of them. A request that does
  not come from a trusted proxy keeps its ``REMOTE_ADDR`` whatever its header says.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

# The longest sign-in name the lock-out records hold (django-axes' username column).
LOCKOUT_NAME_LENGTH = 255

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(raw: str | int | list | tuple | None) -> int | tuple[Network, ...]:
    """A number of proxies, or the networks of the trusted proxies; ImproperlyConfigured,
    naming the setting, for anything else."""
    if raw is None or raw == "":
        return 0
    if isinstance(raw, int):
        if raw < 0:
            raise ImproperlyConfigured("TRAZA_TRUSTED_PROXIES cannot be negative.")
        return raw
    if isinstance(raw, str):
        raw = raw.strip()
        if raw.isascii() and raw.isdigit():
            return int(raw)
        raw = raw.split(",")
    networks = []
    for item in raw:
        item = str(item).strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRAZA_TRUSTED_PROXIES: {item!r} is neither a number of proxies nor an "
                "IP address or network."
            ) from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(raw) -> int | tuple[Network, ...]:
    return parse_trusted_proxies(raw)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is the same client.
    return getattr(address, "ipv4_mapped", None) or address


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting ``X-Forwarded-For`` only as far as
    ``TRAZA_TRUSTED_PROXIES`` says (see the module's description)."""
    remote = request.META.get("REMOTE_ADDR", "")
    raw = settings.TRAZA_TRUSTED_PROXIES
    trusted = _trusted(tuple(raw) if isinstance(raw, list) else raw)
    if not trusted:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [hop.strip() for hop in header.split(",") if hop.strip()]
    if isinstance(trusted, int):
        if len(forwarded) < trusted:  # not through every proxy: the header proves nothing
            return remote
        client = _address(forwarded[-trusted])
        return str(client) if client is not None else remote
    nearest = _address(remote)
    if nearest is None or not any(nearest in network for network in trusted):
        return remote
    for hop in reversed(forwarded):
        address = _address(hop)
        if address is None:  # garbage in the header: stop at the last proxy vouched for
            return str(nearest)
        if not any(address in network for network in trusted):
            return str(address)
        nearest = address
    return str(nearest)


def lockout_name(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The sign-in name as django-axes records it (AXES_USERNAME_CALLABLE): at most as long
    as its column, so an absurdly long name is a failed sign-in, not a database error."""
    field = settings.AXES_USERNAME_FORM_FIELD  # type: ignore[misc]  # django-axes' default
    if credentials:
        name = credentials.get(field)
    else:
        name = getattr(request, "data", request.POST).get(field)
    return name[:LOCKOUT_NAME_LENGTH] if isinstance(name, str) else name
