"""06a on the demo data: every row of every period reconciles, and each figure is what a count of the dossiers one
by one gives (received, carried over + new, = finished early / on time / late + open in time / overdue + refused,
withdrawn, stopped). The issue read "14 received = 1 finished + 12 open": the demo's row had 1 closed without a
result too, which the page now writes out under the table."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from pilot_portal.accounts.tests.factories import UserFactory
from service_center import demo
from service_center.models import FINISHED_STATUSES, Dossier, Status
from service_center.selectors import STAT_FIELDS, dossier_statistics, period_bounds

from .test_demo import pilot_units  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

PERIODS = [
    (dt.date(2025, 6, 1), dt.date(2025, 6, 30)),
    (dt.date(2025, 6, 16), dt.date(2025, 6, 25)),
    (dt.date(2025, 6, 27), dt.date(2025, 6, 30)),
    (dt.date(2025, 7, 1), dt.date(2025, 7, 15)),
]
WITHOUT_RESULT = {Status.REFUSED: "refused", Status.WITHDRAWN: "withdrawn", Status.STOPPED: "stopped"}


def day(moment):
    return timezone.localtime(moment).date()


def counted_one_by_one(dossiers, start, end) -> dict[int, Counter]:
    """The 06a figures of each unit, dossier by dossier, from the rules as the domain states them."""
    begin, finish = period_bounds(start, end)
    now = timezone.now()
    figures: dict[int, Counter] = {}
    for d in dossiers:
        if d.received_at >= finish or (d.received_at < begin and d.closed_at and d.closed_at < begin):
            continue
        row = figures.setdefault(d.unit_id, Counter())
        if d.received_at < begin:
            row["carried_over"] += 1
        else:
            row["received_new"] += 1
            row[{"1": "direct", "2": "online", "3": "post"}[d.channel]] += 1
        if d.closed_at and begin <= d.closed_at < finish:
            if d.status in FINISHED_STATUSES:
                closed, due = day(d.closed_at), day(d.due_at)
                row["finished_early" if closed < due else "finished_on_time" if closed == due else "finished_late"] += 1
            else:
                row[WITHOUT_RESULT[d.status]] += 1
        elif d.status != Status.SUPPLEMENT and d.due_at < min(finish, now):
            row["open_overdue"] += 1
        else:
            row["open_in_time"] += 1
    return figures


@pytest.fixture
def demo_dossiers(pilot_units):  # noqa: F811
    demo.seed(stdout=io.StringIO())
    return list(Dossier.objects.all())


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_every_row_of_the_demo_reconciles_and_matches_a_count_one_by_one(demo_dossiers, start, end):
    viewer = UserFactory(national_viewer=True)
    rows = dossier_statistics(user=viewer, start=start, end=end)
    expected = counted_one_by_one(demo_dossiers, start, end)
    assert {r.unit_id for r in rows} == set(expected)
    for row in rows:
        assert {name: getattr(row, name) for name in STAT_FIELDS} == {
            name: expected[row.unit_id][name] for name in STAT_FIELDS
        }, row.unit_name
        assert row.received == row.finished + row.still_open + row.closed_without_result
    # Dossiers closed without a result are part of the identity in the demo, not an empty column.
    assert sum(r.closed_without_result for r in rows) > 0


def test_the_page_writes_the_identity_of_the_demo_under_the_table(client, demo_dossiers):
    viewer = UserFactory(national_viewer=True)
    client.force_login(viewer)
    response = client.get(reverse("service_center:statistics"), {"start": "2025-06-27", "end": "2025-06-30"})
    total = response.context["total"]
    assert total.closed_without_result > 0
    assert (
        f"{total.received} hồ sơ tiếp nhận ({total.carried_over} kỳ trước chuyển qua + {total.received_new} mới "
        f"tiếp nhận) = {total.finished} đã giải quyết + {total.still_open} đang giải quyết + "
        f"{total.closed_without_result} kết thúc không có kết quả."
    ) in response.content.decode()
