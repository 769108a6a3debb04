"""Fixtures shared by every app's tests: named example users, a Playwright page on Debian's Chromium."""

import os

import pytest
from hypothesis import HealthCheck, settings

# Property tests check what is generated, not how fast: a loaded machine (CI runs two workers and the browser
# beside them) must not fail them on a deadline or on slow generation.
settings.register_profile("portal", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("portal")

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make are still
# synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def frozen_now():
    """Freeze the clock at ``FROZEN_NOW`` (it does not tick) for a test whose result depends on the time.

    Not for browser tests: Chromium keeps the real clock and would drop the cookies a server in 2025 sets.
    """
    import time_machine

    from pilot_portal.core.tests.clock import FROZEN_NOW

    with time_machine.travel(FROZEN_NOW, tick=False):
        yield FROZEN_NOW


@pytest.fixture
def unit(db):
    from units.tests.factories import UnitFactory

    return UnitFactory()


@pytest.fixture
def other_unit(db):
    from units.tests.factories import UnitFactory

    return UnitFactory()


@pytest.fixture
def unit_official(unit):
    from pilot_portal.accounts.tests.factories import UserFactory

    return UserFactory(unit_official=True, unit=unit)


@pytest.fixture
def ward_clerk(unit):
    from pilot_portal.accounts.tests.factories import UserFactory

    return UserFactory(ward_clerk=True, unit=unit)


@pytest.fixture
def clerk_of_other_unit(other_unit):
    from pilot_portal.accounts.tests.factories import UserFactory

    return UserFactory(ward_clerk=True, unit=other_unit)


@pytest.fixture
def province_staff(unit):
    from pilot_portal.accounts.tests.factories import UserFactory

    return UserFactory(province_staff=True, province=unit.province)


@pytest.fixture
def national_viewer(db):
    from pilot_portal.accounts.tests.factories import UserFactory

    return UserFactory(national_viewer=True)


@pytest.fixture
def user_without_role(db):
    from pilot_portal.accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Log ``user`` in through the real login form."""

    def do_login(user, password="matkhau-thu-nghiem"):
        page.goto("/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(user.username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return do_login
