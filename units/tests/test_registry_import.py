import io

import pytest
from django.core.management import CommandError, call_command

from units.models import LegacyUnit, Province, Succession, Unit
from units.registry import RegistrySource, import_registry

pytestmark = pytest.mark.django_db


def new_unit(code, ward, short, ward_type, key):
    return {
        "province": "Thành phố Hải Phòng",
        "provinceShort": "Hải Phòng",
        "provinceCode": "31",
        "provinceKey": "thanhphohaiphong",
        "provinceLat": 20.86,
        "provinceLon": 106.68,
        "ward": ward,
        "wardShort": short,
        "wardType": ward_type,
        "wardCode": code,
        "wardKey": key,
        "wardLat": 21.1,
        "wardLon": 106.4,
        "wardAreaKm2": 21.07,
    }


def old_unit(code, ward, key, district="Thành phố Chí Linh", district_key="thanhphochilinh"):
    return {
        "province": "Tỉnh Hải Dương",
        "provinceCode": "30",
        "provinceKey": "tinhhaiduong",
        "district": district,
        "districtCode": "290",
        "districtKey": district_key,
        "districtLat": 21.1,
        "districtLon": 106.4,
        "ward": ward,
        "wardType": "Phường" if ward else None,
        "wardCode": code,
        "wardKey": key,
        "wardLat": 21.1,
        "wardLon": 106.4,
    }


def small_source():
    """Lê Đại Hành merged from An Lạc, Đồng Lạc and Tân Dân; Hoàng Tân split between two new units."""
    return RegistrySource(
        units=[
            new_unit("10603", "Phường Lê Đại Hành", "Lê Đại Hành", "Phường", "phuongledaihanh"),
            new_unit("10606", "Phường Chu Văn An", "Chu Văn An", "Phường", "phuongchuvanan"),
            new_unit("10618", "Xã Trần Phú", "Trần Phú", "Xã", "xatranphu"),
        ],
        legacy_units=[
            old_unit("10594", "Phường An Lạc", "phuonganlac"),
            old_unit("10600", "Phường Đồng Lạc", "phuongdonglac"),
            old_unit("10603", "Phường Tân Dân", "phuongtandan"),
            old_unit("10609", "Phường Hoàng Tân", "phuonghoangtan"),
        ],
        whole={
            "thanhphohaiphong": {
                "phuongledaihanh": [
                    "tinhhaiduong_thanhphochilinh_phuonganlac",
                    "tinhhaiduong_thanhphochilinh_phuongdonglac",
                    "tinhhaiduong_thanhphochilinh_phuongtandan",
                ]
            }
        },
        split={
            "thanhphohaiphong": {
                "tinhhaiduong_thanhphochilinh_phuonghoangtan": [
                    {"newWardKey": "phuongchuvanan", "isDefaultNewWard": True},
                    {"newWardKey": "xatranphu", "isDefaultNewWard": False},
                ]
            }
        },
    )


def test_import_loads_units_predecessors_and_mapping():
    counts = import_registry(source=small_source())
    assert counts.totals == {"provinces": 1, "units": 3, "legacy_units": 4, "successions": 5}
    le_dai_hanh = Unit.objects.get(code="10603")
    assert le_dai_hanh.kind == Unit.Kind.WARD
    assert le_dai_hanh.province.kind == Province.Kind.CITY
    assert le_dai_hanh.search_text == "phuong le dai hanh"
    assert sorted(le_dai_hanh.predecessors.values_list("name", flat=True)) == [
        "Phường An Lạc",
        "Phường Tân Dân",
        "Phường Đồng Lạc",
    ]


def test_a_split_predecessor_links_to_each_new_unit_with_its_main_successor():
    import_registry(source=small_source())
    links = Succession.objects.filter(legacy_unit__code="10609").order_by("unit__code")
    assert [(s.unit.code, s.is_whole, s.is_default) for s in links] == [
        ("10606", False, True),
        ("10618", False, False),
    ]


def test_second_import_changes_nothing():
    import_registry(source=small_source())
    counts = import_registry(source=small_source())
    assert not counts.changed
    assert counts.created == {"provinces": 0, "units": 0, "legacy_units": 0, "successions": 0}


def test_reimport_updates_changed_names_and_keeps_admin_entered_headquarters():
    import_registry(source=small_source())
    unit = Unit.objects.get(code="10603")
    unit.headquarters = LegacyUnit.objects.get(code="10603")
    unit.agency_code = "H31.01"
    unit.save()
    source = small_source()
    source.units[0]["ward"] = "Phường Lê Đại Hành Mới"
    counts = import_registry(source=source)
    unit.refresh_from_db()
    assert counts.updated["units"] == 1
    assert unit.name == "Phường Lê Đại Hành Mới"
    assert unit.headquarters.name == "Phường Tân Dân"
    assert unit.agency_code == "H31.01"


def test_import_removes_links_that_the_mapping_no_longer_has():
    import_registry(source=small_source())
    source = small_source()
    source.whole["thanhphohaiphong"]["phuongledaihanh"].pop()
    counts = import_registry(source=source)
    assert counts.deleted["successions"] == 1
    assert Unit.objects.get(code="10603").predecessors.count() == 2


def test_island_district_without_wards_is_kept_as_a_predecessor():
    source = small_source()
    source.legacy_units.append(old_unit(None, None, None, "Huyện Bạch Long Vĩ", "huyenbachlongvi"))
    import_registry(source=source)
    island = LegacyUnit.objects.get(key="tinhhaiduong_huyenbachlongvi_")
    assert island.code == ""
    assert str(island) == "Huyện Bạch Long Vĩ, Tỉnh Hải Dương"


@pytest.mark.full_registry
@pytest.mark.slow
def test_full_national_import_and_demo_seed_are_idempotent():
    out = io.StringIO()
    call_command("import_units", stdout=out)
    assert Province.objects.count() == 34
    assert Unit.objects.count() == 3321
    assert Unit.objects.filter(kind=Unit.Kind.COMMUNE).count() == 2621
    assert Unit.objects.filter(kind=Unit.Kind.WARD).count() == 687
    assert Unit.objects.filter(kind=Unit.Kind.SPECIAL_ZONE).count() == 13
    assert LegacyUnit.objects.count() == 10040
    le_dai_hanh = Unit.objects.get(province__code="31", short_name="Lê Đại Hành")
    assert sorted((p.name, p.district_name) for p in le_dai_hanh.predecessors.all()) == [
        ("Phường An Lạc", "Thành phố Chí Linh"),
        ("Phường Tân Dân", "Thành phố Chí Linh"),
        ("Phường Đồng Lạc", "Thành phố Chí Linh"),
    ]
    assert "3321 in the registry (3321 created" in out.getvalue()

    again = io.StringIO()
    call_command("import_units", stdout=again)
    assert "nothing changed" in again.getvalue()

    seeded = io.StringIO()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())  # the test settings run with DEBUG off, like production
    call_command("seed_demo", "--allow-demo-users", stdout=seeded)
    call_command("seed_demo", "--allow-demo-users", stdout=io.StringIO())
    le_dai_hanh.refresh_from_db()
    assert le_dai_hanh.headquarters.name == "Phường Tân Dân"
    printed = seeded.getvalue().splitlines()
    assert "  motcua.ledaihanh   Công chức một cửa Phường Lê Đại Hành" in printed
    assert "  quantri            Quản trị" in printed
    assert "  chuacoquyen        Chưa phân quyền" in printed
    from pilot_portal.accounts.models import User

    assert User.objects.filter(username__in=["tinh.haiphong", "motcua.ledaihanh", "trunguong"]).count() == 3
