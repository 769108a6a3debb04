"""On PostgreSQL a trigram index serves the unit search (``search_text LIKE '%word%'``, one per word)."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from pilot_portal.core.migration_operations import AddIndexOnPostgres


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_pg_trgm"),
        ("units", "0006_unit_search_text_generated"),
    ]

    operations = [
        AddIndexOnPostgres(
            model_name="unit",
            index=GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="units_unit_search_trgm"),
        ),
    ]
