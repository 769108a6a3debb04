"""The tokens page in a browser: create a token, see it once, use it, revoke it."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("API_SHOTS_DIR", "/tmp/wt-api-shots"))


def test_a_clerk_creates_a_token_sees_it_once_uses_it_and_revokes_it(page, login, ward_clerk):
    login(ward_clerk)
    page.get_by_role("button", name=ward_clerk.get_full_name() or ward_clerk.username).click()
    page.get_by_role("link", name="Khóa API").click()
    expect(page.get_by_role("heading", name="Khóa API", exact=True)).to_be_visible()
    expect(page.get_by_text("Bạn chưa có khóa nào.")).to_be_visible()

    page.get_by_label("Tên khóa").fill("Hệ thống một cửa tỉnh")
    page.get_by_role("button", name="Tạo khóa").click()
    expect(page.get_by_text("Hãy sao chép ngay: khóa chỉ hiện một lần này")).to_be_visible()
    raw = page.get_by_label("Khóa mới của bạn").input_value()
    assert raw.startswith("pp_")
    row = page.get_by_role("row", name="Hệ thống một cửa tỉnh")
    expect(row).to_contain_text("Chưa dùng")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((390, 844), (768, 1024), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=SHOTS / f"tokens-created-{width}.png", full_page=True)

    answer = page.request.get("/api/v1/provinces", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status == 200
    assert answer.json()[0]["code"] == ward_clerk.unit.province.code

    page.goto("/accounts/tokens/")
    expect(page.get_by_text("Hãy sao chép ngay")).to_have_count(0)
    assert raw not in page.content()
    expect(page.get_by_role("row", name="Hệ thống một cửa tỉnh")).not_to_contain_text("Chưa dùng")

    page.get_by_role("button", name="Thu hồi khóa “Hệ thống một cửa tỉnh”").click()
    expect(page.get_by_text("Đã thu hồi khóa “Hệ thống một cửa tỉnh”")).to_be_visible()
    expect(page.get_by_role("row", name="Hệ thống một cửa tỉnh")).to_contain_text("Đã thu hồi lúc")
    page.screenshot(path=SHOTS / "tokens-revoked-1366.png", full_page=True)
    assert page.request.get("/api/v1/provinces", headers={"Authorization": f"Bearer {raw}"}).status == 401


def test_the_docs_page_shows_the_endpoints_with_nothing_loaded_from_outside(page, live_server):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto("/api/docs")
    expect(page.get_by_text("/api/v1/dossiers/{code}/transitions")).to_be_visible()
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "docs-1366.png")
    assert outside == []
