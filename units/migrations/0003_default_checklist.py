from django.db import migrations


def load_defaults(apps, schema_editor):
    from pilot_portal.campaigns.checklist_defaults import default_template_rows

    Template = apps.get_model("units", "ChecklistTemplateItem")
    if Template.objects.exists():
        return
    Template.objects.bulk_create(Template(**row) for row in default_template_rows())


class Migration(migrations.Migration):
    dependencies = [("units", "0002_campaigns")]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
