"""Django's SQLite backend with ``fold`` as the deterministic SQL function the generated search columns use, and the
``vietnamese`` collation (Vietnamese alphabetical order).

SQLite has no TRANSLATE, no regular expressions and no Unicode normalisation, so the folded columns call
``fold`` itself: on SQLite they hold exactly what ``fold`` gives. A tool that writes the database without this
backend (the ``sqlite3`` shell) gets "unknown function" instead of a stale search column; reading needs nothing.
"""

from django.db.backends.sqlite3 import base

from pilot_portal.core.collation import SQLITE_COLLATION, compare
from pilot_portal.core.text import SQLITE_FOLD_FUNCTION, fold


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        conn.create_function(SQLITE_FOLD_FUNCTION, 1, fold, deterministic=True)
        # Vietnamese alphabetical order (pilot_portal.core.collation.Vietnamese).
        conn.create_collation(SQLITE_COLLATION, compare)
        return conn
