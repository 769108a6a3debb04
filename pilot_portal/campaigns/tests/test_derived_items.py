import pytest

from pilot_portal.campaigns.models import CampaignUnit
from pilot_portal.campaigns.selectors import unit_readiness
from sessions.models import Session

from .conftest import closed_session, returned_dossier

pytestmark = pytest.mark.django_db


def statuses(campaign, campaign_unit):
    (readiness,) = unit_readiness(campaign=campaign, campaign_units=CampaignUnit.objects.filter(pk=campaign_unit.pk))
    return {v.item.derived_source: v.status for v in readiness.items if v.item.derived_source}


def test_derived_items_start_undone(campaign, campaign_unit):
    assert statuses(campaign, campaign_unit) == {
        "first_hdnd_closed": "todo",
        "first_ubnd_closed": "todo",
        "test_dossiers_returned": "todo",
    }


def test_closing_the_first_hdnd_session_ticks_its_item(campaign, campaign_unit):
    closed_session(campaign_unit.unit, kind=Session.Kind.HDND)
    assert statuses(campaign, campaign_unit)["first_hdnd_closed"] == "done"
    assert statuses(campaign, campaign_unit)["first_ubnd_closed"] == "todo"


def test_closing_the_first_ubnd_meeting_ticks_its_item(campaign, campaign_unit):
    closed_session(campaign_unit.unit, kind=Session.Kind.UBND)
    assert statuses(campaign, campaign_unit)["first_ubnd_closed"] == "done"


def test_a_closed_rehearsal_does_not_tick_the_first_session(campaign, campaign_unit):
    closed_session(campaign_unit.unit, kind=Session.Kind.HDND, rehearsal=True)
    assert statuses(campaign, campaign_unit)["first_hdnd_closed"] == "todo"


def test_test_dossiers_item_waits_for_the_campaign_threshold(campaign, campaign_unit):
    campaign.go_live_test_dossiers = 2
    campaign.save()
    returned_dossier(campaign_unit.unit)
    returned_dossier(campaign_unit.unit, is_test=False)
    assert statuses(campaign, campaign_unit)["test_dossiers_returned"] == "todo"
    returned_dossier(campaign_unit.unit)
    assert statuses(campaign, campaign_unit)["test_dossiers_returned"] == "done"


def test_derived_items_never_read_another_units_data(campaign, campaign_unit, other_unit):
    closed_session(other_unit, kind=Session.Kind.HDND)
    returned_dossier(other_unit)
    assert set(statuses(campaign, campaign_unit).values()) == {"todo"}
