import pytest
from openpyxl import load_workbook

from units.campaign_services import campaign_unit_add, checklist_templates_ensure_defaults
from units.models import IssueSeverity
from units.tests.factories import CampaignFactory, PilotIssueFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_province_staff_drills_into_a_late_unit_answers_an_issue_and_exports_the_report(
    page, login, unit, province_staff, tmp_path
):
    checklist_templates_ensure_defaults()
    campaign = CampaignFactory(province=unit.province, name="Vận hành thử nghiệm Hải Phòng")
    late = campaign_unit_add(campaign=campaign, unit=unit)
    campaign_unit_add(campaign=campaign, unit=UnitFactory(province=unit.province, name="Phường Đúng Hạn"))
    PilotIssueFactory(campaign_unit=late, severity=IssueSeverity.CRITICAL, title="Mất kết nối với tỉnh")

    login(province_staff)
    assert page.get_by_role("heading", name="Vận hành thử nghiệm Hải Phòng").is_visible()
    assert page.locator("#readiness-matrix").get_by_role("link", name=unit.name).is_visible()

    page.locator("#late-items").get_by_role("link", name=unit.name).first.click()
    assert page.get_by_role("heading", name=unit.name).is_visible()
    assert page.locator("#go-live-gate").get_by_text("Kỳ họp thứ nhất HĐND chưa bế mạc.").is_visible()

    page.get_by_role("link", name="Mất kết nối với tỉnh").click()
    page.get_by_label("Trả lời của tỉnh").fill("Viettel kéo đường truyền dự phòng trong ngày 17/6")
    page.get_by_label("Đóng vấn đề").check()
    page.get_by_role("button", name="Gửi trả lời").click()
    assert page.get_by_text("Đã ghi nhận câu trả lời.").is_visible()
    assert page.locator("#issue-status").inner_text() == "Đã đóng"

    page.get_by_role("link", name="Vận hành thử nghiệm", exact=True).click()
    page.get_by_role("link", name="Báo cáo sơ kết").click()
    assert page.locator("#report-totals").get_by_text("0/36 (0%)").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp Excel").click()
    path = tmp_path / "report.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(path).worksheets[0].iter_rows(min_row=3, values_only=True))
    assert {row[0] for row in rows} == {unit.name, "Phường Đúng Hạn", "Toàn tỉnh"}
