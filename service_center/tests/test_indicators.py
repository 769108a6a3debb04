"""The Decision 766 indicators on a hand-made set, with every numerator and denominator written out, zero
denominators included (no rate, "—", never a division error), and the formulas on the page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from service_center.indicators import (
    INDICATORS,
    IndicatorCounts,
    SatisfactionCounts,
    indicators_by_unit,
    indicators_of_period,
    indicators_total,
    satisfaction_counts,
)
from service_center.models import Channel, Dossier, Status
from service_center.selectors import dossier_statistics, period_bounds, statistics_total
from units.tests.factories import UnitFactory

from .factories import DossierFactory
from .xlsx import table, workbook

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()
START, END = dt.date(2025, 6, 16), dt.date(2025, 6, 30)
PERIOD = {"start": "2025-06-16", "end": "2025-06-30"}


def at(month, day, hour=9):
    return dt.datetime(2025, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def units(unit):
    return {
        "a": unit,
        "b": UnitFactory(province=unit.province, short_name="An Lạc"),
        "c": UnitFactory(province=unit.province, short_name="Bạch Đằng"),
    }


@pytest.fixture
def hand_made(units):
    a, b, c = units["a"], units["b"], units["c"]
    make = DossierFactory
    # a: finished early (returned, result digitized, papers digitized, online), finished on time, a carried-over
    # dossier (papers digitized, not counted: received before the period), refused by post.
    make(unit=a, received_at=at(6, 17), due_at=at(6, 19), status=Status.RETURNED, closed_at=at(6, 18),
         returned_at=at(6, 18), channel=Channel.ONLINE, papers_digitized=True, result_digitized=True)  # fmt: skip
    make(unit=a, received_at=at(6, 18), due_at=at(6, 20, 15), status=Status.DONE, closed_at=at(6, 20))
    make(unit=a, received_at=at(6, 10), due_at=at(6, 13), status=Status.PROCESSING, papers_digitized=True)
    make(unit=a, received_at=at(6, 20), due_at=at(6, 21), status=Status.REFUSED, closed_at=at(6, 20),
         channel=Channel.POST)  # fmt: skip
    # b: finished late and returned without a digitized result (online, papers digitized); one open.
    make(unit=b, received_at=at(6, 23), due_at=at(6, 24), status=Status.RETURNED, closed_at=at(6, 25),
         returned_at=at(6, 26), channel=Channel.ONLINE, papers_digitized=True)  # fmt: skip
    make(unit=b, received_at=at(6, 27), due_at=at(7, 3))
    # c: one dossier received, nothing finished nor returned: zero denominators.
    make(unit=c, received_at=at(6, 24), due_at=at(6, 27))
    # Outside the period: returned in July (a dossier of June), received in July.
    make(unit=c, received_at=at(6, 2), due_at=at(6, 5), status=Status.RETURNED, closed_at=at(6, 4),
         returned_at=at(7, 1), result_digitized=True)  # fmt: skip
    make(unit=a, received_at=at(7, 2), due_at=at(7, 4), papers_digitized=True)


def counts(row):
    return [(r.indicator.key, r.numerator, r.denominator, r.rate) for r in row.ratios]


def period_rows(user):
    begin, finish = period_bounds(START, END)
    return indicators_of_period(dossiers=Dossier.objects.visible_to(user), begin=begin, finish=finish)


def test_every_unit_by_hand(hand_made, province_staff, units, django_assert_num_queries):
    with django_assert_num_queries(2):  # the dossiers' counts, the ratings' counts
        rows = period_rows(province_staff)
    assert [r.unit_name for r in rows] == [units["b"].name, units["c"].name, units["a"].name]
    b, c, a = rows
    assert counts(a) == [
        ("on_time", 2, 2, 100.0),
        ("online", 1, 3, 33.3),
        ("papers_digitized", 1, 3, 33.3),
        ("results_digitized", 1, 1, 100.0),
        ("satisfaction", 0, 0, None),
    ]
    assert counts(b) == [
        ("on_time", 0, 1, 0.0),
        ("online", 1, 2, 50.0),
        ("papers_digitized", 1, 2, 50.0),
        ("results_digitized", 0, 1, 0.0),
        ("satisfaction", 0, 0, None),
    ]
    # Nothing finished or returned in the period: no rate, not a division error. The dossier of June returned on
    # 1/7 is not a result of the period.
    assert counts(c) == [
        ("on_time", 0, 0, None),
        ("online", 0, 1, 0.0),
        ("papers_digitized", 0, 1, 0.0),
        ("results_digitized", 0, 0, None),
        ("satisfaction", 0, 0, None),
    ]


def test_the_province_total_is_computed_from_the_counts_not_the_mean_of_the_rates(hand_made, province_staff):
    total = indicators_total(period_rows(province_staff))
    assert counts(total) == [
        ("on_time", 2, 3, 66.7),
        ("online", 2, 6, 33.3),
        ("papers_digitized", 2, 6, 33.3),
        ("results_digitized", 1, 2, 50.0),
        ("satisfaction", 0, 0, None),
    ]


def test_on_time_and_online_agree_with_the_06a_columns(hand_made, province_staff):
    total = indicators_total(period_rows(province_staff))
    report = statistics_total(dossier_statistics(user=province_staff, start=START, end=END))
    on_time, online = total.ratios[:2]
    assert (on_time.numerator, on_time.denominator) == (
        report.finished_early + report.finished_on_time,
        report.finished,
    )
    assert (online.numerator, online.denominator) == (report.online, report.received_new)
    assert (on_time.rate, online.rate) == (report.on_time_rate, report.online_rate)


def test_satisfaction_counts_the_ratings_of_the_period(units, hand_made):
    from service_center.models import DossierRating

    a = units["a"]
    assert satisfaction_counts(unit_ids=[a.pk]) == {a.pk: SatisfactionCounts(available=True)}
    assert IndicatorCounts(satisfaction=SatisfactionCounts(available=True)).ratios[-1].rate is None
    levels = [DossierRating.Level.VERY_SATISFIED] * 3 + [DossierRating.Level.SATISFIED] * 4
    levels += [DossierRating.Level.UNSATISFIED]
    for level in levels:
        DossierRating.objects.create(dossier=DossierFactory(unit=a), level=level, rated_at=at(6, 20, 9))
    DossierRating.objects.create(
        dossier=DossierFactory(unit=a), level=DossierRating.Level.UNSATISFIED, rated_at=at(8, 1, 9)
    )
    begin, finish = period_bounds(START, END)
    (counted,) = satisfaction_counts(unit_ids=[a.pk], begin=begin, finish=finish).values()
    assert counted == SatisfactionCounts(very_satisfied=3, satisfied=4, dissatisfied=1, available=True)
    ratio = IndicatorCounts(satisfaction=counted).ratios[-1]
    assert (ratio.numerator, ratio.denominator, ratio.rate) == (7, 8, 87.5)
    assert satisfaction_counts(unit_ids=[a.pk])[a.pk].total == 9  # no period: every rating


def test_every_zero_denominator_gives_no_rate():
    assert [r.rate for r in IndicatorCounts().ratios] == [None] * len(INDICATORS)


def test_indicators_by_unit_cover_every_unit_up_to_a_moment(hand_made, units, django_assert_num_queries):
    ids = [u.pk for u in units.values()]
    with django_assert_num_queries(2):
        now = indicators_by_unit(unit_ids=ids)
    assert counts(now[units["c"].pk])[:4] == [
        ("on_time", 1, 1, 100.0),  # the dossier of June, finished on 4/6
        ("online", 0, 2, 0.0),
        ("papers_digitized", 0, 2, 0.0),
        ("results_digitized", 1, 1, 100.0),  # returned on 1/7
    ]
    on_30_june = indicators_by_unit(unit_ids=ids, until=at(7, 1, 0))
    assert counts(on_30_june[units["c"].pk])[3] == ("results_digitized", 0, 0, None)
    assert counts(on_30_june[units["a"].pk])[1] == ("online", 1, 4, 25.0)  # the July dossier not yet received
    assert indicators_by_unit(unit_ids=[UnitFactory().pk]).popitem()[1] == IndicatorCounts()


def test_the_page_writes_each_formula_with_its_counts(client, hand_made, province_staff):
    client.force_login(province_staff)
    content = client.get(reverse("service_center:statistics"), PERIOD).content.decode()
    assert "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)" in content
    assert "Số hồ sơ giải quyết trước hạn và đúng hạn / số hồ sơ đã giải quyết × 100%" in content
    assert "Số hồ sơ được số hóa thành phần hồ sơ khi tiếp nhận / tổng số hồ sơ tiếp nhận × 100%" in content
    assert "Số kết quả giải quyết được số hóa khi trả / số kết quả đã trả × 100%" in content
    assert "Số đánh giá “rất hài lòng” và “hài lòng” / tổng số đánh giá × 100%" in content
    assert "66,7%" in content and "(2/3)" in content
    assert "Số đánh giá “rất hài lòng” và “hài lòng”" in content  # satisfaction, no rating yet: "—"
    assert "Toàn tỉnh" in content


def test_a_period_without_dossiers_shows_dashes_not_an_error(client, province_staff):
    client.force_login(province_staff)
    response = client.get(reverse("service_center:statistics"), PERIOD)
    assert response.status_code == 200
    assert [r.rate for r in response.context["indicator_total"].ratios] == [None] * len(INDICATORS)
    assert response.content.decode().count('title="Không có dữ liệu: mẫu số bằng 0.">—</span>') == 5


def test_the_excel_file_has_the_indicators_with_their_counts_and_formulas(client, hand_made, province_staff, units):
    client.force_login(province_staff)
    book = workbook(client.get(reverse("service_center:statistics"), PERIOD | {"format": "xlsx"}))
    sheet = book["Chỉ số theo QĐ 766"]
    rows = table(sheet, "Đơn vị")
    assert rows[0][1:4] == ("Tỷ lệ đúng hạn", None, None)
    assert rows[1][1:4] == ("Tử số", "Mẫu số", "Tỷ lệ (%)")
    by_name = {row[0]: row for row in rows[2:]}
    assert by_name[units["c"].name][1:4] == (0, 0, "—")
    assert by_name[units["a"].name][1:13] == (2, 2, 100, 1, 3, 33.3, 1, 3, 33.3, 1, 1, 100)
    assert by_name["Tổng"][1:16] == (2, 3, 66.7, 2, 6, 33.3, 2, 6, 33.3, 1, 2, 50, 0, 0, "—")
    texts = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert (
        "Tỷ lệ số hóa hồ sơ = số hồ sơ được số hóa thành phần hồ sơ khi tiếp nhận / tổng số hồ sơ tiếp nhận × 100%"
        in texts
    )
    assert "CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP" in texts
