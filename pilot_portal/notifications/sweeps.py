"""The registry of reminder sweeps.

A sweep is a function ``fn(at: datetime) -> int`` that asks "what is due at ``at``?" and calls ``notify`` /
``notify_many`` for it, returning how many notifications it stored. Every app registers its rules in its own
``reminders.py`` (imported when Django starts)::

    @sweep("dossiers_due", cadence=Cadence.OFFICE_HOURS)
    def dossiers_due(at):
        ...

The idempotency keys make a sweep safe to run twice, to overlap or to be retried: nothing is sent twice. Celery
beat runs the sweeps of each cadence (``CELERY_BEAT_SCHEDULE``); ``manage.py send_reminders`` runs them all once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.utils import timezone


class Cadence(StrEnum):
    #: Every 15 minutes during office hours (dossier deadlines).
    OFFICE_HOURS = "office_hours"
    #: Every hour during the day (milestones, readiness, sessions).
    HOURLY = "hourly"


SweepFunction = Callable[[datetime], int]


@dataclass(frozen=True)
class Sweep:
    name: str
    function: SweepFunction
    cadence: Cadence


_registry: dict[str, Sweep] = {}


def sweep(name: str, *, cadence: Cadence = Cadence.HOURLY) -> Callable[[SweepFunction], SweepFunction]:
    """Register ``fn`` as the sweep ``name``. Registering another function under a taken name is an error."""

    def register(function: SweepFunction) -> SweepFunction:
        existing = _registry.get(name)
        if existing and existing.function.__qualname__ != function.__qualname__:
            raise ValueError(f"Two reminder sweeps are named {name!r}")
        _registry[name] = Sweep(name, function, Cadence(cadence))
        return function

    return register


def registered(*, cadence: Cadence | str | None = None) -> list[Sweep]:
    """The registered sweeps (of one cadence), by name."""
    return sorted(
        (s for s in _registry.values() if cadence is None or s.cadence == cadence),
        key=lambda s: s.name,
    )


def get(name: str) -> Sweep:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"No reminder sweep is named {name!r}") from None


def run(name: str, *, at: datetime | None = None, dry_run: bool = False) -> int:
    """Run one sweep as of ``at`` (default: now) in one transaction; ``dry_run`` rolls everything back."""
    at = at or timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    function = get(name).function
    with transaction.atomic():
        sent = function(at)
        if dry_run:
            transaction.set_rollback(True)
    return sent
