"""Vietnamese alphabetical order, the same on PostgreSQL, on SQLite and in Python.

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f, j, w, z placed as in Latin for foreign
names): Đ comes after D, Ơ after Ô. Tones are a second-level difference, in dictionary order: level, huyền, hỏi,
ngã, sắc, nặng, so "Ba" < "Bà" < "Bả" < "Bã" < "Bá" < "Bạ" < "Bác". PostgreSQL uses its ICU collation ``vi-x-icu``,
SQLite the ``vietnamese`` collation that :mod:`pilot_portal.core.sqlite3` registers with :func:`compare`, and Python
code :func:`sort_key`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from django.db.models import Func

ALPHABET = "0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index + 1 for index, letter in enumerate(ALPHABET)}
#: Marks that make a letter of its own (breve, circumflex, horn) and the tones (second level).
_LETTER_MARKS = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô"}
_LETTER_MARKS |= {("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

SQLITE_COLLATION = "vietnamese"
POSTGRESQL_COLLATION = "vi-x-icu"


@lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple:
    """The key that puts ``text`` in Vietnamese alphabetical order (letters first, then tones, then case)."""
    letters, tones, cases = [], [], []
    for ch in unicodedata.normalize("NFD", text or ""):
        if unicodedata.combining(ch):
            if ch in _TONES and tones:
                tones[-1] = _TONES[ch]
            elif letters and (ALPHABET[letters[-1] - 1], ch) in _LETTER_MARKS:
                letters[-1] = _RANK[_LETTER_MARKS[(ALPHABET[letters[-1] - 1], ch)]]
            continue
        lower = ch.lower()
        if lower == "đ" or lower in _RANK:
            letters.append(_RANK[lower])
            tones.append(0)
            cases.append(0 if ch == lower else 1)
        elif ch.isspace() or not ch.isalnum():
            # Spaces and punctuation sort before any letter, so "Tân An" comes before "Tân Bình" and "Tâna".
            letters.append(0)
            tones.append(0)
            cases.append(0)
        else:  # another script: after the Vietnamese letters, by code point
            letters.append(len(ALPHABET) + 1 + ord(lower))
            tones.append(0)
            cases.append(0)
    return (tuple(letters), tuple(tones), tuple(cases))


def compare(a: str, b: str) -> int:
    """``cmp``-style comparison for SQLite's ``create_collation``."""
    ka, kb = sort_key(a), sort_key(b)
    return (ka > kb) - (ka < kb)


class Vietnamese(Func):
    """``order_by(Vietnamese("name"))``: the column in Vietnamese alphabetical order on either database."""

    arity = 1
    template = f'%(expressions)s COLLATE "{SQLITE_COLLATION}"'

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template=f'%(expressions)s COLLATE "{POSTGRESQL_COLLATION}"', **extra_context
        )
