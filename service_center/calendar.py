"""The one place that computes dossier deadlines.

Working days come from the ``holidays`` package's Vietnam calendar (public holidays and swapped working
Saturdays, e.g. Saturday 26/4/2025 worked and Friday 2/5/2025 off) corrected by the admin-editable
``CalendarOverride`` table. Office hours default to 07:00-11:30 and 13:30-17:00 and can be changed with the
``SERVICE_CENTER_OFFICE_HOURS`` setting (a list of ``("HH:MM", "HH:MM")`` pairs).

Rules:
- N working days = N x (office time of one day, 8 hours by default) counted from the receipt; a receipt outside
  office hours starts at the next opening.
- N calendar days end at closing time of the N-th day after the receipt; a day off moves it to the next working
  day.
- Time paused for a supplement shifts the due time by the paused office time (working days) or by the paused
  days (calendar days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

import holidays
from django.conf import settings
from django.utils import timezone

DEFAULT_OFFICE_HOURS = (("07:00", "11:30"), ("13:30", "17:00"))
WORKING_DAYS = "working"
CALENDAR_DAYS = "calendar"
_MAX_DAYS_SCANNED = 3660


def _time(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def _office_hours() -> tuple[tuple[dt.time, dt.time], ...]:
    pairs = getattr(settings, "SERVICE_CENTER_OFFICE_HOURS", DEFAULT_OFFICE_HOURS)
    periods = tuple((_time(a), _time(b)) for a, b in pairs)
    if not periods or any(a >= b for a, b in periods) or any(p[1] > q[0] for p, q in pairwise(periods)):
        raise ValueError("SERVICE_CENTER_OFFICE_HOURS must be ordered, non-overlapping (start, end) pairs")
    return periods


@dataclass
class WorkCalendar:
    """Working days and office hours; ``overrides`` maps a date to True (working) or False (day off)."""

    overrides: dict[dt.date, bool] = field(default_factory=dict)
    periods: tuple[tuple[dt.time, dt.time], ...] = field(default_factory=_office_hours)
    tz: dt.tzinfo = field(default_factory=timezone.get_default_timezone)

    @classmethod
    def from_db(cls) -> WorkCalendar:
        from .models import CalendarOverride

        rows = CalendarOverride.objects.values_list("date", "kind")
        return cls(overrides={d: kind == CalendarOverride.Kind.WORKING_DAY for d, kind in rows})

    @cached_property
    def _national(self) -> holidays.HolidayBase:
        return holidays.country_holidays("VN")

    @cached_property
    def day_length(self) -> dt.timedelta:
        """Office time of one working day (8 hours with the default hours)."""
        return sum(
            (dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a) for a, b in self.periods),
            dt.timedelta(),
        )

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return self._national.is_working_day(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        for _ in range(_MAX_DAYS_SCANNED):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise ValueError("no working day within ten years")

    def _local(self, moment: dt.datetime) -> dt.datetime:
        if timezone.is_naive(moment):
            raise ValueError("deadlines need aware datetimes")
        return moment.astimezone(self.tz)

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def _periods_from(self, moment: dt.datetime):
        """Office periods (start, end) as local datetimes, from the one containing ``moment`` onwards."""
        local = self._local(moment)
        day = local.date()
        for _ in range(_MAX_DAYS_SCANNED):
            if self.is_working_day(day):
                for a, b in self.periods:
                    end = self._at(day, b)
                    if end > local:
                        yield max(self._at(day, a), local), end
            day += dt.timedelta(days=1)
            local = self._at(day, dt.time.min)

    def next_opening(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` if the office is open then, else the next opening."""
        start, _end = next(self._periods_from(moment))
        return start

    def add_office_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The moment when ``amount`` of office time has elapsed after ``start``."""
        remaining = amount
        if remaining <= dt.timedelta():
            return self._local(start)
        for a, b in self._periods_from(start):
            if b - a >= remaining:
                return a + remaining
            remaining -= b - a
        raise AssertionError("unreachable")

    def office_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time elapsed from ``start`` to ``end`` (zero when ``end`` is not after ``start``)."""
        total = dt.timedelta()
        if end <= start:
            return total
        end = self._local(end)
        for a, b in self._periods_from(start):
            if a >= end:
                break
            total += min(b, end) - a
        return total

    def closing_time(self, day: dt.date) -> dt.datetime:
        return self._at(day, self.periods[-1][1])

    def due_at(self, *, received_at: dt.datetime, time_limit: int, time_unit: str) -> dt.datetime:
        """When a dossier received at ``received_at`` must be finished."""
        if time_unit == WORKING_DAYS:
            return self.add_office_time(self.next_opening(received_at), self.day_length * time_limit)
        if time_unit == CALENDAR_DAYS:
            last_day = self._local(received_at).date() + dt.timedelta(days=time_limit)
            return self.closing_time(self.next_working_day(last_day))
        raise ValueError(f"unknown time unit {time_unit!r}")

    def shift_for_pause(
        self, *, due_at: dt.datetime, paused_at: dt.datetime, resumed_at: dt.datetime, time_unit: str
    ) -> dt.datetime:
        """The due time after the clock stood still from ``paused_at`` to ``resumed_at``."""
        if time_unit == WORKING_DAYS:
            return self.add_office_time(due_at, self.office_time_between(paused_at, resumed_at))
        if time_unit == CALENDAR_DAYS:
            days = (self._local(resumed_at).date() - self._local(paused_at).date()).days
            if days <= 0:
                return self._local(due_at)
            return self.closing_time(self.next_working_day(self._local(due_at).date() + dt.timedelta(days=days)))
        raise ValueError(f"unknown time unit {time_unit!r}")


def calendar() -> WorkCalendar:
    """The calendar in force: national holidays plus the overrides entered in the admin."""
    return WorkCalendar.from_db()


def due_for(*, procedure, received_at: dt.datetime, work_calendar: WorkCalendar | None = None) -> dt.datetime:
    cal = work_calendar or calendar()
    return cal.due_at(received_at=received_at, time_limit=procedure.time_limit, time_unit=procedure.time_unit)
