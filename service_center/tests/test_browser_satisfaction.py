"""The citizen rates the centre on the counter's tablet (and on a phone, from the lookup): one touch, one rating."""

import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from service_center.models import DossierRating, Status

from .factories import DossierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Screenshots for a person to look at (set SCREENSHOTS_DIR); none by default.
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def returned(unit, **fields):
    return DossierFactory(
        unit=unit,
        status=Status.RETURNED,
        returned_at=timezone.now(),
        procedure__name="Đăng ký khai sinh",
        lookup_secret="135790",
        **fields,
    )


def test_the_clerk_opens_the_tablet_page_and_the_citizen_rates_once(page, login, browser, live_server, ward_clerk):
    dossier = returned(ward_clerk.unit)
    login(ward_clerk)
    page.goto(dossier.get_absolute_url())
    expect(page.locator("#rating-card")).to_contain_text("Mức độ hài lòng của công dân")
    _shot(page, "clerk-rating-card-1366")
    link = page.locator("#rating-link").get_attribute("href")

    tablet = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        base_url=live_server.url,
        viewport={"width": 820, "height": 1180},
    )
    counter = tablet.new_page()
    counter.goto(link)
    stale = tablet.new_page()  # the same page left open in another tab, before the rating
    stale.goto(link)
    buttons = counter.locator("#rating-page button[name=level]")
    expect(buttons).to_have_count(3)
    expect(buttons).to_have_text(["Rất hài lòng", "Hài lòng", "Không hài lòng"])
    box = counter.get_by_role("button", name="Rất hài lòng").bounding_box()
    assert box["height"] >= 80 and box["width"] >= 200  # a thumb's target at arm's length
    _shot(counter, "rate-tablet-820")
    counter.get_by_label("Góp ý (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình")
    counter.get_by_role("button", name="Rất hài lòng").click()
    expect(counter.locator("#rating-done")).to_have_text("Cảm ơn ông/bà đã đánh giá")
    expect(counter.get_by_role("button", name="Không hài lòng")).to_have_count(0)
    _shot(counter, "rate-tablet-820-done")

    stale.get_by_role("button", name="Không hài lòng").click()  # a second touch records nothing
    expect(stale.get_by_text("Hồ sơ này đã được đánh giá.")).to_be_visible()
    expect(stale.locator("#rating-done")).to_be_visible()
    tablet.close()
    rating = DossierRating.objects.get()
    assert (rating.level, rating.comment) == ("3", "Cán bộ hướng dẫn tận tình")

    page.reload()
    expect(page.locator("#rating-level")).to_contain_text("Rất hài lòng")


def test_on_a_phone_the_citizen_rates_from_the_lookup(page, ward_clerk):
    dossier = returned(ward_clerk.unit)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/tra-cuu/?ma={dossier.code}")
    page.get_by_label("Mã tra cứu trên giấy tiếp nhận").fill("135790")
    page.get_by_role("button", name="Tra cứu").click()
    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    buttons = page.locator("#rating-page button[name=level]")
    expect(buttons).to_have_count(3)
    widths = [buttons.nth(i).bounding_box()["width"] for i in range(3)]
    assert min(widths) >= 300  # stacked, full width on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "rate-phone-390")
    page.get_by_role("button", name="Hài lòng", exact=True).click()
    expect(page.locator("#rating-done")).to_be_visible()
    _shot(page, "rate-phone-390-done")
    assert DossierRating.objects.get().source == "lookup"


def test_on_a_phone_the_citizen_reads_what_to_supplement_and_the_steps(page, ward_clerk):
    from service_center.services import dossier_transition

    dossier = DossierFactory(unit=ward_clerk.unit, lookup_secret="246802", procedure__name="Đăng ký khai sinh")
    dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=ward_clerk)
    dossier_transition(
        dossier=dossier,
        to=Status.SUPPLEMENT,
        actor=ward_clerk,
        note="Bản sao giấy chứng sinh\nTờ khai đăng ký khai sinh có chữ ký của người đi đăng ký",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/tra-cuu/?ma={dossier.code}")
    page.get_by_label("Mã tra cứu trên giấy tiếp nhận").fill("246802")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#lookup-supplement li")).to_have_text(
        ["Bản sao giấy chứng sinh", "Tờ khai đăng ký khai sinh có chữ ký của người đi đăng ký"]
    )
    expect(page.locator("#lookup-timeline li")).to_have_count(2)
    expect(page.locator("#lookup-timeline li").last).to_contain_text("5 · Chờ bổ sung")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "lookup-supplement-390")
