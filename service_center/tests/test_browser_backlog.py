"""The clerk imports a district's backlog list in the browser: template, upload, dry-run report, import."""

import csv
import io

import pytest
from playwright.sync_api import expect

from service_center.models import BacklogRecord, Dossier

from .factories import ProcedureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": 390, "tablet": 820, "desktop": 1366}


def mixed_csv(tmp_path):
    path = tmp_path / "ton-dong-an-lao.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Số hồ sơ cũ", "Đơn vị cấp huyện cũ", "Mã thủ tục", "Họ và tên người nộp", "Số CCCD",
                     "Ngày giờ tiếp nhận", "Ngày hẹn trả", "Ngày bàn giao"])  # fmt: skip
    writer.writerow(["H23-0101", "Huyện An Lão", "1.001193", "Trần Thị Bình", "031190123456",
                     "02/06/2025 09:00", "05/06/2025 09:00", "01/07/2025"])  # fmt: skip
    writer.writerow(["H23-0102", "Huyện An Lão", "1.001193", "Lê Văn Cường", "031085001235",
                     "31/02/2025 09:00", "", "01/07/2025"])  # fmt: skip
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def shoot(page, tmp_path, name):
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=tmp_path / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_clerk_downloads_the_template_uploads_checks_and_imports(page, login, ward_clerk, tmp_path, settings):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh", time_limit=3)
    login(ward_clerk)
    page.goto("/service-center/")
    page.get_by_role("link", name="Hồ sơ tồn đọng cấp huyện").click()

    with page.expect_download() as download:
        page.get_by_role("link", name="Tệp mẫu (Excel)").click()
    assert download.value.suggested_filename == "mau-ho-so-ton-dong.xlsx"
    template = tmp_path / "mau-ho-so-ton-dong.xlsx"
    download.value.save_as(template)

    # The template as downloaded, with its example row: one dossier to receive.
    page.get_by_label("Danh sách hồ sơ tồn đọng (Excel .xlsx hoặc CSV)").set_input_files(template)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("heading", name="Kết quả kiểm tra tệp (chưa lưu)")).to_be_visible()
    expect(page.locator("#row-2")).to_contain_text("Sẽ tiếp nhận")
    expect(page.locator("#row-2")).to_contain_text("000.00.12.H23-250310-0015")
    assert not Dossier.objects.exists()
    page.get_by_role("button", name="Nhập 1 hồ sơ").click()
    expect(page.get_by_text("Đã tiếp nhận 1 hồ sơ tồn đọng; 0 dòng không nhập.")).to_be_visible()
    dossier = Dossier.objects.get()
    page.get_by_role("link", name=dossier.code).click()
    expect(page.locator("#backlog-old-number")).to_have_text("000.00.12.H23-250310-0015")
    expect(page.locator("#backlog-handed-over")).to_have_text("01/07/2025")
    shoot(page, tmp_path, "backlog-dossier")

    # A list with a wrong row: the report says which and why; the clerk imports the valid rows only.
    page.goto("/service-center/backlog/import/")
    page.get_by_label("Danh sách hồ sơ tồn đọng (Excel .xlsx hoặc CSV)").set_input_files(mixed_csv(tmp_path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.locator("#row-2")).to_contain_text("Sẽ tiếp nhận")
    expect(page.locator("#row-3")).to_contain_text("“31/02/2025 09:00” không phải là ngày")
    expect(page.get_by_role("button", name="Nhập 1 hồ sơ")).to_have_count(0)
    shoot(page, tmp_path, "backlog-report")
    page.get_by_role("button", name="Chỉ nhập các dòng hợp lệ (1)").click()
    expect(page.get_by_text("Đã tiếp nhận 1 hồ sơ tồn đọng; 1 dòng không nhập.")).to_be_visible()
    expect(page.locator("#backlog-dossiers")).to_contain_text("H23-0101")
    shoot(page, tmp_path, "backlog-imported")
    assert sorted(BacklogRecord.objects.values_list("old_number", flat=True)) == [
        "000.00.12.H23-250310-0015",
        "H23-0101",
    ]
