"""Login throttling on top of django-axes: a limit per account (from every address) and one per address (over
every account), with case variants of a username counted as the same account.

Settings: ``AXES_FAILURE_LIMIT`` failures lock an account wherever they come from; ``AXES_ADDRESS_FAILURE_LIMIT``
failures from one address (over all accounts: a shared office counts once) lock that address; both for
``AXES_COOLOFF_TIME``. An administrator unlocks early by deleting the attempts in the admin (Axes › Access
attempts, or ``manage.py axes_reset_username``). A successful login forgets that account's own failures only, so
signing in to one's own account does not clear the guesses made on others from the same address.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render

#: The longest username counted (the User model's own limit; axes stores 255).
MAX_USERNAME = 150


def normalise_username(username: str | None) -> str | None:
    if username is None:
        return None
    return username.strip().casefold()[:MAX_USERNAME]


def client_username(request, credentials=None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the account a login attempt is for, as axes counts it."""
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    return normalise_username(username)


def _failures(queryset) -> int:
    return queryset.aggregate(total=Sum("failures_since_start"))["total"] or 0


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits: the account's failures against ``AXES_FAILURE_LIMIT`` and the
    address's against ``AXES_ADDRESS_FAILURE_LIMIT``. ``request.axes_lock_reason`` tells which one locked."""

    def get_failures(self, request, credentials=None) -> int:
        attempts = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        account = _failures(attempts.filter(username=username)) if username else 0
        address = _failures(attempts.filter(ip_address=request.axes_ip_address))
        limit = get_failure_limit(request, credentials)
        if account >= limit:
            request.axes_lock_reason = "account"
            return account
        if address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            request.axes_lock_reason = "address"
            return limit
        return account

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the lockout page (429), saying whether the account or the address is locked."""
    if not hasattr(request, "axes_lock_reason"):
        PortalAxesHandler().get_failures(request, credentials)
    cool_off = get_cool_off(request)
    context = {
        "reason": getattr(request, "axes_lock_reason", "account"),
        "failure_limit": get_failure_limit(request, credentials),
        "address_limit": settings.AXES_ADDRESS_FAILURE_LIMIT,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/lockout.html", context, status=429)
