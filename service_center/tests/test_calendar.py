import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service_center.calendar import CALENDAR_DAYS, WORKING_DAYS, WorkCalendar

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkCalendar(tz=TZ)


def at(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


def due(received, n, unit=WORKING_DAYS, cal=CAL):
    return cal.due_at(received_at=received, time_limit=n, time_unit=unit)


# --- Named cases ---------------------------------------------------------------------------------------------


def test_one_working_day_from_the_opening_ends_at_closing_time_the_same_day():
    assert due(at(2025, 6, 16, 7, 0), 1) == at(2025, 6, 16, 17, 0)


def test_working_days_count_eight_office_hours_each_from_the_receipt_time():
    # Monday 16/6/2025 14:00 + 3 working days = Thursday 19/6 14:00.
    assert due(at(2025, 6, 16, 14, 0), 3) == at(2025, 6, 19, 14, 0)


def test_receipt_after_office_hours_starts_next_working_morning():
    assert due(at(2025, 6, 16, 18, 30), 1) == at(2025, 6, 17, 17, 0)


def test_receipt_during_the_lunch_break_starts_at_the_afternoon_opening():
    # 3.5 hours that afternoon, then the 4.5 hours of the next morning.
    assert due(at(2025, 6, 16, 12, 0), 1) == at(2025, 6, 17, 11, 30)


def test_receipt_on_friday_afternoon_skips_the_weekend():
    assert due(at(2025, 6, 20, 15, 0), 1) == at(2025, 6, 23, 15, 0)


def test_tet_2025_holidays_are_skipped():
    # Friday 24/1/2025 09:00: 25-26/1 weekend, 27/1-31/1 Tết, 1-2/2 weekend -> Monday 3/2.
    assert due(at(2025, 1, 24, 9, 0), 1) == at(2025, 2, 3, 9, 0)


def test_reunification_and_labour_day_break_2025_is_skipped():
    # Tuesday 29/4/2025 14:00: 30/4, 1/5 and the swapped 2/5 off, weekend 3-4/5.
    assert due(at(2025, 4, 29, 14, 0), 1) == at(2025, 5, 5, 14, 0)


def test_saturday_26_april_2025_is_a_working_day():
    assert CAL.is_working_day(dt.date(2025, 4, 26))
    assert not CAL.is_working_day(dt.date(2025, 5, 2))
    assert due(at(2025, 4, 25, 9, 0), 1) == at(2025, 4, 26, 9, 0)


def test_calendar_day_limit_ending_on_a_day_off_moves_to_the_next_working_day():
    # Sunday 27/4/2025 + 3 calendar days = Wednesday 30/4 (holiday) -> Monday 5/5 at closing time.
    assert due(at(2025, 4, 27, 9, 0), 3, CALENDAR_DAYS) == at(2025, 5, 5, 17, 0)


def test_calendar_day_limit_on_a_working_day_ends_at_closing_time():
    assert due(at(2025, 6, 16, 9, 0), 5, CALENDAR_DAYS) == at(2025, 6, 23, 17, 0)


def test_override_day_off_and_extra_working_day_change_the_count():
    cal = WorkCalendar(overrides={dt.date(2025, 6, 17): False, dt.date(2025, 6, 21): True}, tz=TZ)
    assert due(at(2025, 6, 16, 17, 0), 1, cal=cal) == at(2025, 6, 18, 17, 0)
    assert due(at(2025, 6, 20, 17, 0), 1, cal=cal) == at(2025, 6, 21, 17, 0)


def test_office_hours_come_from_the_settings(settings):
    settings.SERVICE_CENTER_OFFICE_HOURS = [("08:00", "12:00"), ("13:00", "17:00")]
    cal = WorkCalendar(tz=TZ)
    assert due(at(2025, 6, 16, 7, 0), 1, cal=cal) == at(2025, 6, 16, 17, 0)
    assert cal.next_opening(at(2025, 6, 16, 12, 30)) == at(2025, 6, 16, 13, 0)


def test_supplement_pause_shifts_the_due_time_by_the_paused_office_time():
    original = at(2025, 6, 19, 14, 0)
    shifted = CAL.shift_for_pause(
        due_at=original, paused_at=at(2025, 6, 17, 9, 0), resumed_at=at(2025, 6, 18, 9, 0), time_unit=WORKING_DAYS
    )
    assert shifted == at(2025, 6, 20, 14, 0)


def test_supplement_pause_of_calendar_days_shifts_by_whole_days():
    shifted = CAL.shift_for_pause(
        due_at=at(2025, 6, 23, 17, 0),
        paused_at=at(2025, 6, 17, 9, 0),
        resumed_at=at(2025, 6, 19, 9, 0),
        time_unit=CALENDAR_DAYS,
    )
    assert shifted == at(2025, 6, 25, 17, 0)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        due(dt.datetime(2025, 6, 16, 9, 0), 1)


# --- Laws ----------------------------------------------------------------------------------------------------

moments = st.datetimes(min_value=dt.datetime(2024, 12, 1), max_value=dt.datetime(2026, 6, 30)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=TZ)
)
limits = st.integers(min_value=1, max_value=30)


def in_office_hours(moment):
    local = moment.astimezone(TZ)
    return CAL.is_working_day(local.date()) and any(
        dt.datetime.combine(local.date(), a, tzinfo=TZ) < local <= dt.datetime.combine(local.date(), b, tzinfo=TZ)
        for a, b in CAL.periods
    )


@settings(max_examples=150, deadline=None)
@given(moments, limits)
def test_a_working_day_deadline_holds_exactly_n_days_of_office_time(received, n):
    result = due(received, n)
    assert result > received
    assert in_office_hours(result)
    assert CAL.office_time_between(received, result) == n * dt.timedelta(hours=8)


@settings(max_examples=150, deadline=None)
@given(moments, moments, limits)
def test_a_later_receipt_never_gets_an_earlier_due_time(first, second, n):
    first, second = sorted((first, second))
    for unit in (WORKING_DAYS, CALENDAR_DAYS):
        assert due(first, n, unit) <= due(second, n, unit)


@settings(max_examples=100, deadline=None)
@given(moments, limits, limits)
def test_working_day_limits_add_up(received, n, m):
    assert CAL.add_office_time(due(received, n), m * CAL.day_length) == due(received, n + m)


@settings(max_examples=100, deadline=None)
@given(moments, limits)
def test_a_calendar_day_deadline_is_the_closing_time_of_a_working_day_at_least_n_days_later(received, n):
    result = due(received, n, CALENDAR_DAYS)
    assert CAL.is_working_day(result.date())
    assert result.time() == dt.time(17, 0)
    assert result.date() >= received.date() + dt.timedelta(days=n)


@settings(max_examples=100, deadline=None)
@given(moments, limits, moments, st.integers(min_value=0, max_value=20 * 24 * 60))
def test_a_pause_never_brings_the_due_time_forward_and_no_pause_changes_nothing(received, n, paused, minutes):
    original = due(received, n)
    resumed = paused + dt.timedelta(minutes=minutes)
    shifted = CAL.shift_for_pause(due_at=original, paused_at=paused, resumed_at=resumed, time_unit=WORKING_DAYS)
    assert shifted >= original
    assert CAL.office_time_between(original, shifted) == CAL.office_time_between(paused, resumed)
    assert CAL.shift_for_pause(due_at=original, paused_at=paused, resumed_at=paused, time_unit=WORKING_DAYS) == original


@settings(max_examples=100, deadline=None)
@given(moments, limits)
def test_a_receipt_outside_office_hours_counts_as_received_at_the_next_opening(received, n):
    opening = CAL.next_opening(received)
    assert opening >= received
    assert CAL.office_time_between(received, opening) == dt.timedelta()
    assert due(received, n) == due(opening, n)


# --- Edges that mutation testing showed no test held (docs/mutation.md) ---------------------------------------


def test_the_closing_time_is_the_end_of_the_last_period_of_the_day(settings):
    settings.SERVICE_CENTER_OFFICE_HOURS = [("07:00", "09:00"), ("10:00", "11:30"), ("13:30", "16:30")]
    assert WorkCalendar(tz=TZ).closing_time(dt.date(2025, 6, 16)) == at(2025, 6, 16, 16, 30)


def test_a_calendar_day_pause_within_one_day_leaves_the_due_time_as_it_was():
    due_at = at(2025, 6, 23, 10, 0)
    shifted = CAL.shift_for_pause(
        due_at=due_at, paused_at=at(2025, 6, 17, 9, 0), resumed_at=at(2025, 6, 17, 16, 0), time_unit=CALENDAR_DAYS
    )
    assert shifted == due_at


def test_a_calendar_day_pause_of_one_day_moves_the_due_time_by_a_day():
    shifted = CAL.shift_for_pause(
        due_at=at(2025, 6, 23, 17, 0),
        paused_at=at(2025, 6, 17, 9, 0),
        resumed_at=at(2025, 6, 18, 9, 0),
        time_unit=CALENDAR_DAYS,
    )
    assert shifted == at(2025, 6, 24, 17, 0)


def test_a_pause_in_an_unknown_time_unit_is_a_programming_error_that_names_it():
    with pytest.raises(ValueError, match="unknown time unit 'weeks'"):
        CAL.shift_for_pause(
            due_at=at(2025, 6, 23, 17, 0), paused_at=at(2025, 6, 17), resumed_at=at(2025, 6, 18), time_unit="weeks"
        )


# --- due_for: a procedure's time limit from the calendar in force -------------------------------------------


@pytest.mark.django_db
def test_due_for_reads_the_procedures_limit_and_the_calendar_in_force():
    from service_center.calendar import due_for
    from service_center.models import CalendarOverride, Procedure

    procedure = Procedure(time_limit=2, time_unit=Procedure.TimeUnit.WORKING_DAYS)
    # Monday 16/6/2025 14:00 + 2 working days is Wednesday 18/6 14:00, unless Tuesday is made a day off.
    assert due_for(procedure=procedure, received_at=at(2025, 6, 16, 14, 0)) == at(2025, 6, 18, 14, 0)
    CalendarOverride.objects.create(date=dt.date(2025, 6, 17), kind=CalendarOverride.Kind.DAY_OFF)
    assert due_for(procedure=procedure, received_at=at(2025, 6, 16, 14, 0)) == at(2025, 6, 19, 14, 0)


@pytest.mark.django_db
def test_due_for_uses_the_calendar_it_is_given_and_the_procedures_unit():
    from service_center.calendar import due_for
    from service_center.models import Procedure

    given = WorkCalendar(tz=TZ, overrides={dt.date(2025, 6, 17): False})
    working = Procedure(time_limit=2, time_unit=Procedure.TimeUnit.WORKING_DAYS)
    calendar_days = Procedure(time_limit=2, time_unit=Procedure.TimeUnit.CALENDAR_DAYS)

    assert due_for(procedure=working, received_at=at(2025, 6, 16, 14, 0), work_calendar=given) == at(2025, 6, 19, 14, 0)
    assert due_for(procedure=calendar_days, received_at=at(2025, 6, 16, 14, 0), work_calendar=given) == due(
        at(2025, 6, 16, 14, 0), 2, CALENDAR_DAYS, given
    )
    assert due(at(2025, 6, 16, 14, 0), 2, CALENDAR_DAYS, given) != at(2025, 6, 19, 14, 0)


# --- Office hours from the settings, and the edges of a period -----------------------------------------------


def test_office_hours_are_read_from_the_settings_with_their_minutes(settings):
    from service_center.calendar import _office_hours

    settings.SERVICE_CENTER_OFFICE_HOURS = (("07:30", "11:30"), ("11:30", "16:45"))  # adjacent periods are fine
    assert _office_hours() == ((dt.time(7, 30), dt.time(11, 30)), (dt.time(11, 30), dt.time(16, 45)))


@pytest.mark.parametrize(
    "hours",
    [
        (),
        (("08:00", "08:00"),),  # empty period
        (("17:00", "08:00"),),  # ends before it starts
        (("13:00", "17:00"), ("07:30", "11:30")),  # out of order
        (("07:30", "12:00"), ("11:00", "17:00")),  # overlapping
    ],
)
def test_office_hours_that_are_not_ordered_non_overlapping_periods_are_refused(settings, hours):
    from service_center.calendar import _office_hours

    settings.SERVICE_CENTER_OFFICE_HOURS = hours
    with pytest.raises(
        ValueError, match=r"^SERVICE_CENTER_OFFICE_HOURS must be ordered, non-overlapping \(start, end\) pairs$"
    ):
        _office_hours()


def test_at_the_end_of_a_period_the_next_opening_is_the_next_period():
    assert CAL.next_opening(at(2025, 6, 16, 11, 30)) == at(2025, 6, 16, 13, 30)
    assert CAL.next_opening(at(2025, 6, 16, 17, 0)) == at(2025, 6, 17, 7, 0)


def test_a_receipt_given_in_another_time_zone_is_read_in_the_calendars():
    # 18:00 UTC on Monday 16/6 is 01:00 on Tuesday 17/6 in Hà Nội: the clock starts on Tuesday morning.
    received = dt.datetime(2025, 6, 16, 18, 0, tzinfo=dt.UTC)
    assert due(received, 1) == at(2025, 6, 17, 17, 0)
    assert due(received, 1, CALENDAR_DAYS) == at(2025, 6, 18, 17, 0)
    # A calendar kept in UTC reads the same moment as Monday 16/6, whatever the process's time zone.
    in_utc = WorkCalendar(tz=dt.UTC)
    assert due(received, 1, CALENDAR_DAYS, in_utc) == dt.datetime(2025, 6, 17, 17, 0, tzinfo=dt.UTC)


def test_a_naive_time_or_an_unknown_unit_is_a_programming_error_that_says_so():
    with pytest.raises(ValueError, match=r"^deadlines need aware datetimes$"):
        due(dt.datetime(2025, 6, 16, 8, 0), 1)
    with pytest.raises(ValueError, match=r"^unknown time unit 'weeks'$"):
        due(at(2025, 6, 16, 8, 0), 1, "weeks")


def test_a_calendar_without_a_working_day_in_ten_years_is_an_error_that_says_so():
    start = dt.date(2025, 6, 16)
    closed = WorkCalendar(tz=TZ, overrides={start + dt.timedelta(days=i): False for i in range(3660)})
    with pytest.raises(ValueError, match=r"^no working day within ten years$"):
        closed.next_working_day(start)
