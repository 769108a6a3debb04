"""Papers of a procedure and of a dossier, the fee collected, how the result is delivered, the papers asked for by a
supplement request, and the apology's reason on its own (form 04 printed the new date twice)."""

import re

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


#: The apology's event note was "<New due date> HH:MM dd/mm/yyyy. <reason>" in the language of the moment.
APOLOGY_NOTE = re.compile(r"^\D*\d{2}:\d{2} \d{2}/\d{2}/\d{4}\.\s*(?P<reason>.*)$", re.S)


def apology_reasons(apps, schema_editor):
    Dossier = apps.get_model("service_center", "Dossier")
    DossierEvent = apps.get_model("service_center", "DossierEvent")
    events = DossierEvent.objects.filter(kind="apology").order_by("dossier_id", "-at", "-id")
    seen = set()
    for event in events.only("dossier_id", "note").iterator():
        if event.dossier_id in seen:
            continue
        seen.add(event.dossier_id)
        match = APOLOGY_NOTE.match(event.note)
        reason = match.group("reason") if match else event.note
        Dossier.objects.filter(pk=event.dossier_id, apology_reason="").update(apology_reason=reason.strip())


class Migration(migrations.Migration):
    dependencies = [
        ("service_center", "0005_backlog"),
        ("units", "0007_unit_search_text_trigram_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DossierPaper",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=300, verbose_name="paper")),
                (
                    "kind",
                    models.CharField(
                        choices=[("original", "Original"), ("certified_copy", "Certified copy"), ("copy", "Copy")],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                (
                    "copies",
                    models.PositiveSmallIntegerField(
                        default=1, validators=[django.core.validators.MinValueValidator(1)], verbose_name="copies"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
            ],
            options={
                "verbose_name": "paper received",
                "verbose_name_plural": "papers received",
                "ordering": ["dossier", "position", "id"],
            },
        ),
        migrations.CreateModel(
            name="ProcedurePaper",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=300, verbose_name="paper")),
                (
                    "kind",
                    models.CharField(
                        choices=[("original", "Original"), ("certified_copy", "Certified copy"), ("copy", "Copy")],
                        default="original",
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                (
                    "copies",
                    models.PositiveSmallIntegerField(
                        default=1, validators=[django.core.validators.MinValueValidator(1)], verbose_name="copies"
                    ),
                ),
                (
                    "is_required",
                    models.BooleanField(
                        default=True, help_text="A dossier without it cannot be received.", verbose_name="required"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
            ],
            options={
                "verbose_name": "paper of the dossier",
                "verbose_name_plural": "papers of the dossier",
                "ordering": ["procedure", "position", "id"],
            },
        ),
        migrations.AddField(
            model_name="dossier",
            name="apology_reason",
            field=models.TextField(blank=True, verbose_name="reason for the delay"),
        ),
        migrations.AddField(
            model_name="dossier",
            name="delivery_address",
            field=models.CharField(blank=True, max_length=300, verbose_name="delivery address"),
        ),
        migrations.AddField(
            model_name="dossier",
            name="fee_collected",
            field=models.PositiveIntegerField(default=0, verbose_name="fee collected (VND)"),
        ),
        migrations.AddField(
            model_name="dossier",
            name="fee_receipt_number",
            field=models.CharField(blank=True, max_length=50, verbose_name="receipt number"),
        ),
        migrations.AddField(
            model_name="dossier",
            name="result_delivery",
            field=models.CharField(
                choices=[("counter", "At the counter"), ("post", "By public post")],
                default="counter",
                max_length=8,
                verbose_name="result delivery",
            ),
        ),
        migrations.AddField(
            model_name="dossier",
            name="supplement_papers",
            field=models.JSONField(blank=True, default=list, verbose_name="papers to supplement"),
        ),
        migrations.AddField(
            model_name="dossierevent",
            name="papers",
            field=models.JSONField(blank=True, default=list, verbose_name="papers"),
        ),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("result_delivery", "post"), _negated=True),
                    models.Q(("delivery_address", ""), _negated=True),
                    _connector="OR",
                ),
                name="dossier_post_delivery_has_address",
                violation_error_message="Write the address to which the result is posted.",
            ),
        ),
        migrations.AddField(
            model_name="dossierpaper",
            name="dossier",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="papers", to="service_center.dossier"
            ),
        ),
        migrations.AddField(
            model_name="procedurepaper",
            name="procedure",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="papers",
                to="service_center.procedure",
                verbose_name="procedure",
            ),
        ),
        migrations.AddConstraint(
            model_name="procedurepaper",
            constraint=models.UniqueConstraint(fields=("procedure", "name"), name="unique_procedure_paper_name"),
        ),
        migrations.AddConstraint(
            model_name="procedurepaper",
            constraint=models.CheckConstraint(
                condition=models.Q(("copies__gte", 1)), name="procedure_paper_copies_positive"
            ),
        ),
        migrations.RunPython(apology_reasons, migrations.RunPython.noop),
    ]
