"""``Unit.search_text`` becomes a column the database computes from the name (``Fold``), so no writer can leave
it stale. A column cannot be altered into a generated one: it is dropped and added again, and the database fills
it for the existing rows. Going back restores the plain column and fills it with ``fold``."""

from django.db import migrations, models

import pilot_portal.core.text


def refill_search_text(apps, schema_editor):
    from pilot_portal.core.text import fold

    Unit = apps.get_model("units", "Unit")
    units = list(Unit.objects.only("pk", "name"))
    for unit in units:
        unit.search_text = fold(unit.name)
    Unit.objects.bulk_update(units, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0005_campaign_models_to_campaigns"),
    ]

    operations = [
        # Runs last when going back, once the plain column is back.
        migrations.RunPython(migrations.RunPython.noop, refill_search_text),
        # A default, so that the plain column can be added back to existing rows when going back.
        migrations.AlterField(
            model_name="unit",
            name="search_text",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.RemoveField(model_name="unit", name="search_text"),
        migrations.AddField(
            model_name="unit",
            name="search_text",
            field=models.GeneratedField(
                db_index=True,
                db_persist=True,
                expression=pilot_portal.core.text.Fold("name"),
                output_field=models.CharField(max_length=255),
            ),
        ),
    ]
