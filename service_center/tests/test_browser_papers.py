"""In Chromium: intake with the papers checklist (tick, save, see the dossier), form 01 with the papers, the fee
and the delivery; the printed forms' national motto on one line at A5; the dossier admin at 1366 px."""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pilot_portal.accounts.tests.factories import UserFactory
from service_center.models import Dossier, DossierEvent, PaperKind, Status
from service_center.services import Applicant, dossier_apologize, dossier_receive, dossier_transition

from .factories import DossierFactory, ProcedureFactory, ProcedurePaperFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The printable width of an A5 page with the forms' 12 mm margins (148 - 2 x 12 mm), in CSS pixels.
A5_PRINTABLE_PX = round((148 - 24) / 25.4 * 96)


@pytest.fixture
def shot(tmp_path):
    """Save a screenshot to look at (in ``SHOTS_DIR`` when set, e.g. /tmp/wt-papers-shots)."""
    folder = Path(os.environ.get("SHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def birth():
    procedure = ProcedureFactory(code="1.004227", name="Thủ tục đăng ký tạm trú", fee=15000, time_limit=3)
    ProcedurePaperFactory(procedure=procedure, name="Tờ khai thay đổi thông tin cư trú", position=1)
    ProcedurePaperFactory(
        procedure=procedure, name="Giấy tờ chứng minh chỗ ở hợp pháp", kind=PaperKind.CERTIFIED_COPY, position=2
    )
    ProcedurePaperFactory(
        procedure=procedure, name="Văn bản đồng ý của chủ hộ", kind=PaperKind.COPY, is_required=False, position=3
    )
    return procedure


def test_clerk_ticks_the_papers_at_intake_and_prints_them_with_the_fee_and_delivery_on_form_01(
    page, login, ward_clerk, birth, shot
):
    ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh")
    login(ward_clerk)
    page.goto("/service-center/intake/")
    expect(page.locator("#papers-hint")).to_be_visible()
    expect(page.get_by_label("Địa chỉ nhận kết quả qua bưu chính")).to_be_hidden()
    page.locator("#id_procedure").select_option(label="Thủ tục đăng ký tạm trú (1.004227)")
    # The checklist of the chosen procedure comes without reloading the page, with the fee proposed.
    checklist = page.locator("#papers-checklist")
    expect(checklist.get_by_label("Tờ khai thay đổi thông tin cư trú")).to_be_visible()
    expect(checklist).to_contain_text("Bản sao có chứng thực · 1 bản · bắt buộc")
    expect(page.locator("#fee-due")).to_have_text("Phí, lệ phí theo quy định: 15.000 đồng")
    expect(page.get_by_label("Phí, lệ phí đã thu (đồng)")).to_have_value("15000")

    page.get_by_label("Họ và tên người nộp").fill("Nguyễn Thị Mai")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("031190123456")
    checklist.get_by_label("Tờ khai thay đổi thông tin cư trú").check()
    page.get_by_label("Số biên lai").fill("0001234")
    page.get_by_label("Qua dịch vụ bưu chính công ích").check()
    page.get_by_label("Địa chỉ nhận kết quả qua bưu chính").fill("Số 7 Trần Phú, phường Lê Đại Hành")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Xem ngày hẹn trả").click()
    expect(page.locator("#missing-papers")).to_contain_text("Giấy tờ chứng minh chỗ ở hợp pháp")
    shot(page, "intake-missing-paper-390")

    page.get_by_role("button", name="Xác nhận tiếp nhận").click()
    expect(page.get_by_text("Hồ sơ thiếu giấy tờ bắt buộc: Giấy tờ chứng minh chỗ ở hợp pháp.")).to_be_visible()
    assert not Dossier.objects.exists()
    expect(page.locator("#papers-checklist").get_by_label("Tờ khai thay đổi thông tin cư trú")).to_be_checked()

    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#papers-checklist").get_by_label("Giấy tờ chứng minh chỗ ở hợp pháp").check()
    shot(page, "intake-checklist-1366")
    page.get_by_role("button", name="Xác nhận tiếp nhận").click()
    dossier = Dossier.objects.get()
    expect(page.get_by_text(f"Đã tiếp nhận hồ sơ {dossier.code}.")).to_be_visible()
    expect(page.locator("#papers tbody tr")).to_have_count(2)
    expect(page.locator("#papers")).to_contain_text("Giấy tờ chứng minh chỗ ở hợp pháp")
    expect(page.locator("#fee")).to_contain_text("đã thu: 15.000 đồng · biên lai số 0001234")
    expect(page.locator("#delivery")).to_have_text("Qua dịch vụ bưu chính công ích: Số 7 Trần Phú, phường Lê Đại Hành")
    shot(page, "dossier-papers-1366")
    page.set_viewport_size({"width": 820, "height": 1180})
    expect(page.locator("#papers")).to_be_visible()
    shot(page, "dossier-papers-tablet")

    with page.expect_popup() as popup:
        page.get_by_role("link", name="01 Giấy tiếp nhận và hẹn trả").click()
    receipt = popup.value
    rows = receipt.locator("#papers tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_text(re.compile(r"1\s*Tờ khai thay đổi thông tin cư trú\s*Bản chính\s*1"))
    expect(rows.nth(1)).to_have_text(re.compile(r"2\s*Giấy tờ chứng minh chỗ ở hợp pháp\s*Bản sao có chứng thực\s*1"))
    expect(receipt.locator("#fee")).to_have_text(
        "7. Phí, lệ phí: 15.000 đồng; đã thu: 15.000 đồng (biên lai số 0001234)"
    )
    expect(receipt.locator("#delivery")).to_contain_text("bưu chính công ích, địa chỉ: Số 7 Trần Phú")
    receipt.emulate_media(media="print")
    receipt.set_viewport_size({"width": A5_PRINTABLE_PX, "height": 1200})
    shot(receipt, "form01-a5-print")
    assert receipt.pdf(format="A5", print_background=True)[:5] == b"%PDF-"


def _motto_lines(page) -> int:
    """How many lines "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" takes (an inline box has one rectangle per line)."""
    return page.locator(".motto").evaluate("el => el.getClientRects().length")


def test_the_national_motto_stands_on_one_line_on_every_a5_form(page, login, ward_clerk, unit_official, shot):
    unit = ward_clerk.unit
    unit.name, unit.short_name = "Phường Nguyễn Thái Học Mở Rộng", "Nguyễn Thái Học Mở Rộng"
    unit.save()
    procedure = ProcedureFactory(name="Thủ tục đăng ký đất đai lần đầu, cấp Giấy chứng nhận quyền sử dụng đất")
    applicant = Applicant(name="Trần Văn Bình", id_number="031190123456")
    supplement = dossier_receive(unit=unit, procedure=procedure, applicant=applicant, actor=ward_clerk)
    dossier_transition(dossier=supplement, to=Status.SUPPLEMENT, actor=ward_clerk, note="Thiếu sơ đồ thửa đất")
    refused = dossier_receive(unit=unit, procedure=procedure, applicant=applicant, actor=ward_clerk)
    dossier_transition(dossier=refused, to=Status.REFUSED, actor=ward_clerk, note="Không thuộc thẩm quyền")
    late = DossierFactory(unit=unit, procedure=procedure, due_at=timezone.now() + timezone.timedelta(days=5))
    dossier_apologize(
        dossier=late, new_due_at=late.due_at + timezone.timedelta(days=3), actor=ward_clerk, reason="Chờ xác minh"
    )
    assert DossierEvent.objects.filter(kind=DossierEvent.Kind.APOLOGY).exists()
    login(ward_clerk)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A5_PRINTABLE_PX, "height": 1000})
    for code, number in ((supplement.code, "01"), (supplement.code, "02"), (refused.code, "03"), (late.code, "04")):
        page.goto(f"/service-center/dossiers/{code}/forms/{number}/")
        expect(page.locator(".motto")).to_have_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        assert _motto_lines(page) == 1, number
        assert page.evaluate("document.documentElement.scrollWidth") <= A5_PRINTABLE_PX, number
        shot(page, f"form{number}-a5-print")


def test_the_dossier_admin_changelist_fits_1366_px_without_horizontal_scroll(page, login, shot):
    procedure = ProcedureFactory(
        code="1.012790", name="Thủ tục đăng ký đất đai lần đầu, cấp Giấy chứng nhận quyền sử dụng đất"
    )
    DossierFactory.create_batch(
        30, procedure=procedure, applicant_name="Nguyễn Thị Phương Thảo Ngọc Anh", status=Status.SUPPLEMENT
    )
    login(UserFactory(superuser=True))
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/admin/service_center/dossier/")
    expect(page.locator("#result_list tbody tr")).to_have_count(30)
    expect(page.locator("#changelist-filter")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    shot(page, "admin-dossiers-1366")
