import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.models import IssueSeverity
from pilot_portal.campaigns.services import (
    campaign_unit_add,
    checklist_item_update,
    checklist_templates_ensure_defaults,
    pilot_issue_answer,
)
from pilot_portal.campaigns.tests.factories import CampaignFactory, PilotIssueFactory
from units.tests.factories import UnitFactory

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
    expect(page.get_by_role("heading", name="Vận hành thử nghiệm Hải Phòng")).to_be_visible()
    expect(page.locator("#readiness-matrix").get_by_role("link", name=unit.name)).to_be_visible()

    page.locator("#late-items").get_by_role("link", name=unit.name).first.click()
    expect(page.get_by_role("heading", name=unit.name)).to_be_visible()
    expect(page.locator("#go-live-gate").get_by_text("Kỳ họp thứ nhất HĐND chưa bế mạc.")).to_be_visible()

    page.get_by_role("link", name="Mất kết nối với tỉnh").click()
    page.get_by_label("Trả lời của tỉnh").fill("Viettel kéo đường truyền dự phòng trong ngày 17/6")
    page.get_by_label("Đóng vấn đề").check()
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.get_by_text("Đã ghi nhận câu trả lời.")).to_be_visible()
    expect(page.locator("#issue-status")).to_have_text("Đã đóng")

    page.get_by_role("link", name="Vận hành thử nghiệm", exact=True).click()
    page.get_by_role("link", name="Báo cáo sơ kết").click()
    expect(page.locator("#report-totals").get_by_text("0/36 (0%)")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp Excel").click()
    path = tmp_path / "report.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(path).worksheets[0].iter_rows(min_row=3, values_only=True))
    assert {row[0] for row in rows} == {unit.name, "Phường Đúng Hạn", "Toàn tỉnh"}


def test_unit_official_ticks_an_item_with_a_file_and_raises_an_issue(
    page, login, unit, unit_official, settings, tmp_path
):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    checklist_templates_ensure_defaults()
    campaign_unit_add(campaign=CampaignFactory(province=unit.province), unit=unit)
    evidence = tmp_path / "bien-ban-nghiem-thu.pdf"
    evidence.write_bytes(b"%PDF-1.4 nghiem thu cap quang")

    login(unit_official)
    expect(page.get_by_role("heading", name=unit.name)).to_be_visible()
    page.get_by_role("link", name="Cập nhật: Đường truyền mạng").click()
    page.get_by_label("Trạng thái").select_option(label="Đã hoàn thành")
    page.get_by_label("Minh chứng", exact=True).fill("Cáp quang 100 Mbps đã nghiệm thu")
    page.get_by_label("Tệp minh chứng").set_input_files(evidence)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã cập nhật việc chuẩn bị.")).to_be_visible()
    row = page.locator("tr", has_text="Đường truyền mạng")
    expect(row).to_contain_text("Đã hoàn thành")
    expect(row).to_contain_text("Cáp quang 100 Mbps đã nghiệm thu")
    with page.expect_download() as download:
        row.get_by_role("link", name="tệp").click()
    assert download.value.suggested_filename == "bien-ban-nghiem-thu.pdf"

    page.get_by_role("link", name="Nêu bất cập, vướng mắc").click()
    page.get_by_label("Loại").select_option(label="Vướng mắc")
    page.get_by_label("Mức độ").select_option(label="Nghiêm trọng")
    page.get_by_label("Khối").select_option(label="Trung tâm Phục vụ hành chính công")
    page.get_by_label("Tiêu đề").fill("Chưa có chữ ký số cho Trung tâm PVHCC")
    page.get_by_label("Đề xuất xử lý").fill("Sở Khoa học và Công nghệ cấp trước 20/6")
    page.get_by_role("button", name="Gửi lên tỉnh").click()
    expect(page.get_by_text("Đã gửi vấn đề lên tỉnh.")).to_be_visible()
    expect(page.locator("#issue-status")).to_have_text("Chưa trả lời")
    expect(page.locator("#issue-block")).to_have_text("Trung tâm Phục vụ hành chính công")
    page.get_by_role("link", name=unit.name).click()
    expect(page.locator("#go-live-gate").get_by_text("Chưa có chữ ký số cho Trung tâm PVHCC")).to_be_visible()


def test_province_staff_walks_a_unit_to_live_with_a_recorded_override(page, login, unit, province_staff):
    checklist_templates_ensure_defaults()
    campaign_unit_add(campaign=CampaignFactory(province=unit.province), unit=unit)

    login(province_staff)
    page.locator("#readiness-matrix").get_by_role("link", name=unit.name).click()
    for status in ("Đang thử nghiệm", "Đã rút kinh nghiệm"):
        page.get_by_label("Trạng thái thử nghiệm mới").select_option(label=status)
        page.get_by_role("button", name="Chuyển trạng thái").click()
        expect(page.get_by_text("Đã chuyển trạng thái thử nghiệm.")).to_be_visible()
        expect(page.locator("#pilot-status")).to_have_text(status)

    gate = page.locator("#go-live-gate")
    gate.get_by_role("button", name="Cho đơn vị vận hành chính thức").click()
    expect(page.get_by_text("hãy ghi lý do")).to_be_visible()
    expect(page.locator("#pilot-status")).to_have_text("Đã rút kinh nghiệm")
    gate.get_by_label("Lý do cho vận hành khi chưa đủ điều kiện").fill("Chỉ đạo của Chủ tịch UBND tỉnh ngày 30/6")
    gate.get_by_role("button", name="Cho đơn vị vận hành chính thức").click()
    expect(page.get_by_text("Đơn vị đã chính thức vận hành.")).to_be_visible()
    expect(page.locator("#pilot-status")).to_have_text("Chính thức vận hành")
    expect(gate.get_by_text("Chỉ đạo của Chủ tịch UBND tỉnh ngày 30/6")).to_be_visible()


def test_province_staff_filters_the_issues_log_by_status(page, login, unit, province_staff):
    checklist_templates_ensure_defaults()
    campaign_unit = campaign_unit_add(campaign=CampaignFactory(province=unit.province), unit=unit)
    PilotIssueFactory(campaign_unit=campaign_unit, title="Thiếu máy quét tại bộ phận một cửa")
    answered = PilotIssueFactory(campaign_unit=campaign_unit, title="Chưa rõ quy trình bàn giao hồ sơ")
    pilot_issue_answer(issue=answered, actor=province_staff, answer="Sở Nội vụ đã hướng dẫn")

    login(province_staff)
    page.get_by_role("link", name="Sổ theo dõi bất cập, vướng mắc").first.click()
    table = page.locator("table")
    expect(table.get_by_role("link", name="Thiếu máy quét tại bộ phận một cửa")).to_be_visible()
    expect(table.get_by_role("link", name="Chưa rõ quy trình bàn giao hồ sơ")).to_be_visible()
    page.get_by_role("link", name="Chưa trả lời", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]status=open"))
    expect(table.get_by_role("link", name="Thiếu máy quét tại bộ phận một cửa")).to_be_visible()
    expect(table.get_by_role("link", name="Chưa rõ quy trình bàn giao hồ sơ")).to_have_count(0)


def test_a_second_official_saving_the_same_item_is_told_and_keeps_their_text(page, login, unit, unit_official):
    checklist_templates_ensure_defaults()
    campaign_unit = campaign_unit_add(campaign=CampaignFactory(province=unit.province), unit=unit)
    item = campaign_unit.items.get(title="Đường truyền mạng")
    colleague = UserFactory(unit_official=True, unit=unit, first_name="Trần Thị Mai")

    login(unit_official)
    page.get_by_role("link", name="Cập nhật: Đường truyền mạng").click()
    # Meanwhile a colleague saves the same item from another computer.
    checklist_item_update(item=item, to="in_progress", actor=colleague, evidence_note="Đã lắp cáp, chờ nghiệm thu")
    page.get_by_label("Minh chứng", exact=True).fill("Cáp quang 100 Mbps đã nghiệm thu")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_text("Người khác vừa lưu việc này.")).to_be_visible()
    expect(page.get_by_text("Nội dung Trần Thị Mai vừa lưu")).to_be_visible()
    expect(page.get_by_text("Đã lắp cáp, chờ nghiệm thu")).to_be_visible()
    expect(page.get_by_label("Minh chứng", exact=True)).to_have_value("Cáp quang 100 Mbps đã nghiệm thu")
    shots = Path("/tmp/wt-robust-shots")
    shots.mkdir(exist_ok=True)
    for width, height in [(390, 844), (820, 1180), (1366, 768)]:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(shots / f"item-conflict-{width}.png"), full_page=True)

    page.get_by_role("button", name="Lưu").click()  # saving again, knowingly, replaces the colleague's note
    expect(page.get_by_text("Đã cập nhật việc chuẩn bị.")).to_be_visible()
    expect(page.locator("tr", has_text="Đường truyền mạng")).to_contain_text("Cáp quang 100 Mbps đã nghiệm thu")
