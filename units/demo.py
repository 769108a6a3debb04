"""Demo data of the registry: the pilot units of the seed articles and demo users of every role."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from pilot_portal.accounts.models import Role, User

from .models import LegacyUnit, Unit

DEMO_PASSWORD = "thidiem-2025"

# Hải Phòng (Hải Dương before the merger): Lê Đại Hành piloted on the morning of 16/6/2025, these 11 that afternoon.
HAI_PHONG_CODE = "31"
LE_DAI_HANH = "Lê Đại Hành"
HAI_PHONG_AFTERNOON = [
    "Đường An",
    "Nguyễn Lương Bằng",
    "Tân An",
    "Tân Kỳ",
    "Gia Phúc",
    "Thạch Khôi",
    "Mao Điền",
    "An Phú",
    "Nhị Chiểu",
    "Hà Bắc",
    "Kim Thành",
]
# Đồng Nai (Bình Phước before the merger): the five pilot units from 16/6/2025.
DONG_NAI_CODE = "75"
DONG_NAI_PILOT = ["Đồng Xoài", "Chơn Thành", "Bình Long", "Phước Bình", "Đa Kia"]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    province_code: str = ""
    unit_short_name: str = ""
    superuser: bool = False
    position: str = ""


DEMO_USERS = [
    DemoUser("quantri", "Quản trị hệ thống", "", superuser=True, position="Quản trị viên"),
    DemoUser("tinh.haiphong", "Nguyễn Minh Hùng", Role.PROVINCE_STAFF, HAI_PHONG_CODE, position="Sở Nội vụ"),
    DemoUser("tinh.dongnai", "Trần Thị Lan", Role.PROVINCE_STAFF, DONG_NAI_CODE, position="Sở Nội vụ"),
    DemoUser(
        "canbo.ledaihanh",
        "Phạm Văn Dũng",
        Role.UNIT_OFFICIAL,
        HAI_PHONG_CODE,
        LE_DAI_HANH,
        position="Chánh Văn phòng HĐND và UBND",
    ),
    DemoUser(
        "motcua.ledaihanh",
        "Lê Thị Hoa",
        Role.WARD_CLERK,
        HAI_PHONG_CODE,
        LE_DAI_HANH,
        position="Công chức Trung tâm PVHCC",
    ),
    DemoUser(
        "canbo.dongxoai",
        "Hoàng Văn Nam",
        Role.UNIT_OFFICIAL,
        DONG_NAI_CODE,
        "Đồng Xoài",
        position="Chánh Văn phòng HĐND và UBND",
    ),
    DemoUser(
        "motcua.dongxoai",
        "Vũ Thị Mai",
        Role.WARD_CLERK,
        DONG_NAI_CODE,
        "Đồng Xoài",
        position="Công chức Trung tâm PVHCC",
    ),
    DemoUser(
        "daibieu.ledaihanh",
        "Ngô Thị Thanh",
        Role.DELEGATE,
        HAI_PHONG_CODE,
        LE_DAI_HANH,
        position="Đại biểu HĐND phường",
    ),
    DemoUser("trunguong", "Đỗ Quang Huy", Role.NATIONAL_VIEWER, position="Bộ Nội vụ"),
    DemoUser("chuacoquyen", "Người dùng chưa phân quyền", ""),
]


def pilot_units() -> dict[str, list[Unit]]:
    """The pilot units of the seeds, by province code; raises if the registry has not been imported."""
    result = {}
    for province_code, names in (
        (HAI_PHONG_CODE, [LE_DAI_HANH, *HAI_PHONG_AFTERNOON]),
        (DONG_NAI_CODE, DONG_NAI_PILOT),
    ):
        found = {u.short_name: u for u in Unit.objects.filter(province__code=province_code, short_name__in=names)}
        missing = [n for n in names if n not in found]
        if missing:
            raise LookupError(f"Units missing from the registry (run import_units first): {', '.join(missing)}")
        result[province_code] = [found[n] for n in names]
    return result


@transaction.atomic
def seed(*, stdout) -> None:
    units = pilot_units()
    le_dai_hanh = units[HAI_PHONG_CODE][0]
    tan_dan = LegacyUnit.objects.filter(successions__unit=le_dai_hanh, name="Phường Tân Dân").first()
    if tan_dan and le_dai_hanh.headquarters_id != tan_dan.id:
        le_dai_hanh.headquarters = tan_dan
        le_dai_hanh.save(update_fields=["headquarters"])

    by_name = {(u.province.code, u.short_name): u for group in units.values() for u in group}
    stdout.write(_("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
    for spec in DEMO_USERS:
        unit = by_name.get((spec.province_code, spec.unit_short_name)) if spec.unit_short_name else None
        province = unit.province if unit else (units[spec.province_code][0].province if spec.province_code else None)
        user, _created = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.full_name,
                "last_name": "",
                "role": spec.role,
                "province": province,
                "unit": unit,
                "position": spec.position,
                "is_superuser": spec.superuser,
                "is_staff": spec.superuser,
                "email": f"{spec.username}@pilot.local",
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        role = user.get_role_display() or (_("superuser") if spec.superuser else _("no role"))
        place = f" {unit or province}" if (unit or province) else ""
        stdout.write(f"  {spec.username:<18} {capfirst(role)}{place}")
