"""Bearer-token authentication, the role checks of the screens, and the per-token rate limit."""

from __future__ import annotations

from django.conf import settings
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from pilot_portal.accounts.permissions import ANY_ROLE, user_has_role

from .errors import Forbidden
from .tokens import token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer pp_…``: the request acts as the token's user (``request.auth`` is the token)."""

    def authenticate(self, request, token: str):
        api_token = token_authenticate(token)
        if api_token is not None:
            request.user = api_token.user
        return api_token


def user_of(request):
    """The token's user, after the role check of every screen: a user without a portal role gets a 403."""
    user = request.auth.user
    if not user_has_role(user, ANY_ROLE):
        raise Forbidden
    return user


def require_roles(user, roles) -> None:
    """403 unless ``user`` holds one of ``roles`` (the ``role_required`` of the screen that does the same)."""
    if not user_has_role(user, frozenset(roles)):
        raise Forbidden


class TokenRateThrottle(SimpleRateThrottle):
    """At most ``API_RATE_LIMIT`` requests per token (e.g. ``"120/min"``), counted in the Django cache (shared by
    every process in production, ``CACHE_URL``)."""

    scope = "api_token"

    def __init__(self) -> None:
        super().__init__(rate=settings.API_RATE_LIMIT)

    def allow_request(self, request) -> bool:
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request) -> str | None:
        token = getattr(request, "auth", None)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
