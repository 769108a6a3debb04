import io

import pytest

from pilot_portal.dashboard import demo
from units import demo as units_demo
from units.models import Campaign, CampaignUnit, CampaignUnitEvent, ChecklistItem, PilotIssue
from units.tests.factories import ProvinceFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot_units():
    """Only the seed articles' pilot units, instead of the whole national registry."""
    for code, name, names in (
        (units_demo.HAI_PHONG_CODE, "Thành phố Hải Phòng", [units_demo.LE_DAI_HANH, *units_demo.HAI_PHONG_AFTERNOON]),
        (units_demo.DONG_NAI_CODE, "Tỉnh Đồng Nai", units_demo.DONG_NAI_PILOT),
    ):
        province = ProvinceFactory(code=code, name=name)
        for short_name in names:
            UnitFactory(province=province, short_name=short_name, name=f"Phường {short_name}")


def counts():
    return [m.objects.count() for m in (Campaign, CampaignUnit, ChecklistItem, PilotIssue, CampaignUnitEvent)]


def test_demo_builds_both_campaigns_with_varied_progress_and_is_idempotent(pilot_units):
    demo.seed(stdout=io.StringIO())
    first = counts()
    assert first[:2] == [2, 17]
    assert set(CampaignUnit.objects.values_list("status", flat=True)) == {"not_started", "piloting", "reviewed"}
    assert CampaignUnit.objects.filter(wave__name__startswith="Sáng 16/6").get().unit.short_name == "Lê Đại Hành"
    demo.seed(stdout=io.StringIO())
    assert counts() == first
