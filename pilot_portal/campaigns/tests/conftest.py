import datetime as dt

import pytest
from django.utils import timezone

from pilot_portal.campaigns.models import ItemStatus
from pilot_portal.campaigns.services import (
    campaign_unit_add,
    checklist_item_update,
    checklist_templates_ensure_defaults,
)
from pilot_portal.campaigns.tests.factories import CampaignFactory
from service_center.models import Status
from service_center.tests.factories import DossierFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory
from units import demo as units_demo
from units.tests.factories import ProvinceFactory, UnitFactory

#: A day after every seed milestone: whatever is not done is late.
AFTER_GO_LIVE = dt.date(2025, 7, 2)
#: The morning of the pilot start: only items due before 16/6 can be late.
PILOT_START = dt.date(2025, 6, 16)


def make_pilot_units():
    """Only the seed articles' pilot units, instead of the whole national registry (for the demo's tests)."""
    for code, name, names in (
        (units_demo.HAI_PHONG_CODE, "Thành phố Hải Phòng", [units_demo.LE_DAI_HANH, *units_demo.HAI_PHONG_AFTERNOON]),
        (units_demo.DONG_NAI_CODE, "Tỉnh Đồng Nai", units_demo.DONG_NAI_PILOT),
    ):
        province = ProvinceFactory(code=code, name=name)
        for short_name in names:
            UnitFactory(province=province, short_name=short_name, name=f"Phường {short_name}")


@pytest.fixture
def pilot_units(db):
    make_pilot_units()


@pytest.fixture
def campaign(unit):
    checklist_templates_ensure_defaults()
    return CampaignFactory(province=unit.province)


@pytest.fixture
def campaign_unit(campaign, unit):
    return campaign_unit_add(campaign=campaign, unit=unit)


def closed_session(unit, *, kind=Session.Kind.HDND, number=1, minutes=40, budget=45, rehearsal=False, **extra):
    start = timezone.make_aware(dt.datetime(2025, 6, 16, 8, 0))
    return SessionFactory(
        unit=unit,
        kind=kind,
        number=number,
        is_rehearsal=rehearsal,
        status=Session.Status.CLOSED,
        budget_minutes=budget,
        actual_start=start,
        actual_end=start + dt.timedelta(minutes=minutes),
        **extra,
    )


def returned_dossier(unit, *, is_test=True, late=False):
    received = timezone.make_aware(dt.datetime(2025, 6, 16, 9, 0))
    due = received + dt.timedelta(days=3)
    closed = due + dt.timedelta(days=2) if late else received + dt.timedelta(hours=2)
    return DossierFactory(
        unit=unit, is_test=is_test, status=Status.RETURNED, received_at=received, due_at=due, closed_at=closed
    )


def tick_hand_items(campaign_unit, actor, *, only_critical=False):
    items = campaign_unit.items.filter(derived_source="")
    if only_critical:
        items = items.filter(is_critical=True)
    for item in items:
        checklist_item_update(item=item, to=ItemStatus.DONE, actor=actor)


def make_ready(campaign_unit, actor):
    """Everything the go-live gate asks for."""
    tick_hand_items(campaign_unit, actor, only_critical=True)
    closed_session(campaign_unit.unit, kind=Session.Kind.HDND)
    closed_session(campaign_unit.unit, kind=Session.Kind.UBND)
    returned_dossier(campaign_unit.unit)
