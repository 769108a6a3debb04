"""What the benchmark scripts share: each seeds its own PostgreSQL database, created here when missing."""

from __future__ import annotations


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


def setup_django(url: str, **overrides) -> None:
    """Django on the test settings against the bench database ``url``, serving any host, DEBUG off, with
    ``overrides`` applied to the settings."""
    import os

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot_portal.settings.test")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    for name, value in overrides.items():
        setattr(settings, name, value)


def other_columns(cursor, seeded: set[str], model=None) -> tuple[list[str], list]:
    """Columns of ``model``'s table (the dossiers by default) the seed does not set itself, with the model's
    default for each: the seed keeps working when a migration adds a NOT NULL column whose default Django applies
    in Python."""
    from service_center.models import Dossier

    model = model or Dossier
    cursor.execute(
        "select column_name from information_schema.columns where table_name = %s "
        "and is_nullable = 'NO' and column_default is null and is_generated = 'NEVER'",
        [model._meta.db_table],
    )
    required = {row[0] for row in cursor.fetchall()}
    names, values = [], []
    for field in model._meta.concrete_fields:
        column = field.column
        if column in seeded or column not in required or column == "id":
            continue
        names.append(column)
        values.append(field.get_db_prep_save(field.get_default(), cursor.db))
    return names, values
