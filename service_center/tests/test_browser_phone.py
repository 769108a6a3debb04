"""The counter on a phone (390 px): the queue as cards, and a refusal confirmed on its own page."""

import pytest
from playwright.sync_api import expect

from service_center.models import Dossier, Status

from .factories import DossierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_on_a_phone_sees_cards_and_confirms_a_refusal(page, login, ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED, applicant_name="Phạm Thị Thu")
    page.set_viewport_size({"width": 390, "height": 844})
    login(ward_clerk)  # a clerk's home is the queue
    card = page.locator("#dossier-cards li", has_text=dossier.code)
    expect(card).to_be_visible()
    expect(card).to_contain_text("2 · Được tiếp nhận")
    expect(card).to_contain_text("Phạm Thị Thu")
    expect(page.locator("#dossiers")).to_be_hidden()

    card.get_by_role("link", name=dossier.code).click()
    page.get_by_role("region", name="Thao tác").get_by_label("Ghi chú").fill("Hồ sơ không thuộc thẩm quyền của phường")
    page.get_by_role("button", name="Chuyển sang: Không được tiếp nhận").click()
    expect(page.get_by_text("Thao tác này không thể hoàn tác.")).to_be_visible()
    expect(page.get_by_label("Lý do")).to_have_value("Hồ sơ không thuộc thẩm quyền của phường")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED
    page.get_by_role("button", name="Đồng ý chuyển sang “Không được tiếp nhận”").click()
    expect(page.locator("#status")).to_have_text("3 · Không được tiếp nhận")
