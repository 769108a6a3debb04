"""``Unit.search_text`` is computed by the database from the name: every writer gets it right, the admin too."""

import io
import unicodedata

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Value
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.core.tests.strategies import names
from pilot_portal.core.text import Fold, fold
from units import selectors
from units.models import LegacyUnit, Province, Unit
from units.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _found(client, query):
    return [u.code for u in client.get(reverse("units:list"), {"q": query}).context["page"].object_list]


def test_a_unit_renamed_in_the_admin_is_found_under_its_new_name_only(client):
    unit = UnitFactory(name="Phường Lê Đại Hành", short_name="Lê Đại Hành")
    UnitFactory(name="Phường Lê Lợi", short_name="Lê Lợi")
    client.force_login(UserFactory(superuser=True))
    url = reverse("admin:units_unit_change", args=[unit.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {
        "name": "Phường Trần Hưng Đạo",
        "short_name": "Trần Hưng Đạo",
        "headquarters": "",
        "successions-TOTAL_FORMS": "0",
        "successions-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    unit.refresh_from_db()
    assert unit.search_text == "phuong tran hung dao" == fold(unit.name)
    for query in ["Trần Hưng Đạo", "tran hung dao", "TRAN HUNG", "hưng đạo", "dao"]:
        assert _found(client, query) == [unit.code], query
    for query in ["Lê Đại Hành", "le dai hanh", "dai hanh"]:
        assert _found(client, query) == [], query


def test_writers_that_bypass_save_get_the_folded_name_too():
    updated, bulk_updated = UnitFactory(name="Xã Cũ"), UnitFactory(name="Xã Cũ Nữa")
    Unit.objects.filter(pk=updated.pk).update(name="Đặc khu Côn Đảo")
    bulk_updated.name = "Xã Ngọc Thiện"
    Unit.objects.bulk_update([bulk_updated], ["name"])
    Unit.objects.bulk_create([UnitFactory.build(name="Phường Hồng Bàng", province=updated.province)])
    assert dict(Unit.objects.values_list("name", "search_text")) == {
        "Đặc khu Côn Đảo": "dac khu con dao",
        "Xã Ngọc Thiện": "xa ngoc thien",
        "Phường Hồng Bàng": "phuong hong bang",
    }


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(name=names)
def test_the_search_column_is_fold_of_the_name(unit, name):
    name = name[: Unit._meta.get_field("name").max_length]
    Unit.objects.filter(pk=unit.pk).update(name=name)
    assert Unit.objects.values_list("search_text", flat=True).get(pk=unit.pk) == fold(name)


@pytest.mark.full_registry
@pytest.mark.slow
def test_every_name_of_the_national_registry_folds_in_the_database_as_fold_does():
    call_command("import_units", stdout=io.StringIO())
    units = list(Unit.objects.values_list("code", "name", "search_text"))
    assert len(units) == 3321
    assert [(name, folded) for _, name, folded in units if folded != fold(name)] == []
    # The predecessors' and provinces' names, as typed (NFC) and decomposed (NFD), through the same expression.
    other_names = {
        name
        for names in [
            LegacyUnit.objects.values_list("name", "district_name", "province_name"),
            Province.objects.values_list("name", "short_name"),
        ]
        for row in names
        for name in row
    }
    for form in ["NFC", "NFD"]:
        folded = Unit.objects.annotate(folded=Fold(Value(unicodedata.normalize(form, "|".join(other_names)))))
        assert folded.values_list("folded", flat=True).first() == fold("|".join(other_names))
    # Every unit is found by its name with and without diacritics.
    for code, name, _ in units:
        found = set(Unit.objects.search(name).values_list("code", flat=True))
        assert code in found and found == set(Unit.objects.search(fold(name)).values_list("code", flat=True))


def test_on_postgresql_the_unit_list_search_can_use_the_trigram_index(national_viewer):
    UnitFactory.create_batch(5)
    UnitFactory(name="Phường Lê Đại Hành")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        # A handful of rows: left alone the planner reads the table. Plain scans off, what remains is the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    units = selectors.unit_list(user=national_viewer, query="Lê Đại Hành")
    plan = units.explain()
    assert "Bitmap Index Scan on units_unit_search_trgm" in plan, plan
    assert [u.name for u in units] == ["Phường Lê Đại Hành"]
