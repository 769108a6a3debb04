"""The demo's clock: the seeds' story happened in June 2025, the services stamp "now".

The demo calls the real services (so every rule and history row is what a user would get), then moves the times
they recorded to the day and hour of the story, as the sessions and service-centre demos do. Only rows written by
the current run move (their time is at or after the run's start), so a re-run, which writes nothing, moves nothing.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.utils import timezone

from pilot_portal.notifications.models import Notification

from .models import CampaignUnitEvent, ChecklistItem, ChecklistItemEvent, PilotIssueEvent

#: The days of the story the demo keeps a readiness snapshot of: from the eve of the first items due (13/6, three
#: days before the pilot start of 16/6) to the go-live of 1/7/2025.
SNAPSHOT_FROM = dt.date(2025, 6, 12)
SNAPSHOT_TO = dt.date(2025, 7, 1)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour:minute`` in the portal's time zone (Asia/Ho_Chi_Minh)."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_default_timezone())


def june(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return local(dt.date(2025, 6, day), hour, minute)


class StoryClock:
    """Moves what the services stamped during this run to the story's moments."""

    def __init__(self):
        self.started = timezone.now()

    @contextmanager
    def at(self, moment: dt.datetime, *, history=(CampaignUnitEvent, ChecklistItemEvent, PilotIssueEvent)):
        """The ``history`` rows and the notifications the block writes are dated ``moment``."""
        yield
        for model in history:
            model.objects.filter(at__gte=self.started).update(at=moment)
        Notification.objects.filter(created_at__gte=self.started).update(created_at=moment)

    def set_up(self, campaigns, moment: dt.datetime) -> None:
        """Campaigns created, and checklist items written but not ticked, during this run date from ``moment``."""
        campaigns.filter(created_at__gte=self.started).update(created_at=moment)
        ChecklistItem.objects.filter(campaign_unit__campaign__in=campaigns, updated_at__gte=self.started).update(
            updated_at=moment
        )

    def tick(self, item: ChecklistItem, moment: dt.datetime) -> None:
        """The item's last save is dated ``moment`` (the services stamp ``updated_at`` with now)."""
        ChecklistItem.objects.filter(pk=item.pk, updated_at__gte=self.started).update(updated_at=moment)


def tick_moment(*, due: dt.date, wave_start: dt.datetime, done: bool) -> dt.datetime:
    """When a unit ticked an item due ``due``: done on its due day (an item due the day its wave started, three
    hours after the start: the first session's resolutions, the working regulations); only started, the day
    before."""
    moment = wave_start + dt.timedelta(hours=3) if due == timezone.localtime(wave_start).date() else local(due, 16)
    return moment if done else moment - dt.timedelta(days=1)


def snapshot_days(today: dt.date) -> list[dt.date]:
    """The story's days that are past (today's snapshot is the nightly task's, from the live figures)."""
    last = min(SNAPSHOT_TO, today - dt.timedelta(days=1))
    return [SNAPSHOT_FROM + dt.timedelta(days=n) for n in range((last - SNAPSHOT_FROM).days + 1)]
