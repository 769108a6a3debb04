"""``Dossier.applicant_search`` becomes a column the database computes from the applicant's name (``Fold``), in
place of ``Dossier.save()`` (which ``bulk_create``, ``update()`` and raw SQL bypassed). A column cannot be
altered into a generated one: it is dropped and added again, and the database fills it for the existing rows.
Going back restores the plain column and fills it with ``fold``."""

from django.db import migrations, models

import pilot_portal.core.text


def refill_applicant_search(apps, schema_editor):
    from pilot_portal.core.text import fold

    Dossier = apps.get_model("service_center", "Dossier")
    batch = []
    for dossier in Dossier.objects.only("pk", "applicant_name").iterator(chunk_size=2000):
        dossier.applicant_search = fold(dossier.applicant_name)
        batch.append(dossier)
        if len(batch) == 2000:
            Dossier.objects.bulk_update(batch, ["applicant_search"])
            batch = []
    Dossier.objects.bulk_update(batch, ["applicant_search"])


class Migration(migrations.Migration):
    dependencies = [
        ("service_center", "0002_dossier_applicant_search"),
    ]

    operations = [
        # Runs last when going back, once the plain column is back.
        migrations.RunPython(migrations.RunPython.noop, refill_applicant_search),
        migrations.RemoveField(model_name="dossier", name="applicant_search"),
        migrations.AddField(
            model_name="dossier",
            name="applicant_search",
            field=models.GeneratedField(
                db_persist=True,
                expression=pilot_portal.core.text.Fold("applicant_name"),
                output_field=models.CharField(max_length=200),
            ),
        ),
    ]
