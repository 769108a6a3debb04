"""The review report on a hand-made set, with the expected figures written out."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pilot_portal.campaigns.models import ItemStatus
from pilot_portal.campaigns.selectors import review_report
from pilot_portal.campaigns.services import campaign_unit_add, checklist_item_update, pilot_issue_answer
from pilot_portal.campaigns.tests.factories import PilotIssueFactory
from service_center.models import Status
from service_center.tests.factories import DossierFactory
from sessions.models import Session
from units.tests.factories import UnitFactory

from .conftest import closed_session, returned_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand_made(campaign, campaign_unit, province_staff):
    """Unit A: 5 hand items done + 3 derived = 8/18; HĐND 40 min, UBND 50 min (5 over 45); 4 dossiers, 3 finished,
    1 late (66.7 % on time); 2 issues, 1 answered. Unit B: nothing done, no session, no dossier, 1 issue."""
    a = campaign_unit
    for item in a.items.filter(derived_source="").order_by("block", "position")[:5]:
        checklist_item_update(item=item, to=ItemStatus.DONE, actor=province_staff)
    closed_session(a.unit, kind=Session.Kind.HDND, minutes=40, title="Kỳ họp thứ nhất HĐND")
    closed_session(
        a.unit,
        kind=Session.Kind.UBND,
        minutes=50,
        title="Phiên họp thứ nhất UBND",
        lessons_good="Chương trình gọn",
        lessons_fix="Tài liệu gửi muộn",
    )
    returned_dossier(a.unit)
    returned_dossier(a.unit)
    returned_dossier(a.unit, is_test=False, late=True)
    DossierFactory(unit=a.unit, status=Status.PROCESSING)
    answered = PilotIssueFactory(campaign_unit=a)
    pilot_issue_answer(issue=answered, actor=province_staff, answer="Đã có hướng dẫn")
    PilotIssueFactory(campaign_unit=a)
    b = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province, name="Phường Bình An"))
    PilotIssueFactory(campaign_unit=b)
    return a, b


def test_report_figures_per_unit(campaign, hand_made, province_staff):
    a, b = hand_made
    rows = {row.unit.pk: row for row in review_report(campaign=campaign, user=province_staff)["rows"]}
    row_a, row_b = rows[a.unit.pk], rows[b.unit.pk]
    assert (row_a.readiness.done, row_a.readiness.total, row_a.readiness.percent) == (8, 18, 44)
    assert (row_a.sessions_held, row_a.session_minutes, row_a.overruns) == (2, 90, 1)
    assert [s["overrun_minutes"] for s in row_a.sessions] == [0, 5]
    assert (row_a.readiness.dossiers["received"], row_a.readiness.dossiers["on_time_rate"]) == (4, 66.7)
    assert (row_a.readiness.issues_raised, row_a.readiness.issues_answered) == (2, 1)
    assert row_a.lessons == [
        "Phiên họp thứ nhất UBND: Chương trình gọn",
        "Phiên họp thứ nhất UBND: Tài liệu gửi muộn",
    ]
    assert (row_b.readiness.done, row_b.readiness.total, row_b.sessions_held) == (0, 18, 0)
    assert row_b.readiness.dossiers["on_time_rate"] is None
    assert (row_b.readiness.issues_raised, row_b.readiness.issues_answered) == (1, 0)


def test_report_figures_province_wide(campaign, hand_made, province_staff):
    assert review_report(campaign=campaign, user=province_staff)["totals"] == {
        "units": 2,
        "items_done": 8,
        "items_total": 36,
        "checklist_percent": 22,
        "sessions_held": 2,
        "session_minutes": 90,
        "overruns": 1,
        "dossiers_received": 4,
        "dossiers_returned": 3,
        "mean_on_time_rate": 66.7,
        "issues_raised": 3,
        "issues_answered": 1,
        "gate_passing": 0,
    }


def test_report_page_shows_the_figures_and_the_lessons(client, campaign, hand_made, province_staff):
    client.force_login(province_staff)
    content = client.get(reverse("campaigns:report", args=[campaign.pk])).content.decode()
    assert "8/36 (22%)" in content
    assert "Phiên họp thứ nhất UBND: Tài liệu gửi muộn" in content
    assert "Tỷ lệ đúng hạn trung bình của các đơn vị" in content
    assert re.search(r"Số liệu tính đến \d\d:\d\d \d\d/\d\d/20\d\d\.", content)


def test_report_excel_has_a_row_per_unit_and_the_province_total(client, campaign, hand_made, province_staff):
    a, _b = hand_made
    client.force_login(province_staff)
    response = client.get(reverse("campaigns:report_xlsx", args=[campaign.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(min_row=3, values_only=True))
    by_unit = {row[0]: row for row in rows}
    assert by_unit[a.unit.name][2:12] == (8, 18, 44, 2, 90, 1, 4, 3, 66.7, 2)
    assert by_unit["Toàn tỉnh"][2:14] == (8, 36, 22, 2, 90, 1, 4, 3, 66.7, 3, 1, 0)
    assert [r[1] for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)] == [
        "Kỳ họp thứ nhất HĐND",
        "Phiên họp thứ nhất UBND",
    ]


def test_report_excel_writes_titles_and_lessons_typed_as_formulas_as_text(client, campaign, province_staff):
    unit = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province)).unit
    title = '=HYPERLINK("http://example.invalid/","Bấm vào đây")'
    closed_session(unit, title=title, lessons_good="=1+1", lessons_fix="@SUM(A1:A9)")
    client.force_login(province_staff)
    book = load_workbook(BytesIO(client.get(reverse("campaigns:report_xlsx", args=[campaign.pk])).content))
    (session_cell,) = [row[1] for row in book.worksheets[1].iter_rows(min_row=2)]
    assert (session_cell.value, session_cell.data_type) == (title, "s")
    lessons = [row[1] for row in book.worksheets[2].iter_rows(min_row=2)]
    assert [(cell.data_type, cell.value.endswith(("=1+1", "@SUM(A1:A9)"))) for cell in lessons] == [("s", True)] * 2


def test_unit_official_sees_only_their_own_unit_in_the_report(client, campaign, hand_made, unit_official):
    a, _b = hand_made
    client.force_login(unit_official)
    response = client.get(reverse("campaigns:report", args=[campaign.pk]))
    assert [row.unit.pk for row in response.context["rows"]] == [a.unit.pk]
