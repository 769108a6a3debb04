import pytest
from django.urls import reverse

from pilot_portal.accounts.tests.factories import UserFactory
from units.models import LegacyUnit, Succession

pytestmark = pytest.mark.django_db


def test_the_unit_admin_edits_the_agency_code_and_shows_predecessors_read_only(client, unit):
    legacy = LegacyUnit.objects.create(
        key="hai-phong_le-chan_an-lac",
        code="11111",
        name="Phường An Lạc",
        district_code="303",
        district_name="Quận Lê Chân",
        province_code="31",
        province_name="Hải Phòng",
    )
    succession = Succession.objects.create(legacy_unit=legacy, unit=unit)
    client.force_login(UserFactory(superuser=True))
    url = reverse("admin:units_unit_change", args=[unit.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Phường An Lạc" in page.content.decode()
    assert 'name="successions-0-legacy_unit"' not in page.content.decode()
    assert client.get(reverse("admin:units_succession_add")).status_code == 403
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {
        "agency_code": "H31.01",
        "headquarters": "",
        "successions-TOTAL_FORMS": "1",
        "successions-INITIAL_FORMS": "1",
        "successions-0-id": succession.pk,
        "successions-0-unit": unit.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    unit.refresh_from_db()
    assert unit.agency_code == "H31.01"
    assert Succession.objects.filter(unit=unit).count() == 1
