"""The public lookup's limits: per address (django-ratelimit) and per dossier code (a daily lock).

Both count in the database (``pilot_portal.core.counters``: the ``limits`` cache for django-ratelimit, ``hit`` for the
code), never in Redis: a Redis outage can neither open them nor make the lookup hang. Each count is one atomic
statement, so concurrent attempts cannot all slip under a limit: an attempt on a code takes its place in the count
*before* the lookup code is compared, and only the first ``SERVICE_CENTER_LOOKUP_CODE_FAILURES`` places are
compared; a right lookup code gives its place back.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

from pilot_portal.core import counters


def normalise_code(code: str) -> str:
    """The code as counted and searched: NFKC (full-width letters and digits become ASCII), without format
    characters (zero-width spaces and joiners, Unicode category Cf) or spaces, upper case."""
    code = unicodedata.normalize("NFKC", code)
    code = "".join(c for c in code if unicodedata.category(c) != "Cf" and not c.isspace())
    return code.upper()


def client_key(group, request) -> str:
    """The client's address (behind a proxy too: pilot_portal.core.middleware.ClientAddressMiddleware); an IPv6
    client counts by its /64, which one subscriber holds whole."""
    address = request.META.get("REMOTE_ADDR", "unknown")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


def address_over_limit(request) -> bool:
    """Count this attempt for the client's address; True once it used up its attempts in the window."""
    limit = getattr(settings, "SERVICE_CENTER_LOOKUP_LIMIT", 10)
    window = getattr(settings, "SERVICE_CENTER_LOOKUP_WINDOW", 600)
    return is_ratelimited(
        request, group="service_center.lookup", key=client_key, rate=f"{limit}/{window}s", increment=True
    )


def _code_key(code: str) -> str:
    return f"service_center:lookup-code:{timezone.localdate().isoformat()}:{code[:64]}"


def _end_of_day() -> datetime:
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


def take_code_attempt(code: str) -> bool:
    """Take a place among today's attempts on ``code`` (normalised); False when the code is closed to lookups
    until the day ends: six digits cannot be guessed by many addresses sharing the work."""
    limit = getattr(settings, "SERVICE_CENTER_LOOKUP_CODE_FAILURES", 20)
    return counters.hit(_code_key(code), expires_at=_end_of_day()) <= limit


def give_back_code_attempt(code: str) -> None:
    """A right lookup code does not count against its code."""
    counters.hit(_code_key(code), expires_at=_end_of_day(), amount=-1)
