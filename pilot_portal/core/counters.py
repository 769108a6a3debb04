"""Counters in the database, each changed by one atomic statement (PostgreSQL and SQLite alike).

``hit(key, expires_at=...)`` adds one and returns the new value with an ``INSERT … ON CONFLICT DO UPDATE …
RETURNING``: concurrent hits never lose a count and never read a stale one, and a counter past its expiry starts
again from one. ``DatabaseCounterCache`` offers the same counters as a Django cache (``add``, ``incr``, ``get``)
for django-ratelimit (``RATELIMIT_USE_CACHE``), which then counts where a Redis outage cannot open its limits.
Each call is a single statement, atomic on its own (no savepoint needed).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connection
from django.utils import timezone

from .models import Counter

#: Longest key stored (the column holds 250 characters); longer keys are cut.
MAX_KEY = 250


def _table() -> str:
    return connection.ops.quote_name(Counter._meta.db_table)


def _params(*values):
    field = Counter._meta.get_field("expires_at")
    return [field.get_db_prep_value(v, connection) if isinstance(v, datetime) else v for v in values]


def hit(key: str, *, expires_at: datetime, amount: int = 1) -> int:
    """Add ``amount`` to the counter ``key`` (created, or restarted once expired, with ``expires_at``) and return
    its new value, in one statement."""
    now = timezone.now()
    table = _table()
    sql = (
        f"INSERT INTO {table} (key, value, expires_at) VALUES (%s, %s, %s) "
        f"ON CONFLICT (key) DO UPDATE SET "
        f"value = CASE WHEN {table}.expires_at <= %s THEN excluded.value ELSE {table}.value + excluded.value END, "
        f"expires_at = CASE WHEN {table}.expires_at <= %s THEN excluded.expires_at ELSE {table}.expires_at END "
        f"RETURNING value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(key[:MAX_KEY], amount, expires_at, now, now))
        return cursor.fetchone()[0]


def value(key: str) -> int:
    """The counter's current value (0 when it does not exist or has expired)."""
    row = Counter.objects.filter(key=key[:MAX_KEY], expires_at__gt=timezone.now()).values_list("value", flat=True)
    return next(iter(row), 0)


def purge_expired(*, before: datetime | None = None) -> int:
    """Delete the counters that expired (before ``before``, default now); returns how many."""
    deleted, _ = Counter.objects.filter(expires_at__lte=before or timezone.now()).delete()
    return deleted


class DatabaseCounterCache(BaseCache):
    """A Django cache that holds integer counters only, in the ``Counter`` table (see the module docstring).

    ``add`` and ``incr`` are single atomic statements, as django-ratelimit needs; ``set`` and ``get`` exist for
    tests and tools. It is not a general cache: values must be integers.
    """

    def __init__(self, location, params):
        super().__init__(params)

    def _expiry(self, timeout) -> datetime:
        timeout = self.get_backend_timeout(timeout)
        # None: never expires (a century is never enough for a counter here).
        return timezone.now() + timedelta(seconds=timeout if timeout is not None else 100 * 365 * 24 * 3600)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)[:MAX_KEY]
        now = timezone.now()
        sql = (
            f"INSERT INTO {_table()} (key, value, expires_at) VALUES (%s, %s, %s) "
            f"ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at "
            f"WHERE {_table()}.expires_at <= %s RETURNING value"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, _params(key, int(value), self._expiry(timeout), now))
            return cursor.fetchone() is not None

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)[:MAX_KEY]
        sql = f"UPDATE {_table()} SET value = value + %s WHERE key = %s AND expires_at > %s RETURNING value"
        with connection.cursor() as cursor:
            cursor.execute(sql, _params(int(delta), key, timezone.now()))
            row = cursor.fetchone()
        if row is None:
            raise ValueError(f"Key {key!r} not found")
        return row[0]

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)[:MAX_KEY]
        row = Counter.objects.filter(key=key, expires_at__gt=timezone.now()).values_list("value", flat=True)
        return next(iter(row), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)[:MAX_KEY]
        Counter.objects.update_or_create(key=key, defaults={"value": int(value), "expires_at": self._expiry(timeout)})

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)[:MAX_KEY]
        return bool(Counter.objects.filter(key=key).update(expires_at=self._expiry(timeout)))

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)[:MAX_KEY]
        deleted, _ = Counter.objects.filter(key=key).delete()
        return bool(deleted)

    def clear(self):
        Counter.objects.all().delete()
