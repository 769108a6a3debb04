import pytest
from django.urls import reverse

from units.tests.factories import ProvinceFactory, SuccessionFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_unit_detail_shows_predecessors_and_headquarters(client, unit, unit_official):
    tan_dan = SuccessionFactory(unit=unit, legacy_unit__name="Phường Tân Dân").legacy_unit
    SuccessionFactory(unit=unit, legacy_unit__name="Phường An Lạc")
    unit.headquarters = tan_dan
    unit.save()
    client.force_login(unit_official)
    response = client.get(unit.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Phường An Lạc" in content
    assert "Trụ sở cũ của Phường Tân Dân" in content


def test_clerk_cannot_open_unit_of_another_unit(client, other_unit, ward_clerk):
    client.force_login(ward_clerk)
    assert client.get(other_unit.get_absolute_url()).status_code == 404


def test_province_staff_cannot_open_unit_of_another_province(client, province_staff):
    elsewhere = UnitFactory(province=ProvinceFactory())
    client.force_login(province_staff)
    assert client.get(elsewhere.get_absolute_url()).status_code == 404


def test_user_without_role_is_refused_unit_pages(client, unit, user_without_role):
    client.force_login(user_without_role)
    assert client.get(unit.get_absolute_url()).status_code == 403
    assert client.get(reverse("units:list")).status_code == 403


def test_national_viewer_opens_any_unit(client, unit, national_viewer):
    client.force_login(national_viewer)
    assert client.get(unit.get_absolute_url()).status_code == 200


def test_unit_list_is_scoped_to_the_province(client, unit, other_unit, province_staff):
    client.force_login(province_staff)
    response = client.get(reverse("units:list"))
    assert [u.code for u in response.context["page"].object_list] == [unit.code]


def test_search_ignores_diacritics(client, national_viewer):
    UnitFactory(name="Phường Lê Đại Hành", short_name="Lê Đại Hành")
    UnitFactory(name="Phường Lê Lợi", short_name="Lê Lợi")
    client.force_login(national_viewer)
    for query in ("le dai hanh", "Lê Đại Hành", "LE DAI", "dai hanh"):
        response = client.get(reverse("units:list"), {"q": query})
        assert [u.name for u in response.context["page"].object_list] == ["Phường Lê Đại Hành"], query


def test_filters_by_province_and_kind(client, national_viewer):
    hai_phong = ProvinceFactory(code="31", name="Thành phố Hải Phòng")
    commune = UnitFactory(province=hai_phong, kind="xa", name="Xã Kim Thành")
    UnitFactory(province=hai_phong, kind="phuong")
    UnitFactory(kind="xa", province=ProvinceFactory(code="01", name="Thành phố Hà Nội"))
    client.force_login(national_viewer)
    response = client.get(reverse("units:list"), {"province": "31", "kind": "xa"})
    assert [u.code for u in response.context["page"].object_list] == [commune.code]


def test_unknown_filter_values_show_a_message_instead_of_an_error(client, national_viewer):
    UnitFactory()
    client.force_login(national_viewer)
    response = client.get(reverse("units:list"), {"kind": "khong-co", "page": "abc"})
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()


def test_unit_list_paginates_fifty_per_page(client, national_viewer):
    UnitFactory.create_batch(51)
    client.force_login(national_viewer)
    first = client.get(reverse("units:list"))
    second = client.get(reverse("units:list"), {"page": 2})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1


@pytest.mark.parametrize("rows", [1, 40])
def test_unit_list_query_count_does_not_grow_with_rows(client, national_viewer, django_assert_max_num_queries, rows):
    province = ProvinceFactory()
    for unit in UnitFactory.create_batch(rows, province=province):
        SuccessionFactory(unit=unit)
    client.force_login(national_viewer)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("units:list")).status_code == 200


@pytest.mark.parametrize("predecessors", [1, 30])
def test_unit_detail_query_count_does_not_grow_with_predecessors(
    client, unit, unit_official, django_assert_max_num_queries, predecessors
):
    SuccessionFactory.create_batch(predecessors, unit=unit)
    client.force_login(unit_official)
    with django_assert_max_num_queries(7):
        assert client.get(unit.get_absolute_url()).status_code == 200
