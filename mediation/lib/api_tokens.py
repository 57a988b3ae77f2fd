"""API tokens (django-rest-knox): only a SHA-512 digest is stored, every token expires.

The raw token is shown once, when it is issued; nobody can read it back from the database.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from knox.models import AuthToken


@transaction.atomic
def api_token_issue(*, user, days: int | None = None, rotate: bool = False) -> tuple[AuthToken, str]:
    """A new token for `user`, valid `days` (CONCORD_API_TOKEN_DAYS by default).

    `rotate` revokes the user's other tokens in the same transaction. Returns the stored
    row and the raw token, which the caller hands over and never stores.
    """
    days = settings.CONCORD_API_TOKEN_DAYS if days is None else days
    if days < 1:
        raise ValueError("days must be at least 1")
    if rotate:
        AuthToken.objects.filter(user=user).delete()
    return AuthToken.objects.create(user, expiry=datetime.timedelta(days=days))


def api_token_revoke(*, user) -> int:
    """Revoke every token of `user`; returns how many there were."""
    count, _ = AuthToken.objects.filter(user=user).delete()
    return count
