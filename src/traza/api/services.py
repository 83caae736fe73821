"""Writes of the api app: issuing, revoking and using the tokens of staff integrations.

The trace says who got a token, what it is for and when it was revoked; never the key or
its hash (only the hash is stored, the key is shown once)."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from traza.api.models import PREFIX, ApiToken, token_hash
from traza.core.services import SYSTEM, SystemActor, record, require_perm, trace_language


def issue_token(user: Any, name: str, actor: Any = None) -> tuple[ApiToken, str]:
    """A new token for ``user``, traced; the returned key is never stored and cannot be
    shown again. Without an actor (``traza create-token``) the operator's system acts; a
    person needs ``api.add_apitoken``."""
    if actor is not None and not isinstance(actor, SystemActor):
        require_perm(actor, "api.add_apitoken")
    key = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=token_hash(key), hint=key[-6:]
        )
        with trace_language():
            summary = gettext("API token for %(user)s: %(name)s") % {
                "user": user.get_username(),
                "name": name,
            }
        record(
            actor or SYSTEM,
            "create",
            token,
            summary=summary,
            changes={"user": [None, user.get_username()], "name": [None, name]},
        )
    return token, key


@transaction.atomic
def revoke_tokens(actor: Any, tokens: QuerySet[ApiToken]) -> int:
    """Revoke the tokens not revoked yet (``api.change_apitoken``); each revocation is
    traced. Returns how many were revoked."""
    require_perm(actor, "api.change_apitoken")
    n = 0
    for token in tokens.filter(revoked_at__isnull=True).select_for_update():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        with trace_language():
            summary = gettext("API token revoked: %(token)s") % {"token": token}
        record(
            actor,
            "status",
            token,
            summary=summary,
            changes={"revoked_at": [None, token.revoked_at]},
        )
        n += 1
    return n


def note_token_use(token: ApiToken) -> None:
    """When the token was last used (bookkeeping shown in the admin; not traced: every API
    call would otherwise write a trace event)."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
