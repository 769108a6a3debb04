import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service_center.models import Channel, Dossier, Status
from service_center.selectors import dossier_statistics

from .factories import DossierFactory
from .xlsx import table, workbook

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def at(day, hour=9):
    return dt.datetime(2025, 6, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def hand_made_set(unit):
    """June 2025 report, period 16/6-30/6. Expected counts are written out in the tests."""
    make = DossierFactory
    # Carried over: received before the period, still open on 16/6 (one closed before: not carried).
    make(unit=unit, received_at=at(10), due_at=at(13), status=Status.PROCESSING)  # open overdue at the end
    make(unit=unit, received_at=at(11), due_at=at(20), status=Status.RETURNED, closed_at=at(19))  # finished early
    make(unit=unit, received_at=at(2), due_at=at(5), status=Status.RETURNED, closed_at=at(5))  # not in the report
    # New in the period: 2 in person, 2 online, 1 by post.
    make(unit=unit, received_at=at(16), due_at=at(18, 15), status=Status.DONE, closed_at=at(18, 10))  # on time
    make(
        unit=unit, received_at=at(17), due_at=at(19), status=Status.RETURNED, closed_at=at(23), channel=Channel.ONLINE
    )  # late
    make(unit=unit, received_at=at(18), due_at=at(27), status=Status.SUPPLEMENT, channel=Channel.ONLINE)  # in time
    make(unit=unit, received_at=at(20), due_at=at(24), status=Status.REFUSED, closed_at=at(20), channel=Channel.POST)
    make(unit=unit, received_at=at(27), due_at=dt.datetime(2025, 7, 3, 9, 0, tzinfo=TZ))  # open in time
    # After the period: ignored.
    make(unit=unit, received_at=dt.datetime(2025, 7, 2, 9, 0, tzinfo=TZ))


def test_statistics_of_a_hand_made_set(hand_made_set, ward_clerk, django_assert_num_queries):
    with django_assert_num_queries(1):
        [row] = dossier_statistics(user=ward_clerk, start=dt.date(2025, 6, 16), end=dt.date(2025, 6, 30))
    assert (row.carried_over, row.received_new, row.received) == (2, 5, 7)
    assert (row.direct, row.online, row.post) == (2, 2, 1)
    assert (row.finished_early, row.finished_on_time, row.finished_late) == (1, 1, 1)
    assert (row.open_in_time, row.open_overdue) == (2, 1)
    assert (row.refused, row.withdrawn, row.stopped) == (1, 0, 0)
    # 7 received = 3 finished + 3 still open + 1 closed without a result.
    assert (row.finished, row.still_open, row.closed_without_result, row.reconciles) == (3, 3, 1, True)
    assert row.on_time_rate == pytest.approx(66.7)
    assert row.online_rate == pytest.approx(40.0)


def test_statistics_page_and_excel_show_the_same_figures(client, hand_made_set, ward_clerk):
    client.force_login(ward_clerk)
    period = {"start": "2025-06-16", "end": "2025-06-30"}
    response = client.get(reverse("service_center:statistics"), period)
    assert response.status_code == 200
    assert response.context["total"].received == 7
    assert "Tỷ lệ đúng hạn (%)" in response.content.decode()
    rows = table(
        workbook(client.get(reverse("service_center:statistics"), period | {"format": "xlsx"})).active, "Đơn vị"
    )
    assert rows[1][0] == ward_clerk.unit.name
    assert rows[1][1:4] == (7, 2, 5)
    assert rows[-1][0] == "Tổng"


def test_statistics_of_a_clerk_exclude_other_units(client, ward_clerk, other_unit):
    DossierFactory(unit=other_unit, received_at=at(17))
    assert dossier_statistics(user=ward_clerk, start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30)) == []


def test_a_reversed_period_shows_a_message(client, ward_clerk):
    client.force_login(ward_clerk)
    response = client.get(reverse("service_center:statistics"), {"start": "2025-06-30", "end": "2025-06-01"})
    assert response.status_code == 200
    assert "Ngày bắt đầu không được sau ngày kết thúc." in response.content.decode()


@pytest.mark.parametrize("units", [2, 12])
def test_statistics_page_query_count_is_constant(client, national_viewer, django_assert_max_num_queries, units):
    for _ in range(units):
        DossierFactory(received_at=at(17))
    client.force_login(national_viewer)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("service_center:statistics"), {"start": "2025-06-01", "end": "2025-06-30"})
    assert len(response.context["rows"]) == units


CLOSED = {Status.DONE, Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    dossiers=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=30),  # received on this day of June
            st.integers(min_value=0, max_value=10),  # due so many days later
            st.sampled_from(Status.values),
            st.integers(min_value=0, max_value=10),  # closed so many days after receipt (when closed)
        ),
        max_size=12,
    )
)
def test_every_row_of_06a_reconciles(unit, ward_clerk, dossiers):
    """Received (carried over + new) = finished (early, on time, late) + still open (in time, overdue) + closed
    without a result (refused, withdrawn, stopped), whatever the mix."""
    Dossier.objects.filter(unit=unit).delete()
    for received, due_in, status, closed_in in dossiers:
        received_at = at(received)
        closed_at = received_at + dt.timedelta(days=closed_in) if status in CLOSED else None
        DossierFactory(
            unit=unit,
            received_at=received_at,
            due_at=received_at + dt.timedelta(days=due_in),
            status=status,
            closed_at=closed_at,
        )
    for row in dossier_statistics(user=ward_clerk, start=dt.date(2025, 6, 10), end=dt.date(2025, 6, 20)):
        assert row.received == row.finished + row.still_open + row.closed_without_result, row


def test_a_dossier_awaiting_a_supplement_is_open_in_time_the_others_past_due_are_overdue(unit, ward_clerk):
    for status in (Status.PROCESSING, Status.RECEIVED, Status.SUPPLEMENT):
        DossierFactory(unit=unit, received_at=at(16), due_at=at(20), status=status)
    [row] = dossier_statistics(user=ward_clerk, start=dt.date(2025, 6, 16), end=dt.date(2025, 6, 30))
    assert (row.still_open, row.open_in_time, row.open_overdue) == (3, 1, 2)


def test_the_figures_of_one_unit_and_by_field(unit, other_unit, national_viewer):
    from .factories import ProcedureFactory

    civil, land = ProcedureFactory(field="Hộ tịch"), ProcedureFactory(field="Đất đai")
    DossierFactory(unit=unit, procedure=civil, received_at=at(16))
    DossierFactory(unit=unit, procedure=land, received_at=at(17))
    DossierFactory(unit=other_unit, procedure=civil, received_at=at(17))
    period = {"start": dt.date(2025, 6, 16), "end": dt.date(2025, 6, 30)}

    [row] = dossier_statistics(user=national_viewer, unit_id=unit.pk, **period)
    assert (row.unit_id, row.received) == (unit.pk, 2)
    by_field = dossier_statistics(user=national_viewer, group_by="field", **period)
    assert sorted((r.field, r.received) for r in by_field) == [("Hộ tịch", 2), ("Đất đai", 1)]


def test_the_period_ends_with_its_last_day_and_a_stopped_dossier_is_counted_as_stopped(unit, ward_clerk):
    DossierFactory(unit=unit, received_at=at(30, 23), due_at=at(30, 23))  # the last evening: in the period
    DossierFactory(unit=unit, received_at=dt.datetime(2025, 7, 1, 9, 0, tzinfo=TZ))  # the next morning: not
    DossierFactory(unit=unit, received_at=at(16), due_at=at(20), status=Status.STOPPED, closed_at=at(18))
    [row] = dossier_statistics(user=ward_clerk, start=dt.date(2025, 6, 16), end=dt.date(2025, 6, 30))
    assert (row.received, row.stopped, row.closed_without_result, row.reconciles) == (2, 1, 1, True)


def test_a_row_whose_figures_do_not_add_up_does_not_reconcile():
    from service_center.selectors import PeriodFigures

    assert PeriodFigures(carried_over=1, open_in_time=1).reconciles
    assert not PeriodFigures(carried_over=1).reconciles  # received, but neither finished, open nor closed
    assert not PeriodFigures(open_in_time=1).reconciles  # open, but never received
