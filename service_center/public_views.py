"""The public lookup (no login): full dossier code plus the lookup code printed on the receipt."""

import ipaddress
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from redis.exceptions import RedisError

from .forms import LookupForm
from .models import Dossier

logger = logging.getLogger(__name__)


def _client_key(request) -> str:
    """The client's address (behind a proxy too: pilot_portal.core.middleware.ClientAddressMiddleware); an IPv6
    client counts by its /64, which one subscriber holds whole."""
    address = request.META.get("REMOTE_ADDR", "unknown")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


def _count(key: str, window: int) -> int:
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def _over_limit(request) -> bool:
    """Count this attempt for the client; True when it has used up its attempts in the window.

    When the shared cache is unreachable the lookup stays open (and says so in the log): citizens are not turned
    away because Redis is down.
    """
    limit = getattr(settings, "SERVICE_CENTER_LOOKUP_LIMIT", 10)
    window = getattr(settings, "SERVICE_CENTER_LOOKUP_WINDOW", 600)
    try:
        return _count(f"service_center:lookup:{_client_key(request)}", window) > limit
    except (OSError, RedisError):
        logger.warning("lookup rate limit unavailable: the cache cannot be reached")
        return False


def _code_key(code: str) -> str:
    return f"service_center:lookup-failures:{code.strip().upper()[:64]}"


def _code_locked(code: str) -> bool:
    """A code with too many wrong lookup codes in a day is closed to lookups (from any address) until the day ends:
    six digits cannot be guessed by many addresses sharing the work."""
    limit = getattr(settings, "SERVICE_CENTER_LOOKUP_CODE_FAILURES", 20)
    try:
        return (cache.get(_code_key(code)) or 0) >= limit
    except (OSError, RedisError):
        return False


def _count_failure(code: str) -> None:
    try:
        _count(_code_key(code), 24 * 60 * 60)
    except (OSError, RedisError):
        logger.warning("lookup failure count unavailable: the cache cannot be reached")


def find_dossier(*, code: str, secret: str) -> Dossier | None:
    dossier = (
        Dossier.objects.select_related("procedure", "unit")
        .prefetch_related("events")
        .filter(code=code.strip().upper())
        .first()
    )
    if dossier is None or not constant_time_compare(dossier.lookup_secret, secret.strip()):
        return None
    return dossier


@login_not_required
@require_http_methods(["GET", "POST"])
def lookup(request):
    dossier = None
    status = 200
    if request.method == "POST":
        form = LookupForm(request.POST)
        if _over_limit(request):
            form.add_error(None, _("Too many lookups from this address. Try again in a few minutes."))
            status = 429
        elif form.is_valid():
            code = form.cleaned_data["code"]
            if _code_locked(code):
                form.add_error(
                    None,
                    _(
                        "This dossier code had too many wrong lookup codes today and is closed to lookups until "
                        "tomorrow. The centre can tell you the status by phone or at the counter."
                    ),
                )
                status = 429
            else:
                dossier = find_dossier(code=code, secret=form.cleaned_data["secret"])
                if dossier is None:
                    _count_failure(code)
                    form.add_error(None, _("No dossier matches this code and lookup code. Check both on your receipt."))
    else:
        form = LookupForm(initial={"code": request.GET.get("ma", "")})
    return render(request, "service_center/lookup.html", {"form": form, "dossier": dossier}, status=status)
