"""The unit directory: address, phone and the two chairs, kept by the province's staff and the unit's officials
with a history; nobody else changes it, and the admin shows it read-only."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pilot_portal.accounts.tests.factories import UserFactory
from units.directory import DirectoryError, unit_directory_update
from units.models import UnitDirectoryChange
from units.tests.factories import ProvinceFactory

pytestmark = pytest.mark.django_db

ENTRY = {
    "headquarters_address": "Số 1 Lê Đại Hành, phường Lê Đại Hành",
    "phone": "0220 3 858 123",
    "ubnd_chair": "Nguyễn Văn An",
    "hdnd_chair": "Trần Thị Bình",
}


def test_the_entry_is_written_with_one_history_row_per_value(unit, unit_official):
    changes = unit_directory_update(unit=unit, actor=unit_official, data=ENTRY)
    assert [c.field for c in changes] == [
        "địa chỉ trụ sở chính",
        "số điện thoại",
        "chủ tịch UBND",
        "chủ tịch HĐND",
    ]
    unit.refresh_from_db()
    assert (unit.phone, unit.ubnd_chair) == ("0220 3 858 123", "Nguyễn Văn An")
    assert unit_directory_update(unit=unit, actor=unit_official, data=ENTRY) == []  # nothing changed
    (change,) = unit_directory_update(unit=unit, actor=unit_official, data={**ENTRY, "ubnd_chair": "Lê Văn Cường"})
    assert (change.old_value, change.new_value, change.actor) == ("Nguyễn Văn An", "Lê Văn Cường", unit_official)
    assert UnitDirectoryChange.objects.filter(unit=unit).count() == 5


@pytest.mark.parametrize(("data", "message"), [({"phone": "gọi tôi"}, "mã vùng"), ({"code": "x"}, "không phải")])
def test_bad_values_are_refused_and_change_nothing(unit, province_staff, data, message):
    with pytest.raises(DirectoryError, match=message):
        unit_directory_update(unit=unit, actor=province_staff, data=data)
    assert not UnitDirectoryChange.objects.exists()


def test_only_the_province_staff_and_the_unit_officials_keep_it(
    client, unit, ward_clerk, national_viewer, user_without_role, other_unit
):
    url = reverse("units:directory", args=[unit.code])
    for user in (ward_clerk, national_viewer, UserFactory(unit_official=True, unit=other_unit)):
        client.force_login(user)
        assert client.post(url, ENTRY).status_code in (403, 404)
    client.force_login(UserFactory(province_staff=True, province=ProvinceFactory()))
    assert client.get(url).status_code == 404  # another province's unit
    client.force_login(user_without_role)
    assert client.get(url).status_code == 403
    client.force_login(ward_clerk)
    assert client.get(url).status_code == 403  # the clerk reads the entry, does not change it
    unit.refresh_from_db()
    assert unit.phone == ""


def test_the_page_saves_and_shows_the_history(client, unit, province_staff, django_assert_max_num_queries):
    client.force_login(province_staff)
    response = client.post(reverse("units:directory", args=[unit.code]), ENTRY, follow=True)
    content = response.content.decode()
    assert "Đã cập nhật danh bạ của đơn vị." in content
    assert "Nguyễn Văn An" in content and 'id="directory-history"' in content
    bad = client.post(reverse("units:directory", args=[unit.code]), {**ENTRY, "phone": "abc", "hdnd_chair": "Giữ lại"})
    assert "Giữ lại" in bad.content.decode() and "mã vùng" in bad.content.decode()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("units:detail", args=[unit.code])).status_code == 200


def test_the_admin_shows_the_entry_read_only(admin_client, unit):
    form = admin_client.get(reverse("admin:units_unit_change", args=[unit.pk])).context["adminform"].form
    assert not {"phone", "ubnd_chair", "hdnd_chair", "headquarters_address"} & set(form.fields)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_official_edits_the_directory_on_a_phone(page, login, unit, unit_official):
    login(unit_official)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("units:detail", args=[unit.code]))
    page.get_by_role("link", name="Sửa danh bạ").click()
    page.get_by_label("Điện thoại").fill("0220 3858 123")
    page.get_by_label("Chủ tịch UBND").fill("Nguyễn Văn An")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#directory-ubnd")).to_have_text("Nguyễn Văn An")
    expect(page.locator("#directory-phone")).to_have_text("0220 3858 123")
