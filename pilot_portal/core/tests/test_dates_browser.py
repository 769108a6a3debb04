"""Date and date-time inputs show and take dd/mm/yyyy and 24-hour times whatever the browser's language
(static/js/dates.js with flatpickr); without JavaScript the native inputs stay."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pilot_portal.campaigns.tests.factories import CampaignFactory
from sessions.tests.factories import SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_page(browser, live_server):
    """An English-language browser: a native input would show 06/25/2025 and 03:00 PM there."""
    context = browser.new_context(locale="en-US", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page, user, password="matkhau-thu-nghiem"):
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_the_as_of_day_shows_and_takes_dd_mm_yyyy(english_page, unit, province_staff):
    page = english_page
    campaign = CampaignFactory(province=unit.province)
    log_in(page, province_staff)

    page.goto(f"/campaigns/{campaign.pk}/?on=2025-06-25")
    box = page.get_by_label("Tính đến ngày")
    expect(box).to_have_attribute("type", "text")
    expect(box).to_have_value("25/06/2025")
    expect(page.locator("input[name=on]")).to_have_value("2025-06-25")
    expect(box).to_contain_class("form-control-sm")
    page.get_by_text("Tính đến ngày", exact=True).click()
    expect(page.locator("#id_on")).to_be_focused()

    # Typed in the portal's format: the form still submits ISO.
    box.fill("20/06/2025")
    box.press("Enter")
    page.wait_for_url(lambda url: "on=2025-06-20" in url)
    expect(page.get_by_label("Tính đến ngày")).to_have_value("20/06/2025")
    expect(page.locator("#figures-as-of")).to_contain_text("20/06/2025")

    # A day picked on the calendar (Vietnamese month names, Monday first).
    page.get_by_label("Tính đến ngày").click()
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar.locator(".flatpickr-weekday").first).to_have_text("T2")
    calendar.locator(".flatpickr-day[aria-label='18/06/2025']").click()
    expect(page.get_by_label("Tính đến ngày")).to_have_value("18/06/2025")
    expect(page.locator("input[name=on]")).to_have_value("2025-06-18")

    # Text that is not a date is not silently dropped: the server says so.
    page.get_by_label("Tính đến ngày").fill("32/13/2025")
    page.get_by_role("button", name="Xem", exact=True).click()
    page.get_by_text("Ngày không hợp lệ; đang hiển thị theo hôm nay.").wait_for()


def test_the_scheduled_start_shows_and_takes_24_hour_times(english_page, unit, unit_official):
    page = english_page
    session = SessionFactory(unit=unit, scheduled_start=timezone.make_aware(dt.datetime(2025, 6, 16, 15, 0)))
    log_in(page, unit_official)

    page.goto(f"/sessions/{session.pk}/edit/")
    start = page.get_by_label("Thời gian bắt đầu dự kiến")
    expect(start).to_have_value("15:00 16/06/2025")
    expect(page.locator("input[name=scheduled_start]")).to_have_value("2025-06-16T15:00")

    start.fill("17/06/2025 14:30")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu kỳ họp.").wait_for()
    session.refresh_from_db()
    assert timezone.localtime(session.scheduled_start).replace(tzinfo=None) == dt.datetime(2025, 6, 17, 14, 30)

    page.goto(f"/sessions/{session.pk}/edit/")
    expect(page.get_by_label("Thời gian bắt đầu dự kiến")).to_have_value("14:30 17/06/2025")
    # The display order is accepted too.
    page.get_by_label("Thời gian bắt đầu dự kiến").fill("08:05 18/06/2025")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu kỳ họp.").wait_for()
    session.refresh_from_db()
    assert timezone.localtime(session.scheduled_start).replace(tzinfo=None) == dt.datetime(2025, 6, 18, 8, 5)


def test_without_javascript_the_native_input_stays(browser, live_server, unit, province_staff):
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        campaign = CampaignFactory(province=unit.province)
        log_in(page, province_staff)
        page.goto(f"/campaigns/{campaign.pk}/?on=2025-06-25")
        box = page.get_by_label("Tính đến ngày")
        expect(box).to_have_attribute("type", "date")
        expect(box).to_have_value("2025-06-25")
    finally:
        context.close()
