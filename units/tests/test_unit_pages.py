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


@pytest.fixture
def tan_dan(db):
    """Phường Tân Dân of Chí Linh (Hải Dương) went into Phường Lê Đại Hành (Hải Phòng); a Phường Tân Dân of
    Nghi Sơn kept its name; a Xã Tân Dân of Sóc Sơn went into Xã Kim Anh (Hà Nội)."""
    from units.tests.factories import LegacyUnitFactory

    hai_phong = ProvinceFactory(code="31", name="Thành phố Hải Phòng")
    le_dai_hanh = UnitFactory(province=hai_phong, name="Phường Lê Đại Hành", short_name="Lê Đại Hành")
    SuccessionFactory(unit=le_dai_hanh, legacy_unit=LegacyUnitFactory(name="Phường Tân Dân"))
    SuccessionFactory(unit=le_dai_hanh, legacy_unit=LegacyUnitFactory(name="Phường Cộng Hòa"))
    thanh_hoa = ProvinceFactory(code="38", name="Tỉnh Thanh Hóa")
    own = UnitFactory(province=thanh_hoa, name="Phường Tân Dân", short_name="Tân Dân")
    SuccessionFactory(
        unit=own,
        legacy_unit=LegacyUnitFactory(
            name="Phường Tân Dân", district_name="Thị xã Nghi Sơn", province_code="38", province_name="Tỉnh Thanh Hóa"
        ),
    )
    ha_noi = ProvinceFactory(code="01", name="Thành phố Hà Nội")
    kim_anh = UnitFactory(province=ha_noi, name="Xã Kim Anh", short_name="Kim Anh", kind="xa")
    SuccessionFactory(
        unit=kim_anh,
        legacy_unit=LegacyUnitFactory(
            name="Xã Tân Dân", district_name="Huyện Sóc Sơn", province_code="01", province_name="Thành phố Hà Nội"
        ),
        is_whole=False,
    )
    return le_dai_hanh, own, kim_anh


def test_search_by_a_predecessors_name_leads_to_the_new_unit(client, tan_dan, national_viewer):
    le_dai_hanh, _own, _kim_anh = tan_dan
    client.force_login(national_viewer)
    for query in ("tan dan", "Tân Dân", "TÂN DÂN"):
        response = client.get(reverse("units:list"), {"q": query})
        assert [u.name for u in response.context["page"].object_list] == ["Phường Tân Dân"], query
        found = [(s.unit.name, s.legacy_unit.district_name) for s in response.context["predecessors"]]
        assert found == [
            ("Xã Kim Anh", "Huyện Sóc Sơn"),
            ("Phường Lê Đại Hành", "Thành phố Chí Linh"),
            ("Phường Tân Dân", "Thị xã Nghi Sơn"),
        ], query
    html = response.content.decode()
    assert "tiếp nhận Phường Tân Dân (Thành phố Chí Linh, Tỉnh Hải Dương)" in html
    assert "tiếp nhận một phần Xã Tân Dân (Huyện Sóc Sơn, Thành phố Hà Nội)" in html
    assert le_dai_hanh.get_absolute_url() in html
    # "Cộng Hòa", the other predecessor, does not match; the own-name search alone is unchanged.
    assert "Cộng Hòa" not in html


def test_predecessor_search_is_scoped_and_filtered_like_the_list(client, tan_dan):
    le_dai_hanh, _own, kim_anh = tan_dan
    from pilot_portal.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(province_staff=True, province=le_dai_hanh.province))
    response = client.get(reverse("units:list"), {"q": "tan dan"})
    assert list(response.context["page"].object_list) == []
    assert [s.unit for s in response.context["predecessors"]] == [le_dai_hanh]
    assert "Không có đơn vị nào" not in response.content.decode()
    client.force_login(UserFactory(national_viewer=True))
    response = client.get(reverse("units:list"), {"q": "tan dan", "kind": "xa"})
    assert [s.unit for s in response.context["predecessors"]] == [kim_anh]


@pytest.mark.parametrize("rows", [1, 30])
def test_predecessor_search_query_count_does_not_grow(client, national_viewer, django_assert_max_num_queries, rows):
    from units.tests.factories import LegacyUnitFactory

    for unit in UnitFactory.create_batch(rows):
        SuccessionFactory(unit=unit, legacy_unit=LegacyUnitFactory(name="Xã Tân Dân"))
    client.force_login(national_viewer)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("units:list"), {"q": "tan dan"})
    assert len(response.context["predecessors"]) == rows
