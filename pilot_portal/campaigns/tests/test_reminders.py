"""Reminder rules of the pilot campaigns: milestones and readiness items, at fixed moments (``at`` explicit)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.models import ItemStatus, Milestone, PilotStatus
from pilot_portal.campaigns.tests.factories import CampaignFactory, CampaignUnitFactory, ChecklistItemFactory
from pilot_portal.notifications import sweeps
from pilot_portal.notifications.models import Kind, Notification
from units.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
REVIEW = dt.date(2025, 6, 25)


def morning(day: int, month: int = 6):
    return dt.datetime(2025, month, day, 8, 0, tzinfo=HCM)


@pytest.fixture
def campaign_unit(unit):
    """A pilot started 16/6 with its review meeting on 25/6 (the other milestones are left out)."""
    campaign = CampaignFactory(
        province=unit.province,
        milestones={Milestone.Kind.PILOT_START: dt.date(2025, 6, 16), Milestone.Kind.REVIEW_MEETING: REVIEW},
    )
    return CampaignUnitFactory(campaign=campaign, unit=unit)


def titles(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("title", flat=True))


@pytest.mark.parametrize(
    ("day", "title"),
    [
        (18, "Còn 7 ngày đến Họp rút kinh nghiệm (25/06/2025)"),
        (22, "Còn 3 ngày đến Họp rút kinh nghiệm (25/06/2025)"),
        (24, "Còn 1 ngày đến Họp rút kinh nghiệm (25/06/2025)"),
        (25, "Hôm nay: Họp rút kinh nghiệm (25/06/2025)"),
    ],
)
def test_milestone_reminders_at_t7_t3_t1_and_the_day(campaign_unit, unit_official, province_staff, day, title):
    assert sweeps.run("campaign_milestones", at=morning(day)) == 2
    assert titles(unit_official) == [title]
    assert titles(province_staff) == [title]


def test_no_milestone_reminder_between_stages_once_the_stage_was_sent(campaign_unit, unit_official):
    assert sweeps.run("campaign_milestones", at=morning(18)) == 1
    for day in (19, 20, 21):
        assert sweeps.run("campaign_milestones", at=morning(day)) == 0
    assert sweeps.run("campaign_milestones", at=morning(22)) == 1


def test_a_stage_missed_while_the_broker_was_down_is_caught_up(campaign_unit, unit_official):
    assert sweeps.run("campaign_milestones", at=morning(20)) == 1  # T-7 was on 18/6; sent late, once
    assert titles(unit_official) == ["Còn 5 ngày đến Họp rút kinh nghiệm (25/06/2025)"]
    assert sweeps.run("campaign_milestones", at=morning(21)) == 0


def test_moving_a_milestone_moves_its_reminders(campaign_unit, unit_official):
    assert sweeps.run("campaign_milestones", at=morning(24)) == 1  # T-1 of 25/6
    review = campaign_unit.campaign.milestones.get(kind=Milestone.Kind.REVIEW_MEETING)
    review.date = dt.date(2025, 6, 27)
    review.save()
    assert sweeps.run("campaign_milestones", at=morning(24)) == 1  # now T-3 of 27/6
    assert sweeps.run("campaign_milestones", at=morning(25)) == 0  # no reminder for the old date
    assert sweeps.run("campaign_milestones", at=morning(26)) == 1  # T-1 of 27/6
    assert titles(unit_official)[-1] == "Còn 1 ngày đến Họp rút kinh nghiệm (27/06/2025)"


def test_cut_off_and_go_live_are_reminded_too(unit, unit_official):
    CampaignUnitFactory(campaign=CampaignFactory(province=unit.province), unit=unit)  # the seeds' four milestones
    assert sweeps.run("campaign_milestones", at=morning(30)) == 2
    assert titles(unit_official) == [
        "Hôm nay: Dừng tiếp nhận theo quy trình cũ (30/06/2025)",
        "Còn 1 ngày đến Chính thức vận hành (01/07/2025)",
    ]


def test_the_pilot_start_is_not_a_reminded_milestone(campaign_unit, unit_official):
    assert sweeps.run("campaign_milestones", at=morning(15)) == 0


def test_milestone_reminder_lists_what_is_still_open_for_the_unit(campaign_unit, unit_official, province_staff):
    review = campaign_unit.campaign.milestones.get(kind=Milestone.Kind.REVIEW_MEETING)
    ChecklistItemFactory(campaign_unit=campaign_unit, title="Ra mắt Trung tâm PVHCC", milestone=review, offset_days=-1)
    ChecklistItemFactory(campaign_unit=campaign_unit, title="Đã xong", milestone=review, status=ItemStatus.DONE)
    ChecklistItemFactory(campaign_unit=campaign_unit, title="Sau họp", milestone=review, offset_days=2)
    sweeps.run("campaign_milestones", at=morning(22))
    body = Notification.objects.get(recipient=unit_official).body
    assert "Ra mắt Trung tâm PVHCC (24/06/2025 · Đảng ủy)" in body
    assert "Đã xong" not in body
    assert "Sau họp" not in body
    staff_body = Notification.objects.get(recipient=province_staff).body
    assert "Đơn vị còn việc chưa xong trước mốc này: 1/1." in staff_body
    assert f"{campaign_unit.unit.name}: 1" in staff_body


def test_milestones_of_another_province_reach_nobody_here(campaign_unit, unit_official, province_staff):
    elsewhere = CampaignUnitFactory(campaign=CampaignFactory(), unit=UnitFactory())
    UserFactory(unit_official=True, unit=elsewhere.unit)
    sweeps.run("campaign_milestones", at=morning(25))
    assert titles(unit_official) == titles(province_staff) == ["Hôm nay: Họp rút kinh nghiệm (25/06/2025)"]


def test_readiness_items_overdue_and_due_soon_are_reminded_daily(campaign_unit, unit_official):
    pilot_start = campaign_unit.campaign.milestones.get(kind=Milestone.Kind.PILOT_START)  # 16/6
    ChecklistItemFactory(campaign_unit=campaign_unit, title="Bàn giao con dấu", milestone=pilot_start, offset_days=-1)
    ChecklistItemFactory(campaign_unit=campaign_unit, title="Kết nối mạng", milestone=pilot_start, offset_days=2)
    ChecklistItemFactory(campaign_unit=campaign_unit, title="Xa hơn", milestone=pilot_start, offset_days=5)
    ChecklistItemFactory(
        campaign_unit=campaign_unit, title="Xong rồi", milestone=pilot_start, offset_days=-3, status=ItemStatus.DONE
    )
    assert sweeps.run("readiness_items", at=morning(16)) == 1
    assert sweeps.run("readiness_items", at=dt.datetime(2025, 6, 16, 15, 0, tzinfo=HCM)) == 0
    notification = Notification.objects.get()
    assert notification.kind == Kind.READINESS
    assert notification.title == "Công tác chuẩn bị: 1 việc quá hạn, 1 việc đến hạn trong 2 ngày tới"
    assert "Bàn giao con dấu (15/06/2025 · Đảng ủy)" in notification.body
    assert "Kết nối mạng (18/06/2025 · Đảng ủy)" in notification.body
    assert "Xa hơn" not in notification.body
    assert "Xong rồi" not in notification.body
    assert sweeps.run("readiness_items", at=morning(17)) == 1


def test_a_unit_already_live_gets_no_readiness_reminder(campaign_unit, unit_official):
    campaign_unit.status = PilotStatus.LIVE
    campaign_unit.save()
    ChecklistItemFactory(campaign_unit=campaign_unit)
    assert sweeps.run("readiness_items", at=morning(20)) == 0


def test_running_the_campaign_sweeps_twice_sends_nothing_twice(
    campaign_unit, unit_official, province_staff, django_capture_on_commit_callbacks
):
    ChecklistItemFactory(campaign_unit=campaign_unit, offset_days=-2)
    with django_capture_on_commit_callbacks(execute=True):
        first = sweeps.run("campaign_milestones", at=morning(24)) + sweeps.run("readiness_items", at=morning(24))
        again = sweeps.run("campaign_milestones", at=morning(24)) + sweeps.run("readiness_items", at=morning(24))
    assert (first, again) == (3, 0)
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("units", [1, 15])
def test_campaign_sweeps_query_count_does_not_grow_with_units(unit, django_assert_max_num_queries, units):
    campaign = CampaignFactory(
        province=unit.province,
        milestones={Milestone.Kind.PILOT_START: dt.date(2025, 6, 16), Milestone.Kind.REVIEW_MEETING: REVIEW},
    )
    for _ in range(units):
        cu = CampaignUnitFactory(campaign=campaign)
        UserFactory(unit_official=True, unit=cu.unit)
        ChecklistItemFactory.create_batch(3, campaign_unit=cu, offset_days=-1)
    with django_assert_max_num_queries(12):
        assert sweeps.run("campaign_milestones", at=morning(24)) == units
    with django_assert_max_num_queries(12):
        assert sweeps.run("readiness_items", at=morning(24)) == units
