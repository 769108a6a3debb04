import pytest
from playwright.sync_api import expect

from pilot_portal.notifications.models import Notification
from pilot_portal.notifications.tests.factories import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_official_sees_the_bell_opens_a_notification_and_marks_the_rest_read(page, login, unit_official):
    NotificationFactory(recipient=unit_official, title="Còn 3 ngày đến họp rút kinh nghiệm", link="/units/")
    NotificationFactory(recipient=unit_official, title="Hồ sơ H56.14-250616-0001 sắp đến hạn")
    login(unit_official)
    bell = page.get_by_role("link", name="Thông báo: 2 chưa đọc")
    expect(bell).to_be_visible()
    bell.click()
    page.get_by_role("listitem").filter(has_text="họp rút kinh nghiệm").get_by_role("button", name="Mở").click()
    page.wait_for_url("**/units/")
    expect(page.get_by_role("link", name="Thông báo: 1 chưa đọc")).to_be_visible()
    page.get_by_role("link", name="Thông báo: 1 chưa đọc").click()
    page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    expect(page.get_by_text("Đã đánh dấu 1 thông báo là đã đọc.")).to_be_visible()
    expect(page.get_by_role("link", name="Thông báo", exact=True)).to_be_visible()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_official_turns_on_the_daily_digest(page, login, unit_official):
    login(unit_official)
    page.goto("/notifications/preferences/")
    page.get_by_label("Hạn xử lý hồ sơ").uncheck()
    page.get_by_label("Gộp thành một e-mail mỗi ngày (bản tin hằng ngày)").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu lựa chọn nhận thông báo của bạn.")).to_be_visible()
    expect(page.get_by_label("Hạn xử lý hồ sơ")).not_to_be_checked()
    expect(page.get_by_label("Gộp thành một e-mail mỗi ngày (bản tin hằng ngày)")).to_be_checked()
