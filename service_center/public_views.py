"""The public lookup (no login): full dossier code plus the lookup code printed on the receipt."""

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


def _client_ip(request) -> str:
    # The real client's address, also behind a proxy (pilot_portal.core.middleware.ClientAddressMiddleware).
    return request.META.get("REMOTE_ADDR", "unknown")


def _over_limit(request) -> bool:
    """Count this attempt for the client's address; True when it has used up its attempts in the window.

    When the shared cache is unreachable the lookup stays open (and says so in the log): citizens are not turned
    away because Redis is down.
    """
    limit = getattr(settings, "SERVICE_CENTER_LOOKUP_LIMIT", 10)
    window = getattr(settings, "SERVICE_CENTER_LOOKUP_WINDOW", 600)
    key = f"service_center:lookup:{_client_ip(request)}"
    try:
        cache.add(key, 0, window)
        try:
            attempts = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            attempts = 1
    except (OSError, RedisError):
        logger.warning("lookup rate limit unavailable: the cache cannot be reached")
        return False
    return attempts > limit


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
            dossier = find_dossier(code=form.cleaned_data["code"], secret=form.cleaned_data["secret"])
            if dossier is None:
                form.add_error(None, _("No dossier matches this code and lookup code. Check both on your receipt."))
    else:
        form = LookupForm(initial={"code": request.GET.get("ma", "")})
    return render(request, "service_center/lookup.html", {"form": form, "dossier": dossier}, status=status)
