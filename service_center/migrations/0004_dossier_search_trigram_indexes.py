"""On PostgreSQL trigram indexes serve the queue search: every word in ``applicant_search LIKE '%word%'``, or
the text in ``UPPER(code) LIKE '%TEXT%'`` (``code__icontains``), which the search ORs with the name."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models.functions import Upper

from pilot_portal.core.migration_operations import AddIndexOnPostgres


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_pg_trgm"),
        ("service_center", "0003_dossier_applicant_search_generated"),
    ]

    operations = [
        AddIndexOnPostgres(
            model_name="dossier",
            index=GinIndex(fields=["applicant_search"], opclasses=["gin_trgm_ops"], name="sc_dossier_applicant_trgm"),
        ),
        AddIndexOnPostgres(
            model_name="dossier",
            index=GinIndex(OpClass(Upper("code"), name="gin_trgm_ops"), name="sc_dossier_code_upper_trgm"),
        ),
    ]
