import datetime as dt

import pytest

from pilot_portal.campaigns.models import (
    Block,
    CampaignUnitEvent,
    ChecklistItem,
    ChecklistTemplateItem,
    IssueStatus,
    ItemStatus,
    Milestone,
    PilotStatus,
)
from pilot_portal.campaigns.services import (
    CampaignError,
    campaign_checklists_complete,
    campaign_setup,
    campaign_unit_add,
    campaign_unit_transition,
    checklist_instantiate,
    checklist_item_update,
    checklist_missing_milestones,
    checklist_templates_ensure_defaults,
    pilot_issue_answer,
    pilot_issue_raise,
)
from units.models import Unit

from .factories import SEED_MILESTONES, CampaignFactory, CampaignUnitFactory, ProvinceFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_templates():
    checklist_templates_ensure_defaults()
    return list(ChecklistTemplateItem.objects.all())


def test_campaign_setup_creates_the_seed_milestones_once(unit):
    first = campaign_setup(province=unit.province, name="Thử nghiệm", milestones=SEED_MILESTONES)
    again = campaign_setup(province=unit.province, name="Thử nghiệm", milestones=SEED_MILESTONES)
    assert first == again
    assert first.session_budget_minutes == 45
    assert first.go_live_test_dossiers == 1
    assert {m.kind: m.date for m in first.milestones.all()} == {
        "pilot_start": dt.date(2025, 6, 16),
        "review_meeting": dt.date(2025, 6, 25),
        "old_procedure_cutoff": dt.date(2025, 6, 30),
        "go_live": dt.date(2025, 7, 1),
    }


def test_the_default_checklist_has_eighteen_items_in_six_blocks(default_templates):
    assert len(default_templates) == 18
    assert {t.block for t in default_templates} == set(Block.values)
    derived = {t.derived_source for t in default_templates if t.derived_source}
    assert derived == {"first_hdnd_closed", "first_ubnd_closed", "test_dossiers_returned"}


def test_adding_a_unit_instantiates_one_item_per_template_due_relative_to_its_milestone(unit, default_templates):
    campaign = CampaignFactory(province=unit.province)
    campaign_unit = campaign_unit_add(campaign=campaign, unit=unit)
    items = list(campaign_unit.items.select_related("milestone", "template"))
    assert len(items) == len(default_templates)
    personnel = next(i for i in items if i.title == "Xây dựng phương án nhân sự lãnh đạo")
    assert personnel.block == Block.PARTY
    assert personnel.is_critical
    assert personnel.due_date == dt.date(2025, 6, 13)
    assert personnel.status == ItemStatus.TODO


def test_instantiating_twice_adds_only_new_templates(unit, default_templates):
    campaign = CampaignFactory(province=unit.province)
    campaign_unit = campaign_unit_add(campaign=campaign, unit=unit)
    assert checklist_instantiate(campaign_unit=campaign_unit) == []
    ChecklistTemplateItem.objects.create(block=Block.IT, title="Chữ ký số", milestone="go_live", offset_days=-1)
    (new,) = checklist_instantiate(campaign_unit=campaign_unit)
    assert new.title == "Chữ ký số"
    assert new.due_date == dt.date(2025, 6, 30)
    assert campaign_unit.items.count() == len(default_templates) + 1


def test_moving_a_milestone_moves_the_items_due_relative_to_it(unit, default_templates):
    campaign = CampaignFactory(province=unit.province)
    campaign_unit = campaign_unit_add(campaign=campaign, unit=unit)
    Milestone.objects.filter(campaign=campaign, kind="pilot_start").update(date=dt.date(2025, 6, 18))
    item = campaign_unit.items.select_related("milestone").get(title="Xây dựng phương án nhân sự lãnh đạo")
    assert item.due_date == dt.date(2025, 6, 15)


def test_a_unit_of_another_province_cannot_join_the_campaign(unit, default_templates):
    campaign = CampaignFactory(province=ProvinceFactory())
    with pytest.raises(CampaignError):
        campaign_unit_add(campaign=campaign, unit=unit)


def test_transition_respects_the_table_and_writes_an_event(province_staff):
    campaign_unit = CampaignUnitFactory()
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.PILOTING, actor=province_staff, note="16/6")
    event = CampaignUnitEvent.objects.get(campaign_unit=campaign_unit)
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        "not_started",
        "piloting",
        province_staff,
        "16/6",
    )
    with pytest.raises(CampaignError, match="không thể"):
        campaign_unit_transition(campaign_unit=CampaignUnitFactory(), to=PilotStatus.REVIEWED, actor=province_staff)
    assert CampaignUnitEvent.objects.count() == 1


def test_transition_to_the_same_status_does_nothing(province_staff):
    campaign_unit = CampaignUnitFactory()
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.NOT_STARTED, actor=province_staff)
    assert not CampaignUnitEvent.objects.exists()


def test_going_live_needs_the_gate(province_staff):
    campaign_unit = CampaignUnitFactory()
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.PILOTING, actor=province_staff)
    campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.REVIEWED, actor=province_staff)
    with pytest.raises(CampaignError, match="kiểm tra điều kiện"):
        campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.LIVE, actor=province_staff)


def test_a_unit_cannot_skip_the_pilot_and_go_straight_to_reviewed(province_staff):
    campaign_unit = CampaignUnitFactory()
    with pytest.raises(CampaignError):
        campaign_unit_transition(campaign_unit=campaign_unit, to=PilotStatus.REVIEWED, actor=province_staff)
    campaign_unit.refresh_from_db()
    assert campaign_unit.status == PilotStatus.NOT_STARTED


def test_derived_items_cannot_be_ticked_by_hand(unit, unit_official, default_templates):
    campaign = CampaignFactory(province=unit.province)
    campaign_unit = campaign_unit_add(campaign=campaign, unit=unit)
    derived = campaign_unit.items.get(derived_source="first_hdnd_closed")
    with pytest.raises(CampaignError):
        checklist_item_update(item=derived, to=ItemStatus.DONE, actor=unit_official)
    derived.refresh_from_db()
    assert derived.status == ItemStatus.TODO


def test_an_item_is_ticked_with_evidence_and_history(unit, unit_official, default_templates):
    campaign = CampaignFactory(province=unit.province)
    item = campaign_unit_add(campaign=campaign, unit=unit).items.get(title="Đường truyền mạng")
    checklist_item_update(item=item, to=ItemStatus.DONE, actor=unit_official, evidence_note="Cáp quang 100 Mbps")
    item = ChecklistItem.objects.get(pk=item.pk)
    assert (item.status, item.evidence_note, item.updated_by) == ("done", "Cáp quang 100 Mbps", unit_official)
    assert list(item.events.values_list("from_status", "to_status")) == [("todo", "done")]


def test_an_executable_renamed_pdf_is_refused_as_evidence_and_nothing_changes(
    unit, unit_official, default_templates, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PRIVATE_FILES_ROOT = tmp_path
    campaign = CampaignFactory(province=unit.province)
    item = campaign_unit_add(campaign=campaign, unit=unit).items.get(title="Đường truyền mạng")
    renamed = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    with pytest.raises(CampaignError, match=r"\.pdf"):
        checklist_item_update(item=item, to=ItemStatus.DONE, actor=unit_official, evidence_file=renamed)
    item = ChecklistItem.objects.get(pk=item.pk)
    assert (item.status, item.evidence_file.name) == ("todo", "")
    assert not item.events.exists()
    assert not any(tmp_path.iterdir())


def test_issue_is_raised_then_answered_and_closed(unit, unit_official, province_staff):
    campaign_unit = CampaignUnitFactory(unit=unit, campaign=CampaignFactory(province=unit.province))
    issue = pilot_issue_raise(
        campaign_unit=campaign_unit,
        actor=unit_official,
        category="obstacle",
        severity="critical",
        title="Chưa có chữ ký số",
        block="it",
        proposed_fix="Cấp chữ ký số trước 20/6",
    )
    assert issue.status == IssueStatus.OPEN
    pilot_issue_answer(issue=issue, actor=province_staff, answer="Sở KH&CN cấp ngày 18/6", close=True)
    issue.refresh_from_db()
    assert (issue.status, issue.answer, issue.answered_by) == ("closed", "Sở KH&CN cấp ngày 18/6", province_staff)
    assert list(issue.events.values_list("to_status", flat=True)) == ["open", "closed"]


def test_an_empty_answer_is_refused(province_staff):
    from .factories import PilotIssueFactory

    issue = PilotIssueFactory()
    with pytest.raises(CampaignError):
        pilot_issue_answer(issue=issue, actor=province_staff, answer="   ")


def test_unit_import_still_works_from_the_models_package():
    assert Unit.objects.model is UnitFactory._meta.model


def test_a_wave_of_another_campaign_is_refused(unit, default_templates):
    from .factories import WaveFactory

    campaign = CampaignFactory(province=unit.province)
    with pytest.raises(CampaignError, match="đợt vận hành thử nghiệm khác"):
        campaign_unit_add(campaign=campaign, unit=unit, wave=WaveFactory())
    assert not campaign.units.exists()


def test_missing_milestones_are_named_before_any_unit_joins(unit, default_templates):
    campaign = CampaignFactory(province=unit.province)
    assert checklist_missing_milestones(campaign=campaign) == []
    Milestone.objects.filter(campaign=campaign, kind__in=["pilot_start", "review_meeting"]).delete()
    assert checklist_missing_milestones(campaign=campaign) == ["Bắt đầu thử nghiệm", "Họp rút kinh nghiệm"]


def test_a_template_added_later_reaches_every_unit_of_the_campaign_once(unit, default_templates):
    campaign = CampaignFactory(province=unit.province)
    first = campaign_unit_add(campaign=campaign, unit=unit)
    second = campaign_unit_add(campaign=campaign, unit=UnitFactory(province=unit.province))
    ChecklistTemplateItem.objects.create(block=Block.IT, title="Chữ ký số", milestone="go_live", offset_days=-1)
    assert campaign_checklists_complete(campaign=campaign) == 2
    assert campaign_checklists_complete(campaign=campaign) == 0
    assert [cu.items.filter(title="Chữ ký số").count() for cu in (first, second)] == [1, 1]
