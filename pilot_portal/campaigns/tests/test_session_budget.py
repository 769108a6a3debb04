"""The campaign's session time limit is the budget of its units' new sessions (SESSIONS_BUDGET_RESOLVER)."""

import datetime as dt

import pytest
from django.utils import timezone

from pilot_portal.campaigns.tests.factories import CampaignFactory
from sessions import services
from sessions.models import Session
from units.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

START = timezone.make_aware(dt.datetime(2025, 6, 16, 8, 0))


def test_a_new_session_takes_the_budget_the_province_set_on_its_campaign(unit_official):
    CampaignFactory(province=unit_official.unit.province, session_budget_minutes=40)
    session = services.session_create(
        unit=unit_official.unit, kind=Session.Kind.HDND, number=1, scheduled_start=START, actor=unit_official
    )
    assert session.budget_minutes == 40


def test_without_a_campaign_a_new_session_takes_the_sessions_default(unit_official, settings):
    settings.SESSIONS_DEFAULT_BUDGET_MINUTES = 50
    unit = UnitFactory()
    session = services.session_create(
        unit=unit, kind=Session.Kind.UBND, number=1, scheduled_start=START, actor=unit_official
    )
    assert session.budget_minutes == 50
