"""The campaign models moved from ``units`` to ``campaigns`` without losing a row, a status history or a file.

Data is written under the old layout (the ``units`` app at 0004, through the historical models), the move's
migrations run, and everything is read back through the new app's models.
"""

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from pilot_portal.core.storage import private_storage

OLD = ("units", "0004_pilot_issue_submit_token")
NEW = [("units", "0005_campaign_models_to_campaigns"), ("campaigns", "0001_initial")]

pytestmark = pytest.mark.slow


def _old_layout_rows(apps):
    """One of everything the campaign domain holds, written with the historical (units) models."""
    Province = apps.get_model("units", "Province")
    Unit = apps.get_model("units", "Unit")
    User = apps.get_model("accounts", "User")
    get = apps.get_model
    province = Province.objects.create(code="31", name="Thành phố Hải Phòng", short_name="Hải Phòng", kind="thanh_pho")
    unit = Unit.objects.create(
        code="11311", province=province, name="Phường Lê Đại Hành", short_name="Lê Đại Hành", kind="phuong"
    )
    user = User.objects.create(username="tinh.haiphong", role="province_staff", province=province)
    campaign = get("units", "Campaign").objects.create(province=province, name="Vận hành thử nghiệm Hải Phòng")
    milestone = get("units", "Milestone").objects.create(
        campaign=campaign, kind="pilot_start", date=dt.date(2025, 6, 16)
    )
    wave = get("units", "Wave").objects.create(
        campaign=campaign, name="Sáng 16/6", starts_at=dt.datetime(2025, 6, 16, 1, 0, tzinfo=dt.UTC)
    )
    campaign_unit = get("units", "CampaignUnit").objects.create(
        campaign=campaign, unit=unit, wave=wave, status="piloting"
    )
    get("units", "CampaignUnitEvent").objects.create(
        campaign_unit=campaign_unit, from_status="not_started", to_status="piloting", actor=user, note="Bắt đầu"
    )
    template = get("units", "ChecklistTemplateItem").objects.create(block="party", title="Nghị quyết của Đảng ủy")
    stored = private_storage().save(f"checklist/{campaign_unit.pk}/nghi-quyet.pdf", ContentFile(b"%PDF-1.7 test"))
    item = get("units", "ChecklistItem").objects.create(
        campaign_unit=campaign_unit,
        template=template,
        block="party",
        title="Nghị quyết của Đảng ủy",
        milestone=milestone,
        status="done",
        evidence_note="Số 01-NQ/ĐU",
        evidence_file=stored,
        updated_by=user,
    )
    get("units", "ChecklistItemEvent").objects.create(item=item, from_status="todo", to_status="done", actor=user)
    issue = get("units", "PilotIssue").objects.create(
        campaign_unit=campaign_unit,
        raised_by=user,
        category="obstacle",
        severity="high",
        title="Đường truyền chập chờn",
        status="answered",
        answer="Đã cấp thêm đường truyền dự phòng",
        answered_by=user,
    )
    get("units", "PilotIssueEvent").objects.create(issue=issue, from_status="open", to_status="answered", actor=user)
    ContentType = get("contenttypes", "ContentType")
    Permission = get("auth", "Permission")
    content_type = ContentType.objects.create(app_label="units", model="campaign")
    permission = Permission.objects.create(content_type=content_type, codename="change_campaign", name="Can change")
    group = get("auth", "Group").objects.create(name="Sở Nội vụ")
    group.permissions.add(permission)
    return {"campaign_unit": campaign_unit.pk, "item": item.pk, "content_type": content_type.pk, "file": stored}


def test_the_move_keeps_every_row_history_file_and_permission(migrator, settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path
    old = migrator.apply_initial_migration(OLD)
    ids = _old_layout_rows(old.apps)

    new = migrator.apply_tested_migration(NEW).apps
    get = new.get_model
    counts = {
        name: get("campaigns", name).objects.count()
        for name in (
            "Campaign",
            "Milestone",
            "Wave",
            "CampaignUnit",
            "CampaignUnitEvent",
            "ChecklistTemplateItem",
            "ChecklistItem",
            "ChecklistItemEvent",
            "PilotIssue",
            "PilotIssueEvent",
        )
    }
    # The data migration 0003 loads the default checklist templates; the one written above comes on top.
    templates = counts.pop("ChecklistTemplateItem")
    assert templates >= 1
    assert counts == dict.fromkeys(counts, 1)

    campaign_unit = get("campaigns", "CampaignUnit").objects.select_related("campaign", "unit", "wave").get()
    assert campaign_unit.pk == ids["campaign_unit"]
    assert (campaign_unit.status, campaign_unit.unit.short_name, campaign_unit.wave.name) == (
        "piloting",
        "Lê Đại Hành",
        "Sáng 16/6",
    )
    assert list(campaign_unit.events.values_list("from_status", "to_status", "note")) == [
        ("not_started", "piloting", "Bắt đầu")
    ]
    item = get("campaigns", "ChecklistItem").objects.get(pk=ids["item"])
    assert list(item.events.values_list("to_status", flat=True)) == ["done"]
    assert item.evidence_file.name == ids["file"]
    with item.evidence_file.open("rb") as evidence:
        assert evidence.read() == b"%PDF-1.7 test"
    issue = get("campaigns", "PilotIssue").objects.get()
    assert (issue.status, issue.answer) == ("answered", "Đã cấp thêm đường truyền dự phòng")
    assert list(issue.events.values_list("to_status", flat=True)) == ["answered"]

    content_type = get("contenttypes", "ContentType").objects.get(pk=ids["content_type"])
    assert (content_type.app_label, content_type.model) == ("campaigns", "campaign")
    group = get("auth", "Group").objects.get(name="Sở Nội vụ")
    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("campaigns", "change_campaign")
    ]


def test_the_move_can_be_undone_without_losing_rows(migrator, settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path
    old = migrator.apply_initial_migration(OLD)
    _old_layout_rows(old.apps)
    migrator.apply_tested_migration(NEW)

    back = migrator.apply_tested_migration(OLD).apps
    assert back.get_model("units", "CampaignUnit").objects.get().status == "piloting"
    assert back.get_model("units", "PilotIssueEvent").objects.count() == 1
    assert back.get_model("contenttypes", "ContentType").objects.get(model="campaign").app_label == "units"
