import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilot_portal.accounts.models import User
from pilot_portal.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_any_matches_the_listed_ids_with_one_array_parameter(unit, other_unit):
    inside = UserFactory.create_batch(3, unit_official=True, unit=unit)
    UserFactory(unit_official=True, unit=other_unit)
    wanted = [u.pk for u in inside[:2]] + [10**9]
    with CaptureQueriesContext(connection) as captured:
        found = set(User.objects.filter(pk__any=wanted).values_list("pk", flat=True))
    assert found == {u.pk for u in inside[:2]}
    assert "ANY(" in captured.captured_queries[0]["sql"]


def test_any_on_a_foreign_key_and_with_no_ids(unit, other_unit):
    mine = UserFactory(unit_official=True, unit=unit)
    UserFactory(unit_official=True, unit=other_unit)
    assert list(User.objects.filter(unit_id__any={unit.pk}).values_list("pk", flat=True)) == [mine.pk]
    assert list(User.objects.filter(unit__any=[unit.pk]).values_list("pk", flat=True)) == [mine.pk]
    assert not User.objects.filter(unit_id__any=[]).exists()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/units/%00/"),
        ("get", "/units/12%0034/"),
        ("get", "/service-center/dossiers/%00/"),
        ("get", "/service-center/ho-so/%00/"),
        ("get", "/service-center/dossiers/%00/forms/01/"),
        ("post", "/service-center/dossiers/%00/transition/"),
    ],
)
def test_a_nul_character_in_a_code_is_not_found(client, ward_clerk, method, url):
    client.force_login(ward_clerk)
    assert getattr(client, method)(url).status_code == 404
