import pytest

from units.models import Unit
from units.tests.factories import ProvinceFactory, UnitFactory

pytestmark = pytest.mark.django_db


def visible_codes(user):
    return set(Unit.objects.visible_to(user).values_list("code", flat=True))


def test_unit_users_see_only_their_unit(unit, other_unit, ward_clerk, unit_official):
    assert visible_codes(ward_clerk) == {unit.code}
    assert visible_codes(unit_official) == {unit.code}


def test_province_staff_see_the_units_of_their_province_only(unit, province_staff):
    neighbour = UnitFactory(province=unit.province)
    UnitFactory(province=ProvinceFactory())
    assert visible_codes(province_staff) == {unit.code, neighbour.code}


def test_national_viewer_sees_everything_but_edits_nothing(unit, other_unit, national_viewer):
    assert visible_codes(national_viewer) == {unit.code, other_unit.code}
    assert not Unit.objects.editable_by(national_viewer).exists()


def test_user_without_role_sees_nothing(unit, user_without_role):
    assert visible_codes(user_without_role) == set()


def test_inactive_user_sees_nothing(unit, ward_clerk):
    ward_clerk.is_active = False
    assert visible_codes(ward_clerk) == set()


def test_unit_user_edits_only_their_unit(unit, other_unit, unit_official):
    assert set(Unit.objects.editable_by(unit_official).values_list("code", flat=True)) == {unit.code}


def test_a_provinces_own_objects_are_changed_by_its_staff_not_by_its_units_users(unit, unit_official, province_staff):
    from pilot_portal.campaigns.models import Campaign
    from pilot_portal.campaigns.tests.factories import CampaignFactory

    campaign = CampaignFactory(province=unit.province)
    assert list(Campaign.objects.visible_to(unit_official)) == [campaign]
    assert not Campaign.objects.editable_by(unit_official).exists()
    assert list(Campaign.objects.editable_by(province_staff)) == [campaign]


def test_province_staff_see_and_change_only_their_own_province(unit, other_unit, province_staff):
    from units.models import Province

    assert list(Province.objects.visible_to(province_staff)) == [unit.province]
    assert list(Province.objects.editable_by(province_staff)) == [unit.province]
    assert other_unit.province != unit.province


def test_no_user_and_the_anonymous_user_see_and_change_nothing(unit):
    from django.contrib.auth.models import AnonymousUser

    for user in (None, AnonymousUser()):
        assert not Unit.objects.visible_to(user).exists()
        assert not Unit.objects.editable_by(user).exists()


def test_a_superuser_without_role_sees_and_changes_everything_until_deactivated(unit, other_unit):
    from pilot_portal.accounts.tests.factories import UserFactory

    superuser = UserFactory(is_superuser=True)
    assert visible_codes(superuser) == {unit.code, other_unit.code}
    assert set(Unit.objects.editable_by(superuser).values_list("code", flat=True)) == {unit.code, other_unit.code}
    superuser.is_active = False
    assert not Unit.objects.visible_to(superuser).exists()
    assert not Unit.objects.editable_by(superuser).exists()


def test_an_inactive_user_changes_nothing(unit, unit_official, province_staff):
    for user in (unit_official, province_staff):
        user.is_active = False
        assert not Unit.objects.editable_by(user).exists()


def test_province_staff_change_the_units_of_their_province_only(unit, other_unit, province_staff):
    neighbour = UnitFactory(province=unit.province)
    assert set(Unit.objects.editable_by(province_staff).values_list("code", flat=True)) == {unit.code, neighbour.code}


def test_a_unit_user_sees_the_objects_of_their_own_unit_only_through_the_lookup_path(unit, other_unit, ward_clerk):
    from service_center.models import Dossier
    from service_center.tests.factories import DossierFactory

    own = DossierFactory(unit=unit)
    DossierFactory(unit=other_unit)
    DossierFactory(unit=UnitFactory(province=unit.province))  # a neighbour in the same province
    assert list(Dossier.objects.visible_to(ward_clerk)) == [own]
    assert list(Dossier.objects.editable_by(ward_clerk)) == [own]
