"""Daily readiness snapshots: idempotent, back-filled from the histories, drawn as trends, scoped."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.models import ItemStatus, PilotStatus, ReadinessSnapshot
from pilot_portal.campaigns.services import campaign_unit_add, campaign_unit_transition, checklist_item_update
from pilot_portal.campaigns.snapshots import readiness_snapshots_take
from pilot_portal.campaigns.tasks import snapshot_readiness
from pilot_portal.campaigns.tests.factories import CampaignFactory
from units.tests.factories import ProvinceFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _at(day, hour=10):
    return timezone.make_aware(dt.datetime(2025, 6, day, hour))


@pytest.fixture
def story(campaign, campaign_unit, province_staff):
    """Started the pilot on 16/6, ticked an item on 17/6 (the clock moved with the story)."""
    with time_machine.travel(_at(16), tick=False):
        campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.PILOTING, actor=province_staff)
    item = campaign_unit.items.filter(derived_source="").first()
    with time_machine.travel(_at(17), tick=False):
        checklist_item_update(item=item, to=ItemStatus.DONE, actor=province_staff)
    return campaign_unit


def test_back_fill_replays_the_histories_and_a_second_run_changes_nothing(story):
    with time_machine.travel(_at(20), tick=False):
        call_command("snapshot_readiness", "--from", "2025-06-15", "--to", "2025-06-18")
        rows = list(ReadinessSnapshot.objects.order_by("day").values_list("day", "pilot_status", "items_done"))
        assert rows == [
            (dt.date(2025, 6, 15), PilotStatus.NOT_STARTED, 0),
            (dt.date(2025, 6, 16), PilotStatus.PILOTING, 0),
            (dt.date(2025, 6, 17), PilotStatus.PILOTING, 1),
            (dt.date(2025, 6, 18), PilotStatus.PILOTING, 1),
        ]
        taken = list(ReadinessSnapshot.objects.values_list("pk", "taken_at"))
        call_command("snapshot_readiness", "--from", "2025-06-15", "--to", "2025-06-18")
        assert list(ReadinessSnapshot.objects.values_list("pk", "taken_at")) == taken


def test_the_nightly_task_twice_in_a_day_keeps_one_row(story):
    with time_machine.travel(_at(18, 23), tick=False):
        assert snapshot_readiness.delay().get() == 1
        assert snapshot_readiness.delay().get() == 0
        assert readiness_snapshots_take(day=dt.date(2025, 6, 18)) == 0
    assert ReadinessSnapshot.objects.filter(day=dt.date(2025, 6, 18)).count() == 1


def test_the_beat_schedule_takes_the_snapshot_every_evening(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["campaigns-readiness-snapshot"]
    assert entry["task"] == "pilot_portal.campaigns.tasks.snapshot_readiness"


def test_trend_charts_on_the_unit_page_and_the_dashboard_are_scoped(client, story, campaign, province_staff):
    other_campaign_unit = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=campaign.province))
    with time_machine.travel(_at(20), tick=False):
        call_command("snapshot_readiness", "--from", "2025-06-16", "--to", "2025-06-19")
    client.force_login(province_staff)
    unit_page = client.get(reverse("campaigns:unit", args=[story.pk])).content.decode()
    assert unit_page.count("<title>16/06/2025: 0%</title>") == 1
    dashboard = client.get(reverse("campaigns:dashboard", args=[campaign.pk]))
    assert 'id="readiness-trend"' in dashboard.content.decode()
    assert len(dashboard.context["trend"]["dots"]) == 4
    # A unit official of the other unit sees their own unit's trend only, on the dashboard too.
    official = UserFactory(unit_official=True, unit=other_campaign_unit.unit)
    client.force_login(official)
    mine = client.get(reverse("campaigns:dashboard", args=[campaign.pk])).context["trend"]
    assert [d["percent"] for d in mine["dots"]] == [0, 0, 0, 0]
    client.force_login(UserFactory(province_staff=True, province=ProvinceFactory()))
    assert client.get(reverse("campaigns:unit", args=[story.pk])).status_code == 404


def test_the_command_refuses_a_future_day():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("snapshot_readiness", "--to", (timezone.localdate() + dt.timedelta(days=1)).isoformat())


def test_the_nation_s_trend_and_the_report_s_trend(client, story, campaign, province_staff, national_viewer):
    province = ProvinceFactory()
    elsewhere = campaign_unit_add(campaign=CampaignFactory(province=province), unit=UnitFactory(province=province))
    with time_machine.travel(_at(20), tick=False):
        call_command("snapshot_readiness", "--from", "2025-06-16", "--to", "2025-06-19")
    assert ReadinessSnapshot.objects.filter(campaign_unit=elsewhere).exists()
    client.force_login(national_viewer)
    national = client.get(reverse("campaigns:national"))
    assert 'id="readiness-trend"' in national.content.decode()
    assert len(national.context["trend"]["dots"]) == 4
    client.force_login(province_staff)
    report = client.get(reverse("campaigns:report", args=[campaign.pk]))
    assert 'id="readiness-trend"' in report.content.decode()
    # The province's staff see their own units' completion only (one item ticked on 17/6), without the other
    # province's units, which nobody ticked and which pull the nation's figure down.
    mine = client.get(reverse("campaigns:national")).context["trend"]
    assert mine["dots"][0]["percent"] == 0
    assert mine["dots"][-1]["percent"] > national.context["trend"]["dots"][-1]["percent"]
