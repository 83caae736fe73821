"""Bearer-token authentication for the API's write endpoints. A missing, malformed, unknown
or revoked token is a 401 with a JSON explanation, never a 500."""

from __future__ import annotations

import re

from ninja.security import HttpBearer

from traza.api.models import PREFIX, ApiToken, token_hash
from traza.api.services import note_token_use

SHAPE = re.compile(rf"^{PREFIX}[A-Za-z0-9_-]{{20,100}}$")


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if not SHAPE.match(token or ""):
            return None
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        note_token_use(found)
        return found.user
