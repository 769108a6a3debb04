"""Evidence of a checklist item: two users saving at once lose nothing silently, a replaced file leaves the disk."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.campaigns.models import ChecklistItem, ItemStatus
from pilot_portal.campaigns.services import CampaignError, checklist_item_update
from pilot_portal.core.testing import run_together

CONFLICT = "Người khác vừa lưu việc này"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return settings.PRIVATE_FILES_ROOT


@pytest.fixture
def item(campaign_unit):
    return campaign_unit.items.get(title="Đường truyền mạng")


def pdf(name="bien-ban.pdf", body=b"nghiem thu"):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + body, content_type="application/pdf")


@pytest.mark.django_db
def test_a_save_from_a_form_another_user_saved_meanwhile_is_refused(item, unit_official):
    other = UserFactory(unit_official=True, unit=unit_official.unit)
    checklist_item_update(
        item=item, to=ItemStatus.IN_PROGRESS, actor=other, evidence_note="Đã lắp cáp", expected_version=0
    )
    with pytest.raises(CampaignError, match=CONFLICT):
        checklist_item_update(
            item=item,
            to=ItemStatus.IN_PROGRESS,
            actor=unit_official,
            evidence_note="Chờ nghiệm thu",
            expected_version=0,
        )
    item = ChecklistItem.objects.get(pk=item.pk)
    assert (item.evidence_note, item.version, item.updated_by) == ("Đã lắp cáp", 1, other)


@pytest.mark.django_db
def test_the_second_user_is_told_and_keeps_their_text_in_the_form(client, item, unit_official):
    other = UserFactory(unit_official=True, unit=unit_official.unit)
    client.force_login(unit_official)
    form_page = client.get(reverse("campaigns:item", args=[item.pk])).content.decode()
    assert 'name="version" value="0"' in form_page
    checklist_item_update(item=item, to=ItemStatus.IN_PROGRESS, actor=other, evidence_note="Đã lắp cáp")

    response = client.post(
        reverse("campaigns:item", args=[item.pk]),
        {"status": ItemStatus.IN_PROGRESS, "evidence_note": "Chờ nghiệm thu", "version": "0"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert CONFLICT in content
    assert "Chờ nghiệm thu</textarea>" in content  # what they typed
    assert "Đã lắp cáp" in content  # what the other user saved, to compare
    assert 'name="version" value="1"' in content  # saving again now overwrites knowingly
    assert ChecklistItem.objects.get(pk=item.pk).evidence_note == "Đã lắp cáp"


@pytest.mark.django_db(transaction=True)
def test_two_users_saving_the_same_note_at_once_one_is_refused(campaign_unit, unit_official):
    item = campaign_unit.items.get(title="Đường truyền mạng")
    actors = [unit_official, UserFactory(unit_official=True, unit=unit_official.unit)]
    notes = ["Đã lắp cáp", "Chờ nghiệm thu"]

    results = run_together(
        lambda i: checklist_item_update(
            item=item, to=ItemStatus.IN_PROGRESS, actor=actors[i], evidence_note=notes[i], expected_version=0
        ),
        2,
    )

    wins = [r for r in results if isinstance(r, ChecklistItem)]
    losses = [r for r in results if isinstance(r, CampaignError)]
    assert len(wins) == 1 and len(losses) == 1, results
    saved = ChecklistItem.objects.get(pk=item.pk)
    assert (saved.evidence_note, saved.version) == (wins[0].evidence_note, 1)


@pytest.mark.django_db
def test_a_replaced_evidence_file_is_deleted_after_the_commit(item, unit_official, django_capture_on_commit_callbacks):
    checklist_item_update(item=item, to=ItemStatus.IN_PROGRESS, actor=unit_official, evidence_file=pdf("cu.pdf"))
    old = ChecklistItem.objects.get(pk=item.pk).evidence_file
    old_path = old.path
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        checklist_item_update(item=item, to=ItemStatus.DONE, actor=unit_official, evidence_file=pdf("moi.pdf"))
    assert len(callbacks) == 1
    assert old.storage.exists(old.name)  # still there until the commit
    callbacks[0]()
    assert not old.storage.exists(old.name)
    new = ChecklistItem.objects.get(pk=item.pk).evidence_file
    assert new.storage.exists(new.name)
    assert new.path != old_path


@pytest.mark.django_db
def test_a_refused_replacement_keeps_the_old_file(item, unit_official, django_capture_on_commit_callbacks):
    checklist_item_update(item=item, to=ItemStatus.IN_PROGRESS, actor=unit_official, evidence_file=pdf("cu.pdf"))
    old = ChecklistItem.objects.get(pk=item.pk).evidence_file
    renamed = SimpleUploadedFile("moi.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CampaignError):
        checklist_item_update(item=item, to=ItemStatus.DONE, actor=unit_official, evidence_file=renamed)
    assert old.storage.exists(old.name)
    assert ChecklistItem.objects.get(pk=item.pk).evidence_file.name == old.name
