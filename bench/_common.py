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
