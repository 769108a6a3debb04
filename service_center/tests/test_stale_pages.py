"""A clerk acting from a page another clerk made stale: the action is refused with a message, nothing typed is lost,
and the page shown again carries the status the dossier has now."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from service_center.models import Status
from service_center.services import dossier_transition

from .factories import DossierFactory

pytestmark = pytest.mark.django_db
CHANGED = "Hồ sơ vừa được người khác thay đổi: hiện đang ở trạng thái “4 · Đang xử lý”."


def test_the_dossier_page_carries_the_status_the_clerk_sees(client, ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED, due_at=timezone.now() + dt.timedelta(days=5))
    client.force_login(ward_clerk)
    content = client.get(dossier.get_absolute_url()).content.decode()
    assert content.count(f'name="seen" value="{Status.RECEIVED}"') == 3  # transition, apology, hand-over


def test_refusing_from_a_received_page_after_another_clerk_started_processing_is_refused(
    client, ward_clerk, unit_official
):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=unit_official)
    client.force_login(ward_clerk)
    response = client.post(
        reverse("service_center:transition", args=[dossier.code]),
        {"to": Status.REFUSED, "note": "Thiếu tờ khai", "seen": Status.RECEIVED, "confirmed": "1"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert CHANGED in content
    assert ">Thiếu tờ khai</textarea>" in content
    assert f'name="seen" value="{Status.PROCESSING}"' in content
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_the_confirmation_page_keeps_the_status_the_clerk_saw_before_it(client, ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    client.force_login(ward_clerk)
    response = client.post(
        reverse("service_center:transition", args=[dossier.code]),
        {"to": Status.REFUSED, "note": "Thiếu tờ khai", "seen": Status.RECEIVED},
    )
    assert f'name="seen" value="{Status.RECEIVED}"' in response.content.decode()


@pytest.mark.parametrize("action", ["apology", "handover"])
def test_an_apology_or_hand_over_from_a_stale_page_is_refused_and_keeps_what_was_typed(
    client, ward_clerk, unit_official, action
):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED, due_at=timezone.now() + dt.timedelta(days=5))
    dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=unit_official)
    data = {
        "apology": {
            "new_due_at": f"{timezone.localtime() + dt.timedelta(days=9):%Y-%m-%dT%H:%M}",
            "reason": "Chờ xác minh",
        },
        "handover": {"to_user": unit_official.pk, "note": "Chờ xác minh"},
    }[action]
    client.force_login(ward_clerk)
    response = client.post(reverse(f"service_center:{action}", args=[dossier.code]), {**data, "seen": Status.RECEIVED})
    content = response.content.decode()
    assert CHANGED in content
    assert "Chờ xác minh" in content
    dossier.refresh_from_db()
    assert (dossier.apologized_at, dossier.assigned_to) == (None, None)
