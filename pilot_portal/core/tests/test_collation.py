"""Vietnamese alphabetical order: the same in Python, on PostgreSQL (ICU) and on SQLite (our collation)."""

import io
import sqlite3

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from pilot_portal.core.collation import SQLITE_COLLATION, Vietnamese, compare, sort_key

pytestmark = pytest.mark.django_db

IN_ORDER = [
    "An Phú",
    "Ăn Chơi",
    "Âu Cơ",
    "Ba",
    "Bà",
    "Bả",
    "Bã",
    "Bá",
    "Bạ",
    "Bác",
    "Dĩ An",
    "Đồng Xoài",
    "Ô Môn",
    "Ông Ích Khiêm",
    "Ơ Rê",
    "Tân An",
    "Tân Bình",
    "Uông Bí",
    "Ưu Tú",
    "Xuân",
    "Yên Thế",
]

VIETNAMESE_LETTERS = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
names = st.text(alphabet=VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " ", min_size=1, max_size=12).filter(
    lambda name: name.strip() == name and "  " not in name
)


def _postgres_order(values):
    with connection.cursor() as cursor:
        cursor.execute('SELECT n FROM unnest(%s::text[]) AS n ORDER BY n COLLATE "vi-x-icu", n', [list(values)])
        return [row[0] for row in cursor.fetchall()]


def _sqlite_order(values):
    db = sqlite3.connect(":memory:")
    db.create_collation(SQLITE_COLLATION, compare)
    db.execute("CREATE TABLE t (n TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [(v,) for v in values])
    return [row[0] for row in db.execute(f'SELECT n FROM t ORDER BY n COLLATE "{SQLITE_COLLATION}", n')]


def test_d_with_stroke_comes_after_d_and_tones_after_the_base_letter():
    shuffled = sorted(IN_ORDER, key=lambda name: name[::-1])
    assert sorted(shuffled, key=sort_key) == IN_ORDER
    assert _sqlite_order(shuffled) == IN_ORDER
    assert _postgres_order(shuffled) == IN_ORDER


@given(st.lists(names, min_size=2, max_size=8, unique=True))
def test_python_and_postgresql_agree_on_vietnamese_names(values):
    assert sorted(values, key=lambda v: (sort_key(v), v)) == _postgres_order(values)


def test_the_unit_list_is_in_vietnamese_order(client, national_viewer):
    from units.tests.factories import ProvinceFactory, UnitFactory

    province = ProvinceFactory()
    for short in ["Đông Hải", "Dương Kinh", "Ân Thi", "An Lão", "Bạch Đằng", "Bắc Sơn"]:
        UnitFactory(province=province, name=f"Xã {short}", short_name=short)
    client.force_login(national_viewer)
    page = client.get("/units/", {"province": province.code})
    listed = [unit.short_name for unit in page.context["page"].object_list]
    assert listed == ["An Lão", "Ân Thi", "Bạch Đằng", "Bắc Sơn", "Dương Kinh", "Đông Hải"]


@pytest.mark.full_registry
@pytest.mark.slow
def test_the_national_registry_sorts_the_same_in_python_and_postgresql():
    from units.models import Unit

    call_command("import_units", stdout=io.StringIO())
    in_database = list(Unit.objects.order_by(Vietnamese("name"), "name").values_list("name", flat=True))
    assert len(in_database) == 3321
    assert sorted(in_database, key=lambda name: (sort_key(name), name)) == in_database
