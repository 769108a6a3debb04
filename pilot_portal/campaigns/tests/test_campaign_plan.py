"""The province plans its own campaign: milestones, waves and limits, previewed then confirmed, with a history."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.forms import CampaignPlanForm
from pilot_portal.campaigns.models import CampaignChange, ChecklistItem, Milestone
from pilot_portal.campaigns.services import (
    CampaignError,
    CampaignPlan,
    campaign_plan_changes,
    campaign_plan_update,
    campaign_unit_add,
    checklist_templates_ensure_defaults,
)
from pilot_portal.campaigns.tests.factories import SEED_MILESTONES, CampaignFactory, WaveFactory
from pilot_portal.notifications.models import Kind, Notification
from sessions.models import Session
from sessions.tests.factories import SessionFactory
from units.tests.factories import ProvinceFactory, UnitFactory

pytestmark = pytest.mark.django_db

REVIEW = "review_meeting"


def plan_of(campaign, **changes) -> CampaignPlan:
    milestones = {m.kind: m.date for m in campaign.milestones.all()}
    milestones.update(changes.pop("milestones", {}))
    return CampaignPlan(
        milestones=milestones,
        waves=changes.pop("waves", {w.pk: w.starts_at for w in campaign.waves.all()}),
        session_budget_minutes=changes.pop("session_budget_minutes", campaign.session_budget_minutes),
        go_live_test_dossiers=changes.pop("go_live_test_dossiers", campaign.go_live_test_dossiers),
    )


def form_data(campaign, **values) -> dict:
    data = {f"milestone_{m.kind}": m.date.isoformat() for m in campaign.milestones.all()}
    for wave in campaign.waves.all():
        data[f"wave_{wave.pk}"] = timezone.localtime(wave.starts_at).strftime("%Y-%m-%dT%H:%M")
    data["session_budget_minutes"] = str(campaign.session_budget_minutes)
    data["go_live_test_dossiers"] = str(campaign.go_live_test_dossiers)
    data.update(values)
    return data


def review_items(campaign_unit):
    return campaign_unit.items.filter(milestone__kind=REVIEW)


def test_moving_the_review_meeting_moves_its_items_records_the_change_and_tells_the_units(
    campaign, campaign_unit, unit_official, province_staff
):
    item = review_items(campaign_unit).first()
    assert item.due_date == SEED_MILESTONES[REVIEW]
    plan = plan_of(campaign, milestones={REVIEW: dt.date(2025, 6, 27)})

    (preview,) = campaign_plan_changes(campaign=campaign, plan=plan)
    assert (preview.old, preview.new) == ("25/06/2025", "27/06/2025")
    assert preview.items == review_items(campaign_unit).count() > 0
    assert preview.units == 1
    assert Milestone.objects.get(campaign=campaign, kind=REVIEW).date == SEED_MILESTONES[REVIEW]  # nothing written

    changes = campaign_plan_update(campaign=campaign, plan=plan, actor=province_staff, note="Lùi họp theo chỉ đạo")
    assert [c.what for c in changes] == ["Họp rút kinh nghiệm"]
    item.refresh_from_db()
    assert item.due_date == dt.date(2025, 6, 27)
    change = CampaignChange.objects.get(campaign=campaign)
    assert (change.old_value, change.new_value, change.actor, change.note) == (
        "25/06/2025",
        "27/06/2025",
        province_staff,
        "Lùi họp theo chỉ đạo",
    )
    notice = Notification.objects.get(recipient=unit_official)
    assert notice.kind == Kind.MILESTONE
    assert "27/06/2025" in notice.title
    assert notice.link == reverse("campaigns:unit", args=[campaign_unit.pk])

    # The same plan again changes nothing and writes nothing.
    assert campaign_plan_update(campaign=campaign, plan=plan, actor=province_staff) == []
    assert CampaignChange.objects.count() == 1
    assert Notification.objects.filter(recipient=unit_official).count() == 1


def test_a_wave_start_and_the_limits_are_recorded_and_the_waves_units_told(
    campaign, unit, unit_official, province_staff
):
    wave = WaveFactory(campaign=campaign)
    campaign_unit_add(campaign=campaign, unit=unit, wave=wave)
    later = timezone.make_aware(dt.datetime(2025, 6, 16, 14, 0))
    plan = plan_of(campaign, waves={wave.pk: later}, session_budget_minutes=60, go_live_test_dossiers=2)
    changes = campaign_plan_update(campaign=campaign, plan=plan, actor=province_staff)
    assert [(c.old, c.new) for c in changes] == [("08:00 16/06/2025", "14:00 16/06/2025"), ("45", "60"), ("1", "2")]
    campaign.refresh_from_db()
    wave.refresh_from_db()
    assert (campaign.session_budget_minutes, campaign.go_live_test_dossiers, wave.starts_at) == (60, 2, later)
    assert Notification.objects.filter(recipient=unit_official, title__contains="14:00 16/06/2025").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"milestones": {REVIEW: dt.date(2025, 7, 5)}}, "không thể sau Dừng tiếp nhận theo quy trình cũ"),
        ({"milestones": {REVIEW: dt.date(1999, 6, 25)}}, "01/01/2000"),
        ({"session_budget_minutes": 5}, "từ 15 đến 240 phút"),
        ({"go_live_test_dossiers": 99}, "từ 0 đến 50"),
    ],
)
def test_a_plan_that_breaks_a_rule_is_refused_and_changes_nothing(
    campaign, campaign_unit, province_staff, changes, message
):
    with pytest.raises(CampaignError, match=message):
        campaign_plan_update(campaign=campaign, plan=plan_of(campaign, **changes), actor=province_staff)
    assert not CampaignChange.objects.exists()
    assert Milestone.objects.get(campaign=campaign, kind=REVIEW).date == SEED_MILESTONES[REVIEW]


def test_the_limit_cannot_fall_below_a_session_not_yet_held(campaign, campaign_unit, unit, province_staff):
    SessionFactory(unit=unit, status=Session.Status.PUBLISHED, budget_minutes=45, title="Kỳ họp thứ nhất")
    with pytest.raises(CampaignError, match="Kỳ họp thứ nhất"):
        campaign_plan_update(campaign=campaign, plan=plan_of(campaign, session_budget_minutes=30), actor=province_staff)
    campaign.refresh_from_db()
    assert campaign.session_budget_minutes == 45


# --- The page ------------------------------------------------------------------------------------------------


def test_province_staff_previews_then_confirms(client, campaign, campaign_unit, province_staff):
    client.force_login(province_staff)
    url = reverse("campaigns:plan", args=[campaign.pk])
    data = form_data(campaign, **{f"milestone_{REVIEW}": "2025-06-27", "preview": "1"})
    preview = client.post(url, data)
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Những nội dung sẽ thay đổi" in body
    assert "25/06/2025 → <strong>27/06/2025</strong>" in body
    assert Milestone.objects.get(campaign=campaign, kind=REVIEW).date == SEED_MILESTONES[REVIEW]
    previewed = preview.context["form"].data["previewed"]

    confirmed = client.post(url, {**data, "confirm": "1", "previewed": previewed}, follow=True)
    assert "Đã cập nhật kế hoạch (1 thay đổi)." in confirmed.content.decode()
    assert Milestone.objects.get(campaign=campaign, kind=REVIEW).date == dt.date(2025, 6, 27)
    assert CampaignChange.objects.count() == 1


def test_confirming_values_other_than_the_preview_shows_the_new_preview_instead(
    client, campaign, campaign_unit, province_staff
):
    client.force_login(province_staff)
    url = reverse("campaigns:plan", args=[campaign.pk])
    seen = form_data(campaign, **{f"milestone_{REVIEW}": "2025-06-27"})
    plan = CampaignPlanForm(seen, campaign=campaign, milestones=list(campaign.milestones.all()), waves=[])
    assert plan.is_valid()
    typed = {**seen, f"milestone_{REVIEW}": "2025-06-28", "confirm": "1", "previewed": plan.fingerprint(plan.plan())}
    response = client.post(url, typed)
    assert "Các giá trị đã khác với bản xem trước" in response.content.decode()
    assert Milestone.objects.get(campaign=campaign, kind=REVIEW).date == SEED_MILESTONES[REVIEW]


def test_bad_input_is_a_message_and_keeps_what_was_typed(client, campaign, campaign_unit, province_staff):
    client.force_login(province_staff)
    url = reverse("campaigns:plan", args=[campaign.pk])
    data = form_data(campaign, **{f"milestone_{REVIEW}": "2025-07-09", "note": "Ghi chú giữ lại", "preview": "1"})
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "không thể sau" in body
    assert "Ghi chú giữ lại" in body
    assert client.post(url, {**data, "session_budget_minutes": "99999999999999999999"}).status_code == 200


def test_plan_page_access(client, campaign, campaign_unit, unit_official, national_viewer, user_without_role):
    url = reverse("campaigns:plan", args=[campaign.pk])
    other_staff = UserFactory(province_staff=True, province=ProvinceFactory())
    client.force_login(other_staff)
    assert client.get(url).status_code == 404
    for user in (unit_official, national_viewer, user_without_role):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, form_data(campaign, confirm="1")).status_code == 403
    assert not CampaignChange.objects.exists()


def test_plan_page_queries_do_not_grow_with_units_and_history(
    client, campaign, province_staff, django_assert_max_num_queries
):
    checklist_templates_ensure_defaults()
    for _ in range(6):
        campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province))
    for day in (26, 27, 28):
        campaign_plan_update(
            campaign=campaign, plan=plan_of(campaign, milestones={REVIEW: dt.date(2025, 6, day)}), actor=province_staff
        )
    client.force_login(province_staff)
    url = reverse("campaigns:plan", args=[campaign.pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    data = form_data(campaign, **{f"milestone_{REVIEW}": "2025-06-25", "preview": "1"})
    with django_assert_max_num_queries(14):
        response = client.post(url, data)
    assert "6 đơn vị" in response.content.decode() or "7 đơn vị" in response.content.decode()
    assert ChecklistItem.objects.filter(campaign_unit__campaign=campaign).count() > 6


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_province_staff_moves_the_review_meeting_and_the_unit_checklist_follows(page, login, unit, province_staff):
    checklist_templates_ensure_defaults()
    campaign = CampaignFactory(province=unit.province, name="Vận hành thử nghiệm Hải Phòng")
    campaign_unit = campaign_unit_add(campaign=campaign, unit=unit)
    title = review_items(campaign_unit).first().title

    login(province_staff)
    page.get_by_role("link", name="Kế hoạch vận hành thử nghiệm").click()
    page.get_by_label("Họp rút kinh nghiệm").fill("2025-06-27")
    page.get_by_label("Lý do thay đổi").fill("Lùi họp theo chỉ đạo của Thành ủy")
    page.get_by_role("button", name="Xem những nội dung sẽ thay đổi").click()
    preview = page.locator("#plan-preview")
    expect(preview).to_contain_text("25/06/2025 → 27/06/2025")
    expect(preview).to_contain_text(title)
    page.set_viewport_size({"width": 820, "height": 1180})
    page.screenshot(path="/tmp/lead-shots-plan-preview.png", full_page=True)
    page.get_by_role("button", name="Xác nhận thay đổi").click()
    expect(page.get_by_text("Đã cập nhật kế hoạch (1 thay đổi).")).to_be_visible()
    expect(page.locator("#plan-history")).to_contain_text("Lùi họp theo chỉ đạo của Thành ủy")

    page.goto(reverse("campaigns:unit", args=[campaign_unit.pk]))
    expect(page.get_by_role("row", name=title).first).to_contain_text("27/06/2025")


def test_the_admin_cannot_move_what_the_plan_page_moves(admin_client, campaign):
    """Saved milestones, wave starts and limits are read-only in the admin: the plan page keeps their history."""
    WaveFactory(campaign=campaign)
    response = admin_client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    form = response.context["adminform"].form
    assert "session_budget_minutes" not in form.fields
    assert "go_live_test_dossiers" not in form.fields
    milestones, waves = (formset.formset for formset in response.context["inline_admin_formsets"])
    assert all("date" not in f.fields for f in milestones.forms)
    assert all("starts_at" not in f.fields for f in waves.forms)
