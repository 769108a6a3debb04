"""The reminder sweeps (``reminders.dossiers_due`` and ``dossier_apology_deadline``, every 15 minutes) select the
dossiers of every unit whose clock runs and that are due before a horizon:

    SELECT ... FROM service_center_dossier WHERE status IN ('2', '4', '6') AND due_at <= %s ORDER BY due_at, id

Without this index that is a scan of the whole table (ten million rows a year); the partial index holds only the
running dossiers, a few days' worth."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("service_center", "0009_dossier_source_number"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("status__in", ["2", "4", "6"])),
                fields=["due_at"],
                name="sc_dossier_running_due",
            ),
        ),
    ]
