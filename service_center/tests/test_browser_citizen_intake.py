"""At intake on a phone, the clerk records the citizen's e-mail, mobile number and consent to notices."""

import pytest
from playwright.sync_api import expect

from service_center.models import Dossier

from .factories import ProcedureFactory
from .test_browser_satisfaction import _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_clerk_records_the_consent_at_intake_on_a_phone(page, login, ward_clerk):
    ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh", time_limit=1)
    page.set_viewport_size({"width": 390, "height": 844})
    login(ward_clerk)
    page.goto("/service-center/intake/")
    page.locator("#id_procedure").select_option(label="Thủ tục đăng ký khai sinh (1.001193)")
    page.get_by_label("Họ và tên người nộp").fill("Nguyễn Thị Mai")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("031190123456")
    page.get_by_label("Số điện thoại").fill("0243 826 1234")  # a landline: no SMS
    page.get_by_label("Công dân đồng ý nhận thông báo về hồ sơ qua thư điện tử và tin nhắn SMS").check()
    page.get_by_role("button", name="Xem ngày hẹn trả").click()
    expect(page.get_by_text("Tin nhắn SMS cần số điện thoại di động: nhập số di động")).to_be_visible()
    _shot(page, "intake-consent-error-390")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Thư điện tử", exact=True).fill("mai@example.vn")
    page.get_by_role("button", name="Xem ngày hẹn trả").click()
    page.get_by_role("button", name="Xác nhận tiếp nhận").click()
    expect(page.locator("#notices-consent")).to_contain_text("Đã ghi nhận đồng ý nhận thông báo lúc")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "intake-consent-dossier-390")
    dossier = Dossier.objects.get()
    assert (dossier.applicant_phone, dossier.applicant_email) == ("0912345678", "mai@example.vn")
    assert dossier.notices_consented_at is not None
