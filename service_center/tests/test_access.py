"""Every dossier URL from the wrong user: another unit's clerk gets a 404, a user without a role a 403, and
readers (province staff, national viewers) cannot act; nothing changes in any of these cases."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pilot_portal.accounts.tests.factories import UserFactory
from service_center.models import DossierEvent, Handover, Status
from service_center.permissions import printable_forms

from .factories import DossierFactory
from .xlsx import table, workbook

pytestmark = pytest.mark.django_db

FORM_NUMBERS = ["01", "02", "03", "04", "05"]


@pytest.fixture
def dossier(ward_clerk):
    return DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING, due_at=timezone.now() + dt.timedelta(days=5))


def actions(dossier, officer):
    """The POSTs of the dossier page, each with data that the dossier's own clerk could send successfully."""
    new_due = timezone.localtime(dossier.due_at + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    return [
        (reverse("service_center:transition", args=[dossier.code]), {"to": Status.DONE, "result": "Đã cấp"}),
        (reverse("service_center:apology", args=[dossier.code]), {"new_due_at": new_due, "reason": "Chờ xác minh"}),
        (reverse("service_center:handover", args=[dossier.code]), {"to_user": officer.pk, "note": "Trình ký"}),
    ]


def assert_unchanged(dossier):
    before = dossier.due_at
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.due_at == before and dossier.apologized_at is None
    assert not DossierEvent.objects.filter(dossier=dossier).exists()
    assert not Handover.objects.filter(dossier=dossier).exists()


def test_clerk_of_another_unit_gets_404_on_every_page_and_action_of_the_dossier(
    client, dossier, clerk_of_other_unit, unit_official
):
    client.force_login(clerk_of_other_unit)
    assert client.get(dossier.get_absolute_url()).status_code == 404
    for number in FORM_NUMBERS:
        assert client.get(reverse("service_center:print", args=[dossier.code, number])).status_code == 404, number
    for url, data in actions(dossier, unit_official):
        assert client.post(url, data).status_code == 404, url
    assert_unchanged(dossier)


def test_user_without_role_gets_403_on_every_page_and_action_of_the_dossier(
    client, dossier, user_without_role, unit_official
):
    client.force_login(user_without_role)
    for number in FORM_NUMBERS:
        assert client.get(reverse("service_center:print", args=[dossier.code, number])).status_code == 403, number
    for url, data in actions(dossier, unit_official):
        assert client.post(url, data).status_code == 403, url
    assert_unchanged(dossier)


def test_province_staff_and_national_viewers_read_but_cannot_act(
    client, dossier, province_staff, national_viewer, unit_official
):
    for reader in (province_staff, national_viewer):
        client.force_login(reader)
        assert client.get(dossier.get_absolute_url()).status_code == 200
        printable = printable_forms(dossier, dossier.events.all())
        for number in FORM_NUMBERS:
            expected = 200 if number in printable else 302  # a form the record does not call for sends back
            assert client.get(reverse("service_center:print", args=[dossier.code, number])).status_code == expected
        for url, data in actions(dossier, unit_official):
            assert client.post(url, data).status_code == 403, url
    assert_unchanged(dossier)


def test_the_dossier_own_clerk_can_do_each_of_these_actions(client, dossier, ward_clerk, unit_official):
    """The counterpart of the tests above: the same requests succeed for the right user."""
    client.force_login(ward_clerk)
    transition, apology, handover = actions(dossier, unit_official)
    for url, data in (apology, handover, transition):
        response = client.post(url, data)
        assert response.status_code == 302, url
    dossier.refresh_from_db()
    assert dossier.status == Status.DONE
    assert dossier.apologized_at is not None
    assert dossier.assigned_to == unit_official


def test_tracking_book_of_a_clerk_lists_only_the_unit_dossiers(client, ward_clerk, other_unit):
    received = timezone.now() - dt.timedelta(hours=2)
    mine = DossierFactory(unit=ward_clerk.unit, received_at=received)
    theirs = DossierFactory(unit=other_unit, received_at=received)
    client.force_login(ward_clerk)
    today = timezone.localdate().isoformat()
    period = {"start": today, "end": today}
    page = client.get(reverse("service_center:book"), period)
    assert [d.code for d in page.context["dossiers"]] == [mine.code]
    assert theirs.code not in page.content.decode()
    sheet = workbook(client.get(reverse("service_center:book"), period | {"format": "xlsx"})).active
    assert [row[1] for row in table(sheet, "STT")[1:]] == [mine.code]


def test_province_staff_of_another_province_gets_404_and_sees_nothing_in_lists(client, dossier, other_unit):
    assert other_unit.province_id != dossier.unit.province_id
    staff = UserFactory(province_staff=True, province=other_unit.province)
    client.force_login(staff)
    assert client.get(dossier.get_absolute_url()).status_code == 404
    assert client.get(reverse("service_center:print", args=[dossier.code, "01"])).status_code == 404
    assert not client.get(reverse("service_center:queue")).context["page"].object_list
    today = timezone.localdate().isoformat()
    assert not client.get(reverse("service_center:statistics"), {"start": today, "end": today}).context["rows"]
