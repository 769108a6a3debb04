"""Text helpers for Vietnamese: folding diacritics so that "le dai hanh" finds "Lê Đại Hành".

``fold`` folds text in Python (the user's query); ``Fold`` is its SQL twin, the expression of the generated
search columns (``Unit.search_text``, ``Dossier.applicant_search``), so that no writer can store a stale or
differently folded value. On SQLite the SQL calls ``fold`` itself. On PostgreSQL it is TRANSLATE with a table
derived from ``fold``: the two agree on every text in the Latin script (ASCII, Latin-1, Latin Extended-A/B and
Additional: all of Vietnamese) with precomposed or decomposed (NFC or NFD) diacritics and any Unicode whitespace;
the tests prove it with generated names and with every unit name of the national registry.
"""

import unicodedata

from django.db import NotSupportedError
from django.db.models import Func, TextField


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics (đ -> d), with runs of whitespace collapsed."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


#: The characters ``Fold`` knows besides ASCII: Latin-1 Supplement, Latin Extended-A and B, the combining
#: diacritical marks (what NFD text is made of) and Latin Extended Additional (ạ ả ấ ầ ẩ ẫ ậ ... ỹ).
FOLDED_RANGES = ((0x0080, 0x0250), (0x0300, 0x0370), (0x1E00, 0x1F00))


def _fold_char(ch: str) -> str:
    """What ``fold`` makes of ``ch`` on its own, whitespace as one space (``fold`` works character by character,
    then collapses the whitespace)."""
    if ch.isspace():
        return " "
    ch = ch.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()


def _fold_table() -> tuple[list[tuple[str, str]], str]:
    """The characters ``Fold`` replaces with one character, and those it deletes (the combining marks)."""
    chars = [chr(cp) for start, end in FOLDED_RANGES for cp in range(start, end)]
    chars += [chr(cp) for cp in range(0x110000) if chr(cp).isspace() and chr(cp) not in chars]
    mapped, deleted = [], ""
    for ch in chars:
        folded = _fold_char(ch)
        if folded == ch:
            continue
        if folded == "":
            deleted += ch
        else:
            # One character for one, itself folded: a chain of replacements gives the result of one translate.
            assert len(folded) == 1 and _fold_char(folded) == folded, ch
            mapped.append((ch, folded))
    return mapped, deleted


FOLD_MAPPED, FOLD_DELETED = _fold_table()
#: The name of ``fold`` as an SQL function on SQLite.
SQLITE_FOLD_FUNCTION = "pilot_fold"
#: ASCII upper case, which PostgreSQL's TRANSLATE maps too (LOWER would depend on the database's collation).
_ASCII_UPPER = [(chr(cp), chr(cp + 32)) for cp in range(ord("A"), ord("Z") + 1)]


class Fold(Func):
    """``fold(expression)`` in SQL, for ``GeneratedField``: the same characters mapped, the same marks deleted,
    whitespace collapsed and trimmed.

    The table is built from ``unicodedata`` when the code loads, but a generated column keeps the SQL of the
    migration that created it: a change to the table needs a migration that removes and re-adds the columns
    (the tests that compare the columns with ``fold`` would fail first).
    """

    arity = 1
    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"Fold() has no SQL for {connection.vendor}.")

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        pairs = _ASCII_UPPER + FOLD_MAPPED
        source = "".join(ch for ch, _ in pairs) + FOLD_DELETED  # TRANSLATE deletes what has no counterpart
        target = "".join(folded for _, folded in pairs)
        return (
            f"BTRIM(REGEXP_REPLACE(TRANSLATE({sql}, %s, %s), %s, %s, %s), %s)",
            (*params, source, target, " {2,}", " ", "g", " "),
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite has neither TRANSLATE nor regular expressions (and a chain of 700 REPLACE overflows its parser):
        # the portal's SQLite backend (``pilot_portal.core.sqlite3``) gives every connection ``fold`` itself.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{SQLITE_FOLD_FUNCTION}({sql})", params
