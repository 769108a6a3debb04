"""The campaign admin: units added there get their checklist, and nothing inconsistent can be saved."""

import pytest
from django.urls import reverse

from pilot_portal.campaigns.models import Block, CampaignUnit, ChecklistTemplateItem, Milestone
from pilot_portal.campaigns.tests.factories import CampaignFactory, WaveFactory
from units.tests.factories import ProvinceFactory, UnitFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:campaigns_campaignunit_add")
#: The management form of the (read-only) status history inline.
HISTORY = {"events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"}


def test_a_unit_added_in_the_admin_gets_its_readiness_checklist(admin_client, campaign, unit):
    wave = WaveFactory(campaign=campaign)
    response = admin_client.post(ADD_URL, {"campaign": campaign.pk, "unit": unit.pk, "wave": wave.pk, **HISTORY})
    assert response.status_code == 302
    campaign_unit = CampaignUnit.objects.get(unit=unit)
    assert campaign_unit.items.count() == ChecklistTemplateItem.objects.count() == 18
    assert campaign_unit.wave == wave


def test_the_admin_refuses_a_unit_of_another_province_and_a_wave_of_another_campaign(admin_client, campaign):
    stranger = UnitFactory(province=ProvinceFactory())
    other_wave = WaveFactory(campaign=CampaignFactory())
    response = admin_client.post(
        ADD_URL, {"campaign": campaign.pk, "unit": stranger.pk, "wave": other_wave.pk, **HISTORY}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["unit"] == ["Đơn vị không thuộc tỉnh của đợt thử nghiệm."]
    assert errors["wave"] == ["Đợt triển khai này thuộc một đợt vận hành thử nghiệm khác."]
    assert not CampaignUnit.objects.exists()


def test_the_admin_asks_for_the_milestones_before_adding_units(admin_client, campaign, unit):
    Milestone.objects.filter(campaign=campaign, kind="review_meeting").delete()
    response = admin_client.post(ADD_URL, {"campaign": campaign.pk, "unit": unit.pk, **HISTORY})
    assert response.status_code == 200
    assert "Họp rút kinh nghiệm" in response.context["adminform"].form.errors["campaign"][0]
    assert not CampaignUnit.objects.exists()


def test_the_campaign_action_gives_units_a_template_added_later(admin_client, campaign, campaign_unit):
    ChecklistTemplateItem.objects.create(block=Block.IT, title="Chữ ký số", milestone="go_live", offset_days=-1)
    response = admin_client.post(
        reverse("admin:campaigns_campaign_changelist"),
        {"action": "complete_checklists", "_selected_action": [campaign.pk]},
        follow=True,
    )
    assert "Số việc chuẩn bị đã tạo: 1." in response.content.decode()
    assert campaign_unit.items.filter(title="Chữ ký số").count() == 1


def test_an_item_with_a_private_evidence_file_opens_in_the_admin(
    admin_client, campaign_unit, unit_official, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from pilot_portal.campaigns.services import checklist_item_update

    settings.PRIVATE_FILES_ROOT = tmp_path
    item = campaign_unit.items.get(title="Quy chế làm việc của UBND")
    checklist_item_update(
        item=item, to="done", actor=unit_official, evidence_file=ContentFile(b"%PDF-1.4", name="quy-che.pdf")
    )
    response = admin_client.get(reverse("admin:campaigns_checklistitem_change", args=[item.pk]))
    assert response.status_code == 200
    milestones = response.context["adminform"].form.fields["milestone"].queryset
    assert set(milestones) == set(campaign_unit.campaign.milestones.all())


def test_an_item_added_in_the_admin_must_use_a_milestone_of_the_units_campaign(admin_client, campaign_unit):
    foreign = CampaignFactory().milestones.get(kind="pilot_start")
    own = campaign_unit.campaign.milestones.get(kind="go_live")
    data = {
        "campaign_unit": campaign_unit.pk,
        "block": Block.IT,
        "position": 30,
        "title": "Chữ ký số của Chủ tịch UBND",
        "owner": "Công chức CNTT",
        "offset_days": -1,
        "is_critical": "on",
        "evidence_note": "",
    }
    url = reverse("admin:campaigns_checklistitem_add")
    refused = admin_client.post(url, {**data, "milestone": foreign.pk})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["milestone"]
    assert admin_client.post(url, {**data, "milestone": own.pk}).status_code == 302
    item = campaign_unit.items.select_related("milestone").get(title="Chữ ký số của Chủ tịch UBND")
    assert (item.status, item.due_date.isoformat()) == ("todo", "2025-06-30")


def test_an_issue_is_answered_in_the_portal_not_in_the_admin(admin_client, campaign_unit):
    from pilot_portal.campaigns.tests.factories import PilotIssueFactory

    issue = PilotIssueFactory(campaign_unit=campaign_unit)
    url = reverse("admin:campaigns_pilotissue_change", args=[issue.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="answer"' not in page.content.decode()
    assert 'name="title"' in page.content.decode()
