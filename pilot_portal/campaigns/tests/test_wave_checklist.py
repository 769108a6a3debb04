"""A unit in a wave starts the pilot when its wave starts: its checklist items due relative to the pilot start follow
the wave's start, moved on the plan page (previewed, recorded, the wave's units told) or by putting the unit in
another wave."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.models import CampaignChange, CampaignUnit, ChecklistItem, ItemStatus, Milestone
from pilot_portal.campaigns.services import (
    CampaignError,
    campaign_plan_changes,
    campaign_plan_update,
    campaign_unit_add,
    campaign_unit_set_wave,
    checklist_item_update,
    checklist_templates_ensure_defaults,
)
from pilot_portal.campaigns.tests.factories import CampaignFactory, WaveFactory
from pilot_portal.campaigns.tests.test_campaign_plan import form_data, plan_of
from pilot_portal.notifications.models import Kind, Notification
from units.tests.factories import ProvinceFactory, UnitFactory

pytestmark = pytest.mark.django_db

PILOT = "pilot_start"
HAND_ITEM = "Dự thảo quyết định thành lập các phòng chuyên môn"  # pilot start - 1 day, ticked by hand


def aware(day, hour=8):
    return timezone.make_aware(dt.datetime(2025, 6, day, hour, 0))


@pytest.fixture
def wave(campaign):
    return WaveFactory(campaign=campaign, name="Đợt 2: các xã còn lại", starts_at=aware(23))


@pytest.fixture
def in_wave(campaign, unit, wave):
    return campaign_unit_add(campaign=campaign, unit=unit, wave=wave)


@pytest.fixture
def outside(campaign):
    """A unit of the campaign in no wave: it starts on the campaign's pilot start."""
    return campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province, name="Xã Ngoài Đợt"))


def item(campaign_unit, title=HAND_ITEM) -> ChecklistItem:
    return ChecklistItem.objects.select_related("milestone", "campaign_unit__wave").get(
        campaign_unit=campaign_unit, title=title
    )


def test_a_unit_in_a_wave_has_its_pilot_start_items_due_from_its_wave(in_wave, outside):
    assert item(in_wave).due_date == dt.date(2025, 6, 22)  # the wave starts on 23/6
    assert item(outside).due_date == dt.date(2025, 6, 15)  # the campaign's pilot start, 16/6
    review = in_wave.items.select_related("milestone", "campaign_unit__wave").filter(milestone__kind="review_meeting")
    assert {i.due_date for i in review} <= {dt.date(2025, 6, 25) + dt.timedelta(days=d) for d in range(-10, 1)}


def test_moving_a_wave_moves_its_units_items_only_previewed_recorded_and_told(
    campaign, wave, in_wave, outside, unit_official, province_staff
):
    ticked = item(in_wave, "Quy chế làm việc của UBND")
    checklist_item_update(item=ticked, to=ItemStatus.DONE, actor=unit_official)
    pilot_items = in_wave.items.filter(milestone__kind=PILOT).count()
    plan = plan_of(campaign, waves={wave.pk: aware(25, 14)})

    (preview,) = campaign_plan_changes(campaign=campaign, plan=plan)
    assert (preview.old, preview.new, preview.shift_days) == ("08:00 23/06/2025", "14:00 25/06/2025", 2)
    assert (preview.items, preview.items_open, preview.units) == (pilot_items, pilot_items - 1, 1)
    assert HAND_ITEM in {title for title, _units in preview.titles}
    assert item(in_wave).due_date == dt.date(2025, 6, 22)  # a preview writes nothing

    campaign_plan_update(campaign=campaign, plan=plan, actor=province_staff, note="Chờ bàn giao trụ sở")
    assert item(in_wave).due_date == dt.date(2025, 6, 24)
    assert item(outside).due_date == dt.date(2025, 6, 15)  # not in the wave: untouched
    ticked_now = item(in_wave, "Quy chế làm việc của UBND")
    assert (ticked_now.status, ticked_now.version, ticked_now.due_date) == (ItemStatus.DONE, 1, dt.date(2025, 6, 25))
    change = CampaignChange.objects.get(campaign=campaign)
    assert (change.old_value, change.new_value, change.note) == (
        "08:00 23/06/2025",
        "14:00 25/06/2025",
        "Chờ bàn giao trụ sở",
    )
    (notice,) = Notification.objects.filter(recipient=unit_official)
    assert notice.kind == Kind.MILESTONE
    assert "14:00 25/06/2025" in notice.title
    assert (
        f"từ ngày 23/06/2025 sang ngày 25/06/2025: {pilot_items} việc, {pilot_items - 1} việc chưa xong" in notice.body
    )
    outsider = UserFactory(unit_official=True, unit=outside.unit)
    assert not Notification.objects.filter(recipient=outsider).exists()

    # Confirmed twice (a double submit): one change, one notice.
    assert campaign_plan_update(campaign=campaign, plan=plan, actor=province_staff) == []
    assert CampaignChange.objects.count() == 1
    assert Notification.objects.filter(recipient=unit_official).count() == 1


def test_a_wave_moved_within_its_day_moves_no_due_date(campaign, wave, in_wave, province_staff):
    (preview,) = campaign_plan_changes(campaign=campaign, plan=plan_of(campaign, waves={wave.pk: aware(23, 14)}))
    assert (preview.items, preview.shift_days) == (0, 0)


def test_the_pilot_start_milestone_no_longer_moves_the_items_of_units_in_a_wave(
    campaign, in_wave, outside, unit_official, province_staff
):
    plan = plan_of(campaign, milestones={PILOT: dt.date(2025, 6, 17)})
    (preview,) = campaign_plan_changes(campaign=campaign, plan=plan)
    assert preview.units == 1  # only the unit outside the waves
    campaign_plan_update(campaign=campaign, plan=plan, actor=province_staff)
    assert item(outside).due_date == dt.date(2025, 6, 16)
    assert item(in_wave).due_date == dt.date(2025, 6, 22)
    assert "thời hạn các việc chuẩn bị giữ nguyên" in Notification.objects.get(recipient=unit_official).body


def test_putting_a_unit_in_another_wave_moves_its_items_records_it_and_tells_it(
    campaign, wave, in_wave, unit_official, province_staff
):
    first = WaveFactory(campaign=campaign, name="Đợt 1", starts_at=aware(16))
    assert campaign_unit_set_wave(campaign_unit=in_wave, wave=first, actor=province_staff, note="Sẵn sàng sớm")
    assert item(in_wave).due_date == dt.date(2025, 6, 15)
    change = CampaignChange.objects.get(campaign=campaign)
    assert (change.old_value, change.new_value, change.note) == ("Đợt 2: các xã còn lại", "Đợt 1", "Sẵn sàng sớm")
    notice = Notification.objects.get(recipient=unit_official)
    assert "Đợt 1" in notice.title
    assert "từ ngày 23/06/2025 sang ngày 16/06/2025" in notice.body
    # The same wave again changes nothing.
    assert not campaign_unit_set_wave(campaign_unit=in_wave, wave=first, actor=province_staff)
    assert CampaignChange.objects.count() == 1


def test_a_wave_of_another_campaign_is_refused(in_wave, province_staff):
    foreign = WaveFactory(campaign=CampaignFactory(province=ProvinceFactory()))
    with pytest.raises(CampaignError, match="thuộc một đợt vận hành thử nghiệm khác"):
        campaign_unit_set_wave(campaign_unit=in_wave, wave=foreign, actor=province_staff)
    assert CampaignUnit.objects.get(pk=in_wave.pk).wave_id == in_wave.wave_id


def test_the_admin_puts_a_unit_in_another_wave_through_the_service(admin_client, campaign, wave, in_wave):
    first = WaveFactory(campaign=campaign, name="Đợt 1", starts_at=aware(16))
    url = reverse("admin:campaigns_campaignunit_change", args=[in_wave.pk])
    history = {"events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"}
    response = admin_client.post(url, {"campaign": campaign.pk, "unit": in_wave.unit_id, "wave": first.pk, **history})
    assert response.status_code == 302
    assert item(in_wave).due_date == dt.date(2025, 6, 15)
    assert CampaignChange.objects.get(campaign=campaign).new_value == "Đợt 1"


# --- The page ------------------------------------------------------------------------------------------------


def test_the_plan_page_previews_the_wave_items_then_confirms(client, campaign, wave, in_wave, province_staff):
    client.force_login(province_staff)
    url = reverse("campaigns:plan", args=[campaign.pk])
    data = form_data(campaign, **{f"wave_{wave.pk}": "2025-06-25T14:00", "preview": "1"})
    body = client.post(url, data).content.decode()
    assert "08:00 23/06/2025 → <strong>14:00 25/06/2025</strong>" in body
    assert "Thời hạn lùi 2 ngày." in body
    assert HAND_ITEM in body
    previewed = client.post(url, data).context["form"].data["previewed"]
    client.post(url, {**data, "confirm": "1", "previewed": previewed})
    assert item(in_wave).due_date == dt.date(2025, 6, 24)


def test_only_the_provinces_staff_move_a_wave(client, campaign, wave, in_wave, national_viewer, unit_official):
    url = reverse("campaigns:plan", args=[campaign.pk])
    data = form_data(campaign, **{f"wave_{wave.pk}": "2025-06-25T14:00", "confirm": "1"})
    for user in (national_viewer, unit_official):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    client.force_login(UserFactory(province_staff=True, province=ProvinceFactory()))
    assert client.post(url, data).status_code == 404
    wave.refresh_from_db()
    assert wave.starts_at == aware(23)
    assert item(in_wave).due_date == dt.date(2025, 6, 22)
    assert not CampaignChange.objects.exists()


def test_the_wave_preview_queries_do_not_grow_with_units(
    client, campaign, wave, province_staff, django_assert_max_num_queries
):
    for _ in range(6):
        campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province), wave=wave)
    client.force_login(province_staff)
    url = reverse("campaigns:plan", args=[campaign.pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    data = form_data(campaign, **{f"wave_{wave.pk}": "2025-06-25T14:00", "preview": "1"})
    with django_assert_max_num_queries(14):
        response = client.post(url, data)
    assert "6 đơn vị" in response.content.decode()


def test_the_unit_page_shows_the_wave_due_dates_in_constant_queries(
    client, campaign, wave, in_wave, unit_official, django_assert_max_num_queries
):
    client.force_login(unit_official)
    url = reverse("campaigns:unit", args=[in_wave.pk])
    with django_assert_max_num_queries(40) as first:
        client.get(url)
    for _ in range(5):
        ChecklistItem.objects.create(
            campaign_unit=in_wave,
            block="it",
            title="Việc thêm",
            milestone=Milestone.objects.get(campaign=campaign, kind=PILOT),
            offset_days=1,
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        body = client.get(url).content.decode()
    assert "24/06/2025" in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_province_staff_moves_a_waves_start_and_the_units_checklist_follows(page, login, unit, province_staff):
    checklist_templates_ensure_defaults()
    campaign = CampaignFactory(province=unit.province, name="Vận hành thử nghiệm Hải Phòng")
    wave = WaveFactory(campaign=campaign, name="Đợt 2: các xã còn lại", starts_at=aware(23))
    campaign_unit = campaign_unit_add(campaign=campaign, unit=unit, wave=wave)

    login(province_staff)
    page.goto(reverse("campaigns:unit", args=[campaign_unit.pk]))
    expect(page.get_by_role("row", name=HAND_ITEM).first).to_contain_text("22/06/2025")
    page.goto(reverse("campaigns:dashboard", args=[campaign.pk]))
    page.get_by_role("link", name="Kế hoạch vận hành thử nghiệm").click()
    page.get_by_label("Thời điểm bắt đầu Đợt 2: các xã còn lại").fill("2025-06-25T14:00")
    page.get_by_label("Lý do thay đổi").fill("Chờ bàn giao trụ sở mới")
    page.get_by_role("button", name="Xem những nội dung sẽ thay đổi").click()
    preview = page.locator("#plan-preview")
    expect(preview).to_contain_text("08:00 23/06/2025 → 14:00 25/06/2025")
    expect(preview).to_contain_text("Thời hạn lùi 2 ngày.")
    expect(preview).to_contain_text(HAND_ITEM)
    for name, size in (("tablet", {"width": 1024, "height": 768}), ("phone", {"width": 390, "height": 844})):
        page.set_viewport_size(size)
        page.screenshot(path=f"/tmp/wave-shots-plan-preview-{name}.png", full_page=True)
    page.get_by_role("button", name="Xác nhận thay đổi").click()
    expect(page.get_by_text("Đã cập nhật kế hoạch (1 thay đổi).")).to_be_visible()
    expect(page.locator("#plan-history")).to_contain_text("Chờ bàn giao trụ sở mới")

    page.goto(reverse("campaigns:unit", args=[campaign_unit.pk]))
    expect(page.get_by_role("row", name=HAND_ITEM).first).to_contain_text("24/06/2025")
