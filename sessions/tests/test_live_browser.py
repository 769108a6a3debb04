"""Two (three) browsers: the secretary starts an item in the run of show; the follower's live page and the
secretary's second tablet change without a reload. Here the pages poll (no Redis in the live server)."""

import re

import pytest
from django.utils import timezone

from pilot_portal.accounts.tests.factories import UserFactory
from sessions.models import Outcome, Session
from units.tests.factories import UnitFactory

from .factories import AgendaItemFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, user):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def test_the_follower_sees_the_secretarys_start_without_a_reload(
    page, login, browser, live_server, unit, unit_official
):
    from playwright.sync_api import expect

    session = SessionFactory(
        unit=unit, status=Session.Status.IN_PROGRESS, actual_start=timezone.now(), stream_url="https://example.vn/tt"
    )
    first = AgendaItemFactory(session=session, order=1, title="Khai mạc kỳ họp", planned_minutes=5)
    AgendaItemFactory(session=session, order=2, title="Thông qua quy chế", planned_minutes=20)
    follower = UserFactory(ward_clerk=True, unit=UnitFactory(province=unit.province))
    follow_context, follow = _signed_in(browser, live_server, follower)
    tablet_context, tablet = _signed_in(browser, live_server, unit_official)
    errors = []
    follow.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        follow.goto(f"/sessions/{session.pk}/live/")
        expect(follow.locator("#live-current-title")).to_have_text("Chưa có nội dung nào đang diễn ra")
        expect(follow.locator("#live-mode")).to_contain_text("Đang cập nhật định kỳ")
        expect(follow.locator("#live-programme li")).to_have_count(2)
        tablet.goto(f"/sessions/{session.pk}/run/")

        login(unit_official)
        page.goto(f"/sessions/{session.pk}/run/")
        page.get_by_role("button", name=f"Bắt đầu: {first.title}").click()
        expect(page.locator("#current-title")).to_have_text(f"1. {first.title}")

        expect(follow.locator("#live-current-title")).to_have_text(f"1. {first.title}", timeout=5_000)
        expect(follow.locator(f"#live-item-{first.pk}")).to_have_class(re.compile(r"\blive-current\b"), timeout=5_000)
        expect(follow.locator("#live-current-timer")).to_have_text(re.compile(r"^\d\d:\d\d / 05:00$"), timeout=5_000)
        expect(tablet.locator("#current-title")).to_have_text(f"1. {first.title}", timeout=5_000)

        Outcome.objects.create(session=session, number="01/NQ-HĐND", title="Nghị quyết quy chế", adopted=True)
        # An outcome recorded elsewhere (here straight in the database) shows at the next poll too.
        expect(follow.locator("#live-outcomes tbody")).to_contain_text("Nghị quyết quy chế", timeout=5_000)
        assert session.stream_viewers.filter(unit=follower.unit).exists()
        assert errors == []
    finally:
        follow_context.close()
        tablet_context.close()
