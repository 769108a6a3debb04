"""The campaign models, moved from the units app: their existing tables are taken over as they are (state only).

Content types move with them, so that permissions given to groups and the admin's history keep pointing at them.
"""

import django.db.models.deletion
import pilot_portal.campaigns.models.readiness
import pilot_portal.core.storage
from django.conf import settings
from django.db import migrations, models


MOVED_MODELS = [
    "campaign",
    "campaignunit",
    "campaignunitevent",
    "checklistitem",
    "checklistitemevent",
    "checklisttemplateitem",
    "milestone",
    "pilotissue",
    "pilotissueevent",
    "wave",
]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="units", model__in=MOVED_MODELS).update(app_label="campaigns")


def return_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="campaigns", model__in=MOVED_MODELS).update(app_label="units")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('units', '0005_campaign_models_to_campaigns'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ChecklistTemplateItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('block', models.CharField(choices=[('party', 'Party committee'), ('council', "People's Council"), ('committee', "People's Committee"), ('front', 'Fatherland Front and mass organizations'), ('service_centre', 'Public administrative service centre'), ('it', 'IT and infrastructure')], max_length=20, verbose_name='block')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='sort order')),
                        ('title', models.CharField(max_length=255, verbose_name='title')),
                        ('owner', models.CharField(blank=True, max_length=200, verbose_name='owner')),
                        ('milestone', models.CharField(choices=[('pilot_start', 'Pilot start'), ('review_meeting', 'Review meeting'), ('old_procedure_cutoff', 'Old-procedure cut-off'), ('go_live', 'Go-live')], default='pilot_start', max_length=32, verbose_name='due relative to')),
                        ('offset_days', models.SmallIntegerField(default=0, help_text='Negative for days before the milestone.', verbose_name='days after the milestone')),
                        ('is_critical', models.BooleanField(default=False, verbose_name='critical')),
                        ('derived_source', models.CharField(blank=True, choices=[('', 'Ticked by hand'), ('first_hdnd_closed', 'First HĐND session closed'), ('first_ubnd_closed', 'First UBND meeting closed'), ('test_dossiers_returned', 'Test dossiers returned')], default='', max_length=32, verbose_name='proved by')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                    ],
                    options={
                        'verbose_name': 'checklist template item',
                        'verbose_name_plural': 'checklist template items',
                        'db_table': 'units_checklisttemplateitem',
                        'ordering': ['block', 'position', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Campaign',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('session_budget_minutes', models.PositiveSmallIntegerField(default=45, help_text='Longest a first HĐND session or UBND meeting should last.', verbose_name='session time budget (minutes)')),
                        ('go_live_test_dossiers', models.PositiveSmallIntegerField(default=1, help_text="How many test dossiers a unit's service centre must have returned before going live.", verbose_name='test dossiers returned to go live')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('province', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='campaign', to='units.province', verbose_name='province')),
                    ],
                    options={
                        'verbose_name': 'pilot campaign',
                        'verbose_name_plural': 'pilot campaigns',
                        'db_table': 'units_campaign',
                        'ordering': ['province__code'],
                    },
                ),
                migrations.CreateModel(
                    name='CampaignUnit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('piloting', 'Piloting'), ('reviewed', 'Reviewed'), ('live', 'Live')], default='not_started', editable=False, max_length=16, verbose_name='pilot status')),
                        ('live_override_reason', models.TextField(blank=True, editable=False, help_text='Why the province let the unit go live although the go-live gate did not pass.', verbose_name='go-live override reason')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='units', to='campaigns.campaign', verbose_name='campaign')),
                        ('unit', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='campaign_unit', to='units.unit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'unit in the campaign',
                        'verbose_name_plural': 'units in the campaign',
                        'db_table': 'units_campaignunit',
                        'ordering': ['campaign', 'unit__name'],
                    },
                ),
                migrations.CreateModel(
                    name='CampaignUnitEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='at')),
                        ('from_status', models.CharField(choices=[('not_started', 'Not started'), ('piloting', 'Piloting'), ('reviewed', 'Reviewed'), ('live', 'Live')], max_length=16, verbose_name='from')),
                        ('to_status', models.CharField(choices=[('not_started', 'Not started'), ('piloting', 'Piloting'), ('reviewed', 'Reviewed'), ('live', 'Live')], max_length=16, verbose_name='to')),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('campaign_unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='campaigns.campaignunit', verbose_name='unit in the campaign')),
                    ],
                    options={
                        'verbose_name': 'pilot status change',
                        'verbose_name_plural': 'pilot status changes',
                        'db_table': 'units_campaignunitevent',
                        'ordering': ['created_at', 'id'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='ChecklistItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('block', models.CharField(choices=[('party', 'Party committee'), ('council', "People's Council"), ('committee', "People's Committee"), ('front', 'Fatherland Front and mass organizations'), ('service_centre', 'Public administrative service centre'), ('it', 'IT and infrastructure')], max_length=20, verbose_name='block')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='sort order')),
                        ('title', models.CharField(max_length=255, verbose_name='title')),
                        ('owner', models.CharField(blank=True, max_length=200, verbose_name='owner')),
                        ('offset_days', models.SmallIntegerField(default=0, verbose_name='days after the milestone')),
                        ('is_critical', models.BooleanField(default=False, verbose_name='critical')),
                        ('derived_source', models.CharField(blank=True, choices=[('', 'Ticked by hand'), ('first_hdnd_closed', 'First HĐND session closed'), ('first_ubnd_closed', 'First UBND meeting closed'), ('test_dossiers_returned', 'Test dossiers returned')], default='', max_length=32, verbose_name='proved by')),
                        ('status', models.CharField(choices=[('todo', 'To do'), ('in_progress', 'In progress'), ('done', 'Completed')], default='todo', editable=False, max_length=16, verbose_name='status')),
                        ('evidence_note', models.TextField(blank=True, verbose_name='evidence')),
                        ('evidence_file', models.FileField(blank=True, max_length=255, storage=pilot_portal.core.storage.private_storage, upload_to=pilot_portal.campaigns.models.readiness.evidence_upload_to, verbose_name='evidence file')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('campaign_unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='campaigns.campaignunit', verbose_name='unit in the campaign')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
                        ('template', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='campaigns.checklisttemplateitem', verbose_name='template')),
                    ],
                    options={
                        'verbose_name': 'checklist item',
                        'verbose_name_plural': 'checklist items',
                        'db_table': 'units_checklistitem',
                        'ordering': ['campaign_unit', 'block', 'position', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ChecklistItemEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='at')),
                        ('from_status', models.CharField(choices=[('todo', 'To do'), ('in_progress', 'In progress'), ('done', 'Completed')], max_length=16, verbose_name='from')),
                        ('to_status', models.CharField(choices=[('todo', 'To do'), ('in_progress', 'In progress'), ('done', 'Completed')], max_length=16, verbose_name='to')),
                        ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='campaigns.checklistitem', verbose_name='item')),
                    ],
                    options={
                        'verbose_name': 'checklist item change',
                        'verbose_name_plural': 'checklist item changes',
                        'db_table': 'units_checklistitemevent',
                        'ordering': ['created_at', 'id'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='Milestone',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('pilot_start', 'Pilot start'), ('review_meeting', 'Review meeting'), ('old_procedure_cutoff', 'Old-procedure cut-off'), ('go_live', 'Go-live')], max_length=32, verbose_name='milestone')),
                        ('date', models.DateField(verbose_name='date')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='campaigns.campaign', verbose_name='campaign')),
                    ],
                    options={
                        'verbose_name': 'milestone',
                        'verbose_name_plural': 'milestones',
                        'db_table': 'units_milestone',
                        'ordering': ['campaign', 'date'],
                    },
                ),
                migrations.AddField(
                    model_name='checklistitem',
                    name='milestone',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='campaigns.milestone', verbose_name='due relative to'),
                ),
                migrations.CreateModel(
                    name='PilotIssue',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('category', models.CharField(choices=[('shortcoming', 'Shortcoming'), ('obstacle', 'Obstacle'), ('proposal', 'Proposal')], max_length=16, verbose_name='category')),
                        ('severity', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('critical', 'Critical')], default='medium', max_length=16, verbose_name='severity')),
                        ('title', models.CharField(max_length=255, verbose_name='title')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('proposed_fix', models.TextField(blank=True, verbose_name='proposed fix')),
                        ('status', models.CharField(choices=[('open', 'Not answered'), ('answered', 'Answered'), ('closed', 'Closed')], default='open', editable=False, max_length=16, verbose_name='status')),
                        ('raised_at', models.DateTimeField(auto_now_add=True, verbose_name='raised at')),
                        ('answer', models.TextField(blank=True, verbose_name="province's answer")),
                        ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                        ('submit_token', models.UUIDField(blank=True, editable=False, null=True, unique=True)),
                        ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                        ('campaign_unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='issues', to='campaigns.campaignunit', verbose_name='unit in the campaign')),
                        ('raised_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='raised by')),
                    ],
                    options={
                        'verbose_name': 'pilot issue',
                        'verbose_name_plural': 'pilot issues',
                        'db_table': 'units_pilotissue',
                        'ordering': ['-raised_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='PilotIssueEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='at')),
                        ('from_status', models.CharField(choices=[('open', 'Not answered'), ('answered', 'Answered'), ('closed', 'Closed')], max_length=16, verbose_name='from')),
                        ('to_status', models.CharField(choices=[('open', 'Not answered'), ('answered', 'Answered'), ('closed', 'Closed')], max_length=16, verbose_name='to')),
                        ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('issue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='campaigns.pilotissue', verbose_name='issue')),
                    ],
                    options={
                        'verbose_name': 'issue change',
                        'verbose_name_plural': 'issue changes',
                        'db_table': 'units_pilotissueevent',
                        'ordering': ['created_at', 'id'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='Wave',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('starts_at', models.DateTimeField(verbose_name='starts at')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='waves', to='campaigns.campaign', verbose_name='campaign')),
                    ],
                    options={
                        'verbose_name': 'wave',
                        'verbose_name_plural': 'waves',
                        'db_table': 'units_wave',
                        'ordering': ['campaign', 'starts_at'],
                    },
                ),
                migrations.AddField(
                    model_name='campaignunit',
                    name='wave',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='units', to='campaigns.wave', verbose_name='wave'),
                ),
                migrations.AddConstraint(
                    model_name='milestone',
                    constraint=models.UniqueConstraint(fields=('campaign', 'kind'), name='unique_campaign_milestone'),
                ),
                migrations.AddConstraint(
                    model_name='checklistitem',
                    constraint=models.UniqueConstraint(condition=models.Q(('template__isnull', False)), fields=('campaign_unit', 'template'), name='unique_item_per_template'),
                ),
                migrations.AddIndex(
                    model_name='pilotissue',
                    index=models.Index(fields=['status', 'severity'], name='units_pilot_status_8fb4f0_idx'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, return_content_types),
    ]
