"""The Decision 766 indicators in the review report: per unit and province-wide, with their formulas, on screen,
in print (the same page) and in the Excel file; as of a past day; a unit's users see their unit only."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pilot_portal.campaigns.selectors import review_report
from pilot_portal.campaigns.services import campaign_unit_add
from service_center.models import Channel, Status
from service_center.tests.factories import DossierFactory
from units.tests.factories import UnitFactory

from .conftest import returned_dossier

pytestmark = pytest.mark.django_db


def counts(row):
    return [(r.indicator.key, r.numerator, r.denominator, r.rate) for r in row.ratios]


@pytest.fixture
def hand_made(campaign, campaign_unit):
    """Unit A: 3 results returned (16/6; the late one finished 21/6), one with its result digitized; one open
    online dossier whose papers were digitized. Unit B: no dossier at all."""
    a = campaign_unit
    returned_dossier(a.unit)
    digitized = returned_dossier(a.unit)
    digitized.result_digitized = True
    digitized.save()
    returned_dossier(a.unit, is_test=False, late=True)
    DossierFactory(
        unit=a.unit,
        status=Status.PROCESSING,
        channel=Channel.ONLINE,
        papers_digitized=True,
        received_at=timezone.make_aware(dt.datetime(2025, 6, 20, 9, 0)),
    )
    b = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province, name="Phường Bình An"))
    return a, b


def test_report_has_the_indicators_of_every_unit_and_the_province(campaign, hand_made, province_staff):
    a, b = hand_made
    report = review_report(campaign=campaign, user=province_staff)
    rows = {row.unit_id: row for row in report["indicator_rows"]}
    assert set(rows) == {a.unit.pk, b.unit.pk}
    assert counts(rows[a.unit.pk]) == [
        ("on_time", 2, 3, 66.7),
        ("online", 1, 4, 25.0),
        ("papers_digitized", 1, 4, 25.0),
        ("results_digitized", 1, 3, 33.3),
        ("satisfaction", 0, 0, None),
    ]
    assert [rate for *_counts, rate in counts(rows[b.unit.pk])] == [None] * 5  # no dossier: no rate, no error
    assert counts(report["indicator_total"]) == counts(rows[a.unit.pk])


def test_report_as_of_a_past_day_counts_what_had_happened_by_then(campaign, hand_made, province_staff):
    a, _b = hand_made
    report = review_report(campaign=campaign, user=province_staff, on=dt.date(2025, 6, 17))
    row = next(r for r in report["indicator_rows"] if r.unit_id == a.unit.pk)
    # By the end of 17/6: three received, two returned on 16/6 (the late one only on 21/6), nothing online yet.
    assert counts(row)[:4] == [
        ("on_time", 2, 2, 100.0),
        ("online", 0, 3, 0.0),
        ("papers_digitized", 0, 3, 0.0),
        ("results_digitized", 1, 2, 50.0),
    ]


def test_report_page_writes_the_formulas_and_the_province_figures(client, campaign, hand_made, province_staff):
    client.force_login(province_staff)
    response = client.get(reverse("campaigns:report", args=[campaign.pk]))
    content = response.content.decode()
    assert "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)" in content
    assert "Số hồ sơ giải quyết trước hạn và đúng hạn / số hồ sơ đã giải quyết × 100%" in content
    assert "Số hồ sơ tiếp nhận trực tuyến / tổng số hồ sơ tiếp nhận × 100%" in content
    assert "Tính trên toàn bộ hồ sơ của các đơn vị đến thời điểm hiện tại." in content
    assert "66,7%" in content and "(2/3)" in content and "Toàn tỉnh" in content
    assert "Số đánh giá “rất hài lòng” và “hài lòng”" in content  # satisfaction: no rating yet, so "—"


def test_report_excel_has_a_sheet_of_indicators_with_counts_and_formulas(client, campaign, hand_made, province_staff):
    a, b = hand_made
    client.force_login(province_staff)
    book = load_workbook(BytesIO(client.get(reverse("campaigns:report_xlsx", args=[campaign.pk])).content))
    sheet = book["Chỉ số theo QĐ 766"]
    values = list(sheet.iter_rows(values_only=True))
    texts = [row[0] for row in values]
    assert values[0][0] == f"UBND {campaign.province.name.upper()}"
    assert "CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP" in texts and campaign.name in texts
    by_unit = {row[0]: row for row in values}
    assert by_unit[a.unit.name][1:13] == (2, 3, 66.7, 1, 4, 25, 1, 4, 25, 1, 3, 33.3)
    assert by_unit[b.unit.name][1:4] == (0, 0, "—")
    assert by_unit["Toàn tỉnh"][13:16] == (0, 0, "—")
    assert "Tỷ lệ số hóa kết quả = số kết quả giải quyết được số hóa khi trả / số kết quả đã trả × 100%" in texts


def test_a_unit_official_sees_the_indicators_of_their_unit_only(client, campaign, hand_made, unit_official):
    a, b = hand_made
    client.force_login(unit_official)
    response = client.get(reverse("campaigns:report", args=[campaign.pk]))
    assert [row.unit_id for row in response.context["indicator_rows"]] == [a.unit.pk]
    assert b.unit.name not in response.content.decode()
