import io

import pytest

from sessions import demo
from sessions.models import Session, StreamViewer
from units import demo as units_demo
from units.tests.factories import ProvinceFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot_units():
    """Only the pilot units of the seeds, without importing the whole registry."""
    for code, names in (
        (units_demo.HAI_PHONG_CODE, [units_demo.LE_DAI_HANH, *units_demo.HAI_PHONG_AFTERNOON]),
        (units_demo.DONG_NAI_CODE, units_demo.DONG_NAI_PILOT),
    ):
        province = ProvinceFactory(code=code)
        for name in names:
            UnitFactory(province=province, short_name=name, name=f"Phường {name}")


def test_demo_seed_builds_the_pilot_day_and_is_idempotent(pilot_units, settings, tmp_path):
    demo.seed(stdout=io.StringIO())
    count = Session.objects.count()
    demo.seed(stdout=io.StringIO())
    assert Session.objects.count() == count == 34
    le_dai_hanh = Session.objects.filter(unit__short_name=units_demo.LE_DAI_HANH)
    assert {s.status for s in le_dai_hanh} == {Session.Status.CLOSED}
    assert all(s.scheduled_start.astimezone().hour < 12 for s in le_dai_hanh)
    assert StreamViewer.objects.filter(session__in=le_dai_hanh).count() == 2 * 11
    closed = Session.objects.filter(status=Session.Status.CLOSED)
    assert all(s.outcomes.exists() and s.lessons_good for s in closed)
    assert any(s.actual_minutes > s.budget_minutes for s in closed)
