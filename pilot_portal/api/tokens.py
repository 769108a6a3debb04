"""Personal API tokens: created (the secret shown once), looked up by their prefix, checked by their hash, revoked."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilot_portal.core.workflow import DomainError

from .models import ApiToken

#: ``pp_`` + 12 hex characters (the prefix that finds the row) + ``_`` + 43 URL-safe characters (256 random bits).
TOKEN_RE = re.compile(r"^pp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
#: Active tokens one user may hold.
MAX_ACTIVE_TOKENS = 20
#: ``last_used_at`` is written at most this often per token (not on every request).
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenError(DomainError):
    """A rule about tokens refused the action; the message is shown to the user."""


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    #: The token itself, shown to its owner once and stored nowhere.
    raw: str


def token_create(*, user, name: str) -> NewToken:
    name = name.strip()
    if not name:
        raise TokenError(_("Give the token a name (what it is for)."))
    with transaction.atomic():
        # The user's row, locked: two creations at once count each other.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
            raise TokenError(
                _("You already have %(count)s active tokens: revoke one you no longer use first.")
                % {"count": MAX_ACTIVE_TOKENS}
            )
        prefix = secrets.token_hex(6)
        while ApiToken.objects.filter(prefix=prefix).exists():
            prefix = secrets.token_hex(6)
        raw = f"pp_{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken(user=user, name=name, prefix=prefix, token_hash=_digest(raw))
        token.full_clean()
        token.save()
    return NewToken(token=token, raw=raw)


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke ``token`` (once: a second revoke keeps the first time)."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token of an active user that ``raw`` is, else None; records its use."""
    match = TOKEN_RE.match(raw or "")
    if match is None:
        return None
    token = ApiToken.objects.active().select_related("user").filter(prefix=match.group(1)).first()
    if token is None or not hmac.compare_digest(token.token_hash, _digest(raw)) or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
