"""The ``pg_trgm`` extension on PostgreSQL, for the trigram indexes of the search columns; nothing elsewhere."""

from django.db import migrations

from pilot_portal.core.migration_operations import TrigramExtensionOnPostgres


class Migration(migrations.Migration):
    dependencies = []

    operations = [TrigramExtensionOnPostgres()]
