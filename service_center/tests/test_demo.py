import io

import pytest

from service_center import demo
from service_center.models import Dossier, Status
from units.demo import DONG_NAI_CODE, DONG_NAI_PILOT, HAI_PHONG_AFTERNOON, HAI_PHONG_CODE, LE_DAI_HANH
from units.tests.factories import ProvinceFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot_units():
    for code, names in ((HAI_PHONG_CODE, [LE_DAI_HANH, *HAI_PHONG_AFTERNOON]), (DONG_NAI_CODE, DONG_NAI_PILOT)):
        province = ProvinceFactory(code=code)
        for name in names:
            UnitFactory(province=province, short_name=name)


def test_seed_creates_dossiers_in_every_status_and_is_idempotent(pilot_units):
    demo.seed(stdout=io.StringIO())
    count = Dossier.objects.count()
    assert count >= 300
    assert set(Dossier.objects.values_list("status", flat=True)) == set(Status.values)
    assert not Dossier.objects.filter(unit__agency_code="").exists()
    demo.seed(stdout=io.StringIO())
    assert Dossier.objects.count() == count
