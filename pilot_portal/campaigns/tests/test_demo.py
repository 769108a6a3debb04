import io

import pytest

from pilot_portal.campaigns import demo
from pilot_portal.campaigns.models import Campaign, CampaignUnit, CampaignUnitEvent, ChecklistItem, PilotIssue
from pilot_portal.campaigns.selectors import unit_readiness
from service_center.models import Dossier, Status

# The seed's pilot dates are fixed (June 2025): read on 15/7/2025, after the pilot, whatever the real date is.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def counts():
    return [m.objects.count() for m in (Campaign, CampaignUnit, ChecklistItem, PilotIssue, CampaignUnitEvent, Dossier)]


def test_demo_builds_both_campaigns_with_varied_progress_and_is_idempotent(pilot_units):
    demo.seed(stdout=io.StringIO())
    first = counts()
    assert first[:2] == [2, 17]
    assert set(CampaignUnit.objects.values_list("status", flat=True)) == {"not_started", "piloting", "reviewed"}
    assert CampaignUnit.objects.filter(wave__name__startswith="Sáng 16/6").get().unit.short_name == "Lê Đại Hành"
    demo.seed(stdout=io.StringIO())
    assert counts() == first


def test_demo_units_that_started_returned_a_test_dossier_on_the_pilot_day(pilot_units):
    demo.seed(stdout=io.StringIO())
    returned = Dossier.objects.filter(is_test=True, status=Status.RETURNED)
    started = CampaignUnit.objects.exclude(status="not_started").exclude(unit__short_name__in=demo.TEST_NOT_DONE)
    assert set(returned.values_list("unit__short_name", flat=True)) == set(
        started.values_list("unit__short_name", flat=True)
    )
    le_dai_hanh = returned.get(unit__short_name="Lê Đại Hành")
    assert le_dai_hanh.received_at.isoformat() == "2025-06-16T02:30:00+00:00"  # 09:30 in Hà Nội
    assert [e.at.date().isoformat() for e in le_dai_hanh.events.all()] == ["2025-06-16"] * 4
    # The derived checklist item of every started unit ticks itself; not-started units are not ticked.
    for campaign in Campaign.objects.all():
        for readiness in unit_readiness(campaign=campaign, campaign_units=campaign.units.all()):
            (view,) = [v for v in readiness.items if v.item.derived_source == "test_dossiers_returned"]
            expected = readiness.campaign_unit.pk in set(started.values_list("pk", flat=True))
            assert view.is_done == expected, readiness.unit.short_name


def test_demo_le_dai_hanh_is_the_model_unit_that_passes_the_gate_once_its_sessions_are_closed(pilot_units):
    from sessions import demo as sessions_demo

    demo.seed(stdout=io.StringIO())
    sessions_demo.seed(stdout=io.StringIO())
    campaign_unit = CampaignUnit.objects.get(unit__short_name="Lê Đại Hành")
    (readiness,) = unit_readiness(
        campaign=campaign_unit.campaign, campaign_units=CampaignUnit.objects.filter(pk=campaign_unit.pk)
    )
    assert (campaign_unit.status, readiness.percent, readiness.gate.missing) == ("reviewed", 100, [])
