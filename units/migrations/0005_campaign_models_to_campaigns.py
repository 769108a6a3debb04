"""The campaign models move to the campaigns app (pilot_portal.campaigns): removed from this app's state only.

The tables (units_campaign, ...) and their rows stay where they are; campaigns.0001_initial takes them over.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('units', '0004_pilot_issue_submit_token'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='campaignunit',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='wave',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='milestone',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='campaignunit',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='campaignunit',
                    name='wave',
                ),
                migrations.RemoveField(
                    model_name='campaignunitevent',
                    name='campaign_unit',
                ),
                migrations.RemoveField(
                    model_name='checklistitem',
                    name='campaign_unit',
                ),
                migrations.RemoveField(
                    model_name='pilotissue',
                    name='campaign_unit',
                ),
                migrations.RemoveField(
                    model_name='campaignunitevent',
                    name='actor',
                ),
                migrations.RemoveField(
                    model_name='checklistitem',
                    name='milestone',
                ),
                migrations.RemoveField(
                    model_name='checklistitem',
                    name='template',
                ),
                migrations.RemoveField(
                    model_name='checklistitem',
                    name='updated_by',
                ),
                migrations.RemoveField(
                    model_name='checklistitemevent',
                    name='item',
                ),
                migrations.RemoveField(
                    model_name='checklistitemevent',
                    name='actor',
                ),
                migrations.RemoveField(
                    model_name='pilotissue',
                    name='answered_by',
                ),
                migrations.RemoveField(
                    model_name='pilotissue',
                    name='raised_by',
                ),
                migrations.RemoveField(
                    model_name='pilotissueevent',
                    name='issue',
                ),
                migrations.RemoveField(
                    model_name='pilotissueevent',
                    name='actor',
                ),
                migrations.DeleteModel(
                    name='Campaign',
                ),
                migrations.DeleteModel(
                    name='Wave',
                ),
                migrations.DeleteModel(
                    name='CampaignUnit',
                ),
                migrations.DeleteModel(
                    name='CampaignUnitEvent',
                ),
                migrations.DeleteModel(
                    name='Milestone',
                ),
                migrations.DeleteModel(
                    name='ChecklistTemplateItem',
                ),
                migrations.DeleteModel(
                    name='ChecklistItem',
                ),
                migrations.DeleteModel(
                    name='ChecklistItemEvent',
                ),
                migrations.DeleteModel(
                    name='PilotIssue',
                ),
                migrations.DeleteModel(
                    name='PilotIssueEvent',
                ),
            ],
            database_operations=[],
        ),
    ]
