import factory

from units.models import LegacyUnit, Province, Succession, Unit


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    # Letter + digit: never one of the real (numeric) province codes that tests and the demo use explicitly.
    code = factory.Sequence(lambda n: f"{chr(65 + (n // 10) % 26)}{n % 10}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    short_name = factory.LazyAttribute(lambda p: p.name.removeprefix("Tỉnh "))
    kind = Province.Kind.PROVINCE


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    short_name = factory.Sequence(lambda n: f"Hòa Bình {n}")
    name = factory.LazyAttribute(lambda u: f"Phường {u.short_name}")
    kind = Unit.Kind.WARD
    province = factory.SubFactory(ProvinceFactory)
    latitude = 20.95
    longitude = 106.4
    area_km2 = "12.50"


class LegacyUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegacyUnit

    key = factory.Sequence(lambda n: f"tinhcu_huyencu_xa{n}")
    code = factory.Sequence(lambda n: f"{80000 + n:05d}")
    name = factory.Sequence(lambda n: f"Xã Cũ {n}")
    kind = "Xã"
    district_code = "288"
    district_name = "Thành phố Chí Linh"
    province_code = "30"
    province_name = "Tỉnh Hải Dương"


class SuccessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Succession

    legacy_unit = factory.SubFactory(LegacyUnitFactory)
    unit = factory.SubFactory(UnitFactory)


# --- Pilot campaigns ---------------------------------------------------------------------------------------------
