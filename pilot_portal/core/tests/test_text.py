import unicodedata

import pytest
from django.db import connection
from django.db.models import Value
from django.db.models.sql import Query
from django.db.utils import ConnectionHandler
from hypothesis import given
from hypothesis import strategies as st

from pilot_portal.core.tests.strategies import LATIN_ALPHABET, names
from pilot_portal.core.text import Fold, fold


def test_fold_removes_vietnamese_diacritics_and_d_stroke():
    assert fold("Phường Lê Đại Hành") == "phuong le dai hanh"
    assert fold("  ĐẶC KHU  Côn   Đảo ") == "dac khu con dao"


def test_fold_of_empty_text_is_empty():
    assert fold("") == ""
    assert fold(None) == ""


def _sql_fold(conn, text: str) -> str:
    sql, params = Query(None).get_compiler(connection=conn).compile(Fold(Value(text)))
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return cursor.fetchone()[0]


@pytest.fixture(scope="module")
def sqlite(django_db_blocker):
    """An in-memory SQLite database through the portal's backend (the one ``make run`` uses)."""
    handler = ConnectionHandler({"default": {"ENGINE": "pilot_portal.core.sqlite3", "NAME": ":memory:"}})
    with django_db_blocker.unblock():
        yield handler["default"]
        handler.close_all()


@pytest.mark.django_db
def test_fold_in_sql_on_postgresql_gives_what_fold_gives():
    assert connection.vendor == "postgresql"
    for text in ["Phường Lê Đại Hành", "  ĐẶC KHU  Côn\t\n Đảo ", "Phu\u031bo\u031b\u0300ng", "Müller Ñandú", ""]:
        assert _sql_fold(connection, text) == fold(text), text
    every_character = "x".join(LATIN_ALPHABET)  # each letter, mark and space fold knows, precomposed or not
    for form in ["NFC", "NFD"]:
        text = unicodedata.normalize(form, every_character)
        assert _sql_fold(connection, text) == fold(text)


@pytest.mark.django_db
@given(names)
def test_fold_in_sql_on_postgresql_agrees_with_fold_on_latin_script_names(name):
    assert _sql_fold(connection, name) == fold(name)


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00")))
def test_fold_in_sql_on_sqlite_is_fold_for_any_text(sqlite, text):
    assert _sql_fold(sqlite, text) == fold(text)
