"""The one-pass counts of 06a by unit and of the Decision 766 indicators (``period_counts``) against the ORM
aggregates they replace on the statistics page (06a by field, per unit; ``indicators_of_period``), on random data:
any hour of the day (the days in Vietnam time), any status, channel and digitization, returned or not, any period
before or after now."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service_center import indicators
from service_center.models import Channel, Dossier, Status
from service_center.selectors import (
    STAT_FIELDS,
    dossier_statistics,
    period_bounds,
    statistics_total,
    unit_period_counts_of,
    unit_statistics,
)
from units.tests.factories import UnitFactory

from .factories import DossierFactory

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()
CLOSED = {Status.DONE, Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED}
DAY = dt.date(2025, 6, 1)


def figures(row):
    return {name: getattr(row, name) for name in STAT_FIELDS}


def moment(day: int, minutes: int) -> dt.datetime:
    """``day`` days after 1/6/2025 at ``minutes`` past midnight, Vietnam time."""
    return dt.datetime.combine(DAY + dt.timedelta(days=day), dt.time(), tzinfo=TZ) + dt.timedelta(minutes=minutes)


dossier = st.tuples(
    st.integers(min_value=0, max_value=2),  # which unit
    st.integers(min_value=0, max_value=40),  # received so many days after 1/6
    st.integers(min_value=0, max_value=24 * 60 - 1),  # at this minute of the day
    st.integers(min_value=-1, max_value=10),  # due so many days later (-1: before it was received)
    st.sampled_from(Status.values),
    st.integers(min_value=-72, max_value=72),  # closed so many hours after the due time (when closed)
    st.integers(min_value=0, max_value=3 * 24),  # returned so many hours after that (when returned)
    st.sampled_from(Channel.values),
    st.booleans(),  # papers digitized
    st.booleans(),  # result digitized
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    dossiers=st.lists(dossier, max_size=16),
    start=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=0, max_value=20),
)
def test_one_pass_counts_equal_the_orm_aggregates(frozen_now, unit, province_staff, dossiers, start, length):
    Dossier.objects.all().delete()
    units = [unit, UnitFactory(province=unit.province), UnitFactory(province=unit.province)]
    for which, received, minute, due_in, status, closed_in, returned_in, channel, papers, result in dossiers:
        received_at = moment(received, minute)
        due_at = received_at + dt.timedelta(days=due_in)
        closed_at = max(received_at, due_at + dt.timedelta(hours=closed_in)) if status in CLOSED else None
        DossierFactory(
            unit=units[which],
            received_at=received_at,
            due_at=due_at,
            status=status,
            closed_at=closed_at,
            returned_at=closed_at + dt.timedelta(hours=returned_in) if status == Status.RETURNED else None,
            channel=channel,
            papers_digitized=papers,
            result_digitized=result,
        )
    first = DAY + dt.timedelta(days=start)
    last = first + dt.timedelta(days=length)
    counts = unit_period_counts_of(user=province_staff, start=first, end=last)

    # 06a by unit, row by row, against the ORM aggregate of each unit (by field, summed).
    by_unit = {row.unit_id: figures(row) for row in unit_statistics(counts)}
    expected = {}
    for each in units:
        rows = dossier_statistics(user=province_staff, start=first, end=last, unit_id=each.pk, group_by="field")
        if rows:
            expected[each.pk] = figures(statistics_total(rows))
    assert by_unit == expected
    assert [row.unit_id for row in dossier_statistics(user=province_staff, start=first, end=last)] == list(by_unit)

    # The indicators, against their own ORM aggregate.
    begin, finish = period_bounds(first, last)
    one_pass = indicators.indicator_rows_of(counts, begin=begin, finish=finish)
    orm = indicators.indicators_of_period(
        dossiers=Dossier.objects.visible_to(province_staff), begin=begin, finish=finish
    )
    assert [(r.unit_id, r.unit_name, r.counts) for r in one_pass] == [(r.unit_id, r.unit_name, r.counts) for r in orm]


def test_a_unit_of_another_province_is_not_counted(frozen_now, unit, province_staff):
    DossierFactory(unit=unit, received_at=moment(10, 9 * 60))
    DossierFactory(unit=UnitFactory(), received_at=moment(10, 9 * 60))
    counts = unit_period_counts_of(user=province_staff, start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30))
    assert [(row["unit_id"], row["received_new"], row["open_in_time"]) for row in counts] == [(unit.pk, 1, 0)]
    assert counts[0]["open_overdue"] == 1  # due 14/6, still open at the end of June


def test_the_day_finished_is_judged_in_vietnam_time(frozen_now, unit, province_staff):
    due = moment(10, 17 * 60)  # 17:00 on 11/6
    DossierFactory(unit=unit, received_at=moment(5, 540), due_at=due, status=Status.DONE, closed_at=moment(10, 60))
    # 23:30 on 10/6 in Vietnam is 16:30 UTC: early, not on the day.
    DossierFactory(unit=unit, received_at=moment(5, 540), due_at=due, status=Status.DONE, closed_at=moment(9, 1410))
    DossierFactory(unit=unit, received_at=moment(5, 540), due_at=due, status=Status.RETURNED, closed_at=moment(11, 30))
    [row] = unit_period_counts_of(user=province_staff, start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30))
    assert (row["finished_early"], row["finished_on_time"], row["finished_late"]) == (1, 1, 1)
    assert (row["finished"], row["finished_in_time"], row["returned"]) == (3, 2, 1)
