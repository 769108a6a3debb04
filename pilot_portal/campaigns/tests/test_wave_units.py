"""The province puts its campaign's units in waves on a portal page: several units at once, previewed (which units
move, how many checklist due dates move and by how many days), confirmed, one history row and one notice per unit
that moves, in a constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.models import CampaignChange, CampaignUnit, ChecklistItem, Wave
from pilot_portal.campaigns.services import CampaignError, campaign_unit_add, checklist_templates_ensure_defaults
from pilot_portal.campaigns.tests.factories import CampaignFactory, CampaignUnitFactory, WaveFactory
from pilot_portal.campaigns.wave_units import campaign_units_set_wave, campaign_units_wave_changes
from pilot_portal.notifications.models import Kind, Notification
from units.tests.factories import ProvinceFactory, UnitFactory

pytestmark = pytest.mark.django_db

HAND_ITEM = "Dự thảo quyết định thành lập các phòng chuyên môn"  # pilot start - 1 day


def aware(day, hour=8):
    return timezone.make_aware(dt.datetime(2025, 6, day, hour, 0))


@pytest.fixture
def first(campaign):
    return WaveFactory(campaign=campaign, name="Đợt 1: các phường trung tâm", starts_at=aware(16))


@pytest.fixture
def second(campaign):
    return WaveFactory(campaign=campaign, name="Đợt 2: các xã còn lại", starts_at=aware(23))


@pytest.fixture
def three(campaign, unit, first):
    """Lê Đại Hành (the fixture's unit, in wave 1) and two units in no wave."""
    unit.name = "Phường Lê Đại Hành"
    unit.save()
    return [
        campaign_unit_add(campaign=campaign, unit=unit, wave=first),
        campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province, name="Xã Ái Quốc")),
        campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province, name="Xã An Phú")),
    ]


def due(campaign_unit, title=HAND_ITEM) -> dt.date:
    return (
        ChecklistItem.objects.select_related("milestone", "campaign_unit__wave")
        .get(campaign_unit=campaign_unit, title=title)
        .due_date
    )


def pilot_items(campaign_unit) -> int:
    return campaign_unit.items.filter(milestone__kind="pilot_start").count()


# --- The service -----------------------------------------------------------------------------------------------


def test_the_preview_groups_the_units_by_the_wave_they_leave_and_counts_the_due_dates_that_move(
    campaign, first, second, three
):
    lê, ái, an = three
    changes = campaign_units_wave_changes(campaign=campaign, campaign_unit_ids=[lê.pk, ái.pk, an.pk], wave=second)
    assert changes.units == 3 and not changes.unchanged
    no_wave, wave_one = changes.groups  # in the order they start: the pilot start 16/6, then wave 1 at 08:00 16/6
    assert no_wave.what == "Xã Ái Quốc, Xã An Phú"
    assert no_wave.old == "Chưa xếp đợt (bắt đầu theo mốc chung của tỉnh, ngày 16/06/2025)"
    assert no_wave.new == "Đợt 2: các xã còn lại (bắt đầu 08:00 23/06/2025)"
    assert (no_wave.shift_days, no_wave.units, no_wave.items) == (7, 2, 2 * pilot_items(ái))
    assert HAND_ITEM in {title for title, _units in no_wave.titles}
    assert (wave_one.what, wave_one.shift_days, wave_one.units) == ("Phường Lê Đại Hành", 7, 1)
    assert changes.items == 3 * pilot_items(ái)
    assert due(ái) == dt.date(2025, 6, 15)  # a preview writes nothing
    assert not CampaignChange.objects.exists()


def test_putting_units_in_a_wave_moves_their_due_dates_records_each_and_tells_each(
    campaign, first, second, three, province_staff
):
    lê, ái, an = three
    officials = {cu.pk: UserFactory(unit_official=True, unit=cu.unit) for cu in three}
    done = campaign_units_set_wave(
        campaign=campaign, campaign_unit_ids=[ái.pk, an.pk], wave=second, actor=province_staff, note="Chờ trụ sở"
    )
    assert done.units == 2
    assert [cu.wave_id for cu in CampaignUnit.objects.filter(pk__in=[ái.pk, an.pk])] == [second.pk, second.pk]
    assert (due(ái), due(an), due(lê)) == (dt.date(2025, 6, 22), dt.date(2025, 6, 22), dt.date(2025, 6, 15))
    rows = {c.what: (c.old_value, c.new_value, c.note, c.actor) for c in CampaignChange.objects.all()}
    assert rows == {
        "Đợt triển khai của Xã Ái Quốc": ("Chưa xếp đợt", "Đợt 2: các xã còn lại", "Chờ trụ sở", province_staff),
        "Đợt triển khai của Xã An Phú": ("Chưa xếp đợt", "Đợt 2: các xã còn lại", "Chờ trụ sở", province_staff),
    }
    (notice,) = Notification.objects.filter(recipient=officials[ái.pk])
    assert notice.kind == Kind.MILESTONE
    assert "Đợt 2: các xã còn lại" in notice.title and "08:00 23/06/2025" in notice.title
    assert f"từ ngày 16/06/2025 sang ngày 23/06/2025: {pilot_items(ái)} việc" in notice.body
    assert notice.link == reverse("campaigns:unit", args=[ái.pk])
    assert Notification.objects.filter(recipient=officials[an.pk]).count() == 1
    assert not Notification.objects.filter(recipient=officials[lê.pk]).exists()


def test_a_second_submit_and_units_already_in_the_wave_change_nothing(campaign, first, second, three, province_staff):
    lê, ái, _an = three
    campaign_units_set_wave(campaign=campaign, campaign_unit_ids=[ái.pk], wave=second, actor=province_staff)
    again = campaign_units_set_wave(campaign=campaign, campaign_unit_ids=[ái.pk], wave=second, actor=province_staff)
    assert (again.moving, [cu.pk for cu in again.unchanged]) == ([], [ái.pk])
    mixed = campaign_units_set_wave(
        campaign=campaign, campaign_unit_ids=[ái.pk, lê.pk], wave=second, actor=province_staff
    )
    assert [cu.pk for cu in mixed.moving] == [lê.pk]
    assert CampaignChange.objects.count() == 2
    assert Notification.objects.count() == 0  # no officials in these units: nobody to tell


def test_units_put_in_no_wave_start_on_the_campaigns_pilot_start(campaign, first, second, three, province_staff):
    lê = three[0]
    campaign_units_set_wave(campaign=campaign, campaign_unit_ids=[lê.pk], wave=second, actor=province_staff)
    changes = campaign_units_wave_changes(campaign=campaign, campaign_unit_ids=[lê.pk], wave=None)
    (group,) = changes.groups
    assert (group.shift_days, group.new) == (-7, "Chưa xếp đợt (bắt đầu theo mốc chung của tỉnh, ngày 16/06/2025)")
    campaign_units_set_wave(campaign=campaign, campaign_unit_ids=[lê.pk], wave=None, actor=province_staff)
    assert CampaignUnit.objects.get(pk=lê.pk).wave is None
    assert due(lê) == dt.date(2025, 6, 15)
    assert CampaignChange.objects.first().new_value == "Chưa xếp đợt"


def test_a_move_within_the_same_day_moves_no_due_date(campaign, first, three, province_staff):
    lê, ái, _an = three
    afternoon = WaveFactory(campaign=campaign, name="Chiều 16/6", starts_at=aware(16, 14))
    (group, other) = campaign_units_wave_changes(
        campaign=campaign, campaign_unit_ids=[lê.pk, ái.pk], wave=afternoon
    ).groups
    assert (group.shift_days, group.items, other.shift_days, other.items) == (0, 0, 0, 0)


def test_a_wave_of_another_campaign_or_a_unit_of_another_campaign_is_refused(campaign, first, three, province_staff):
    foreign = CampaignFactory(province=ProvinceFactory())
    foreign_wave = WaveFactory(campaign=foreign)
    foreign_unit = CampaignUnitFactory(campaign=foreign)
    ids = [three[1].pk]
    with pytest.raises(CampaignError, match="thuộc một đợt vận hành thử nghiệm khác"):
        campaign_units_set_wave(campaign=campaign, campaign_unit_ids=ids, wave=foreign_wave, actor=province_staff)
    with pytest.raises(CampaignError, match="không thuộc đợt vận hành thử nghiệm này"):
        campaign_units_set_wave(
            campaign=campaign, campaign_unit_ids=[*ids, foreign_unit.pk], wave=first, actor=province_staff
        )
    with pytest.raises(CampaignError, match="Hãy chọn ít nhất một đơn vị"):
        campaign_units_wave_changes(campaign=campaign, campaign_unit_ids=[], wave=first)
    gone = WaveFactory(campaign=campaign, name="Đợt đã xóa")
    stale = Wave.objects.get(pk=gone.pk)
    gone.delete()
    with pytest.raises(CampaignError, match="Kế hoạch đã thay đổi"):
        campaign_units_set_wave(campaign=campaign, campaign_unit_ids=ids, wave=stale, actor=province_staff)
    assert CampaignUnit.objects.get(pk=three[1].pk).wave_id is None
    assert CampaignUnit.objects.get(pk=foreign_unit.pk).wave_id is None
    assert not CampaignChange.objects.exists()


def test_the_batch_queries_do_not_grow_with_the_units(
    campaign, first, second, province_staff, django_assert_max_num_queries
):
    def batch(n):
        units = [campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province)) for _ in range(n)]
        for cu in units:
            UserFactory(unit_official=True, unit=cu.unit)
        return [cu.pk for cu in units]

    few, many = batch(2), batch(12)
    with django_assert_max_num_queries(16) as small:
        campaign_units_set_wave(campaign=campaign, campaign_unit_ids=few, wave=second, actor=province_staff)
    with django_assert_max_num_queries(len(small.captured_queries)):
        done = campaign_units_set_wave(campaign=campaign, campaign_unit_ids=many, wave=second, actor=province_staff)
    assert done.units == 12
    assert Notification.objects.count() == 14


# --- The page --------------------------------------------------------------------------------------------------


def page_url(campaign, **query):
    url = reverse("campaigns:wave_units", args=[campaign.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def listed(response) -> list[str]:
    return [cu.unit.name for cu in response.context["rows"]]


def test_the_plan_page_links_to_the_wave_page(client, campaign, province_staff):
    client.force_login(province_staff)
    body = client.get(reverse("campaigns:plan", args=[campaign.pk])).content.decode()
    assert f'href="{page_url(campaign)}"' in body
    assert "Đơn vị theo đợt triển khai" in body


def test_the_page_lists_the_units_in_vietnamese_order_with_their_wave(client, campaign, first, three, province_staff):
    campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province, name="Xã Đồng Tâm"))
    campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province, name="Xã Dương Kinh"))
    client.force_login(province_staff)
    response = client.get(page_url(campaign))
    # Vietnamese order: letters first, then tones ("Ái Quốc" before "An Phú"), D before Đ (not with it).
    assert listed(response) == ["Phường Lê Đại Hành", "Xã Ái Quốc", "Xã An Phú", "Xã Dương Kinh", "Xã Đồng Tâm"]
    assert listed(client.get(page_url(campaign, sort="-name")))[0] == "Xã Đồng Tâm"
    assert listed(client.get(page_url(campaign, sort="wave")))[-1] == "Phường Lê Đại Hành"
    body = response.content.decode()
    assert "Đợt 1: các phường trung tâm" in body and "08:00 16/06/2025" in body
    assert "Chưa xếp đợt" in body


@pytest.mark.parametrize("query", ["ai quoc", "Ái Quốc", "AI  QUOC", "quốc"])
def test_the_search_finds_units_with_or_without_diacritics(client, campaign, three, province_staff, query):
    client.force_login(province_staff)
    assert listed(client.get(page_url(campaign), {"q": query})) == ["Xã Ái Quốc"]


def test_the_filter_by_wave(client, campaign, first, three, province_staff):
    client.force_login(province_staff)
    assert listed(client.get(page_url(campaign, in_wave=first.pk))) == ["Phường Lê Đại Hành"]
    assert listed(client.get(page_url(campaign, in_wave="none"))) == ["Xã Ái Quốc", "Xã An Phú"]
    for bad in ("99999999999999999999", "abc%00def", "-1"):  # ignored: every unit
        response = client.get(page_url(campaign, in_wave=bad, sort=bad, q="%00"))
        assert response.status_code == 200 and len(listed(response)) == 3


def test_the_page_previews_then_confirms(client, campaign, first, second, three, province_staff):
    lê, ái, an = three
    official = UserFactory(unit_official=True, unit=ái.unit)
    client.force_login(province_staff)
    data = {"units": [ái.pk, an.pk], "wave": second.pk, "note": "Chờ bàn giao trụ sở", "preview": "1"}
    response = client.post(page_url(campaign), data)
    body = response.content.decode()
    assert "Xã Ái Quốc, Xã An Phú</strong>: Chưa xếp đợt (bắt đầu theo mốc chung của tỉnh, ngày 16/06/2025)" in body
    assert "→ <strong>Đợt 2: các xã còn lại (bắt đầu 08:00 23/06/2025)</strong>" in body
    assert "Thời hạn lùi 7 ngày." in body
    assert f"2 đơn vị chuyển đợt; {2 * pilot_items(ái)} việc chuẩn bị thay đổi thời hạn." in body
    assert HAND_ITEM in body
    assert not CampaignChange.objects.exists() and due(ái) == dt.date(2025, 6, 15)

    previewed = response.context["form"].data["previewed"]
    # A confirmation of something else than what was previewed is shown again, not written.
    other = client.post(page_url(campaign), {**data, "units": [ái.pk], "confirm": "1", "previewed": previewed})
    assert "Các giá trị đã khác với bản xem trước" in other.content.decode()
    assert not CampaignChange.objects.exists()

    response = client.post(page_url(campaign), {**data, "confirm": "1", "previewed": previewed}, follow=True)
    assert response.redirect_chain[-1][0] == page_url(campaign)
    body = response.content.decode()
    assert "Đã chuyển 2 đơn vị vào Đợt 2: các xã còn lại." in body
    assert "Đợt triển khai của Xã Ái Quốc: Chưa xếp đợt → Đợt 2: các xã còn lại" in body
    assert "Chờ bàn giao trụ sở" in body
    assert (due(ái), due(an), due(lê)) == (dt.date(2025, 6, 22), dt.date(2025, 6, 22), dt.date(2025, 6, 15))
    assert Notification.objects.filter(recipient=official).count() == 1
    # The same confirmation again (a double submit): nothing more.
    response = client.post(page_url(campaign), {**data, "confirm": "1", "previewed": previewed}, follow=True)
    assert "Không có gì thay đổi." in response.content.decode()
    assert CampaignChange.objects.count() == 2
    assert Notification.objects.filter(recipient=official).count() == 1


def test_only_the_provinces_staff_open_or_post_the_page(
    client, campaign, first, three, national_viewer, unit_official, ward_clerk, user_without_role
):
    data = {"units": [three[1].pk], "wave": first.pk, "confirm": "1", "previewed": f"{first.pk}:{three[1].pk}"}
    for user in (national_viewer, unit_official, ward_clerk, user_without_role):
        client.force_login(user)
        assert client.get(page_url(campaign)).status_code == 403
        assert client.post(page_url(campaign), data).status_code == 403
    client.force_login(UserFactory(province_staff=True, province=ProvinceFactory()))
    assert client.get(page_url(campaign)).status_code == 404
    assert client.post(page_url(campaign), data).status_code == 404
    client.logout()
    assert client.get(page_url(campaign)).status_code == 302  # to the login page
    assert CampaignUnit.objects.get(pk=three[1].pk).wave_id is None
    assert not CampaignChange.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"wave": "foreign"}, "Đợt triển khai này không thuộc đợt vận hành thử nghiệm: hãy mở lại trang."),
        ({"wave": "99999999999999999999"}, "Đợt triển khai này không thuộc đợt vận hành thử nghiệm: hãy mở lại trang."),
        ({"wave": ""}, "Hãy chọn đợt triển khai để chuyển các đơn vị vào."),
        ({"units": "foreign"}, "Có đơn vị được chọn không thuộc đợt vận hành thử nghiệm này: hãy mở lại trang."),
        ({"units": "99999999999999999999"}, "Có đơn vị được chọn không thuộc đợt vận hành thử nghiệm này"),
        ({"units": "abc\x00def"}, "Có đơn vị được chọn không thuộc đợt vận hành thử nghiệm này"),
        ({"units": []}, "Hãy chọn ít nhất một đơn vị."),
        ({"note": "abc\x00def"}, "Không được chứa ký tự rỗng (NUL)."),
    ],
)
def test_bad_input_gets_a_vietnamese_message(client, campaign, first, three, province_staff, values, message):
    foreign = CampaignFactory(province=ProvinceFactory())
    replace = {"foreign": {"wave": WaveFactory(campaign=foreign).pk, "units": CampaignUnitFactory(campaign=foreign).pk}}
    data = {"units": [three[1].pk], "wave": first.pk, "note": "", "preview": "1"}
    for name, value in values.items():
        data[name] = replace[value][name] if value == "foreign" else value
    client.force_login(province_staff)
    for extra in ({}, {"confirm": "1", "previewed": ""}):
        response = client.post(page_url(campaign), {**data, **extra})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not CampaignChange.objects.exists()


def test_the_pages_forms_answer_hostile_input_without_a_server_error(client, campaign, first, three, province_staff):
    from pilot_portal.core.tests.test_hostile_requests import Fuzzer

    client.force_login(province_staff)
    fuzzer = Fuzzer(client)
    url = page_url(campaign)
    preview = client.post(url, {"units": [three[1].pk], "wave": first.pk, "preview": "1"})
    assert 'id="wave-confirm"' in preview.content.decode()
    for content in (client.get(url).content, preview.content):
        fuzzer.fuzz_page(url, content)
    assert len(fuzzer.fuzzed_forms) == 2  # the choice and the confirmation (the filter is fuzzed as parameters)
    assert fuzzer.requests > 50
    assert fuzzer.failures == []


def test_the_page_keeps_a_constant_number_of_queries_for_168_units(
    client, campaign, first, second, province_staff, django_assert_max_num_queries
):
    """Hồ Chí Minh City has 168 units: the list, the preview and the confirmation cost the same as for three."""
    units = [CampaignUnitFactory(campaign=campaign, wave=first if n % 2 else None) for n in range(3)]
    UserFactory(unit_official=True, unit=units[0].unit)  # told, as some of the 168 are
    client.force_login(province_staff)
    url = page_url(campaign)

    def measure():
        ids = [cu.pk for cu in CampaignUnit.objects.filter(campaign=campaign, wave=None)]
        counts = []
        with django_assert_max_num_queries(12) as listing:
            assert client.get(url, {"q": "xa", "sort": "wave"}).status_code == 200
        counts.append(len(listing.captured_queries))
        data = {"units": ids, "wave": second.pk, "preview": "1"}
        with django_assert_max_num_queries(16) as previewing:
            response = client.post(url, data)
        counts.append(len(previewing.captured_queries))
        previewed = response.context["form"].data["previewed"]
        with django_assert_max_num_queries(30) as confirming:
            assert client.post(url, {**data, "confirm": "1", "previewed": previewed}).status_code == 302
        counts.append(len(confirming.captured_queries))
        CampaignUnit.objects.filter(campaign=campaign, wave=second).update(wave=None)
        return counts, len(ids)

    few, moved = measure()
    assert moved == 2
    for n in range(165):
        units.append(CampaignUnitFactory(campaign=campaign, wave=first if n % 2 else None))
        if n % 20 == 0:
            UserFactory(unit_official=True, unit=units[-1].unit)
    many, moved = measure()
    assert moved == 85
    assert many == few


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_province_staff_puts_two_units_in_a_wave_and_their_checklist_follows(page, login, unit, province_staff):
    checklist_templates_ensure_defaults()
    campaign = CampaignFactory(province=unit.province, name="Vận hành thử nghiệm Hải Phòng")
    first = WaveFactory(campaign=campaign, name="Đợt 1: các phường trung tâm", starts_at=aware(16))
    WaveFactory(campaign=campaign, name="Đợt 2: các xã còn lại", starts_at=aware(23))
    unit.name = "Phường Lê Đại Hành"
    unit.save()
    campaign_unit_add(campaign=campaign, unit=unit, wave=first)
    ái = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=unit.province, name="Xã Ái Quốc"))
    campaign_unit_add(campaign=campaign, unit=UnitFactory(province=unit.province, name="Xã An Phú"))

    login(province_staff)
    page.goto(reverse("campaigns:plan", args=[campaign.pk]))
    page.get_by_role("link", name="Đơn vị theo đợt triển khai").click()
    table = page.locator("#wave-units")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("tbody tr").first).to_contain_text("Phường Lê Đại Hành")
    choose_all = page.get_by_label("Chọn tất cả đơn vị trong danh sách")
    choose_all.check()
    expect(table.locator("tbody input:checked")).to_have_count(3)
    choose_all.uncheck()
    expect(table.locator("tbody input:checked")).to_have_count(0)
    page.get_by_label("Xã Ái Quốc").check()
    page.get_by_label("Xã An Phú").check()
    page.get_by_label("Chuyển vào").select_option(label="Đợt 2: các xã còn lại")
    page.get_by_label("Lý do thay đổi").fill("Hai xã chưa nhận bàn giao trụ sở")
    page.get_by_role("button", name="Xem những nội dung sẽ thay đổi").click()
    preview = page.locator("#wave-preview")
    expect(preview).to_contain_text("Xã Ái Quốc, Xã An Phú")
    expect(preview).to_contain_text("→ Đợt 2: các xã còn lại (bắt đầu 08:00 23/06/2025)")
    expect(preview).to_contain_text("Thời hạn lùi 7 ngày.")
    expect(preview).to_contain_text(HAND_ITEM)
    sizes = {"1366": (1366, 768), "1024": (1024, 768), "phone": (390, 844)}
    for name, (width, height) in sizes.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/wave-units-preview-{name}.png", full_page=True)
    page.get_by_role("button", name="Xác nhận thay đổi").click()
    expect(page.get_by_text("Đã chuyển 2 đơn vị vào Đợt 2: các xã còn lại.")).to_be_visible()
    expect(page.get_by_role("row", name="Xã Ái Quốc")).to_contain_text("Đợt 2: các xã còn lại")
    expect(page.get_by_role("row", name="Xã An Phú")).to_contain_text("08:00 23/06/2025")
    expect(page.locator("#wave-history")).to_contain_text("Hai xã chưa nhận bàn giao trụ sở")

    page.get_by_label("Tên đơn vị").fill("ai quoc")
    page.get_by_role("button", name="Lọc").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Đợt 2: các xã còn lại")
    for name, (width, height) in sizes.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/wave-units-after-{name}.png", full_page=True)

    page.goto(reverse("campaigns:unit", args=[ái.pk]))
    expect(page.get_by_role("row", name=HAND_ITEM).first).to_contain_text("22/06/2025")
