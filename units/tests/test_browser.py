import re

import pytest
from playwright.sync_api import expect

from units.tests.factories import SuccessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_official_logs_in_opens_a_unit_and_sees_its_predecessors(page, login, unit, province_staff):
    SuccessionFactory(unit=unit, legacy_unit__name="Phường An Lạc")
    SuccessionFactory(unit=unit, legacy_unit__name="Phường Tân Dân")
    login(province_staff)
    page.get_by_role("link", name="Đơn vị", exact=True).click()
    page.get_by_label("Tìm kiếm").fill(unit.short_name.replace("ò", "o"))
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name=unit.name).click()
    predecessors = page.locator("#predecessors")
    expect(predecessors.get_by_text("Phường An Lạc")).to_be_visible()
    expect(predecessors.get_by_text("Phường Tân Dân")).to_be_visible()
    expect(page).to_have_title(re.compile("^" + re.escape(unit.name)))
