"""Django's SQLite backend, plus the portal's SQL functions (``ENGINE = "pilot_portal.core.sqlite3"``)."""
