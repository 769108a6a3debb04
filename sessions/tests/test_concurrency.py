"""Real concurrent transactions on PostgreSQL: two officials taking the same session number at once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pilot_portal.core.testing import run_together
from sessions import services
from sessions.models import Session

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officials_creating_the_same_session_number_at_once_one_is_told(unit, unit_official):
    start = timezone.make_aware(dt.datetime(2025, 6, 16, 8, 0))

    results = run_together(
        lambda i: services.session_create(
            unit=unit, kind=Session.Kind.HDND, number=1, scheduled_start=start, actor=unit_official
        ),
        2,
    )

    created = [r for r in results if isinstance(r, Session)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(created) == 1 and len(refused) == 1, results
    assert "đã có" in " ".join(refused[0].messages)
    assert Session.objects.filter(unit=unit).count() == 1
