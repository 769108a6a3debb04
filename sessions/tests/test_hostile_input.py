"""Input the audit found giving server errors on the session screens: a message or a field error, never a 500."""

import pytest
from django.urls import reverse

from pilot_portal.accounts.tests.factories import UserFactory
from sessions.models import Document, Session, SessionEvent

from .factories import AgendaItemFactory, DocumentFactory, SessionFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def session(unit):
    session = SessionFactory(unit=unit)
    AgendaItemFactory(session=session, order=1, title="Khai mạc", planned_minutes=5)
    return session


def test_a_nul_in_the_note_of_a_status_change_is_refused_with_a_message(client, session, unit_official):
    client.force_login(unit_official)
    response = client.post(
        reverse("sessions:transition", args=[session.pk]), {"to": Session.Status.CANCELLED, "note": "Hoãn\x00"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.DRAFT
    assert not SessionEvent.objects.filter(session=session).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Ghi chú: Không được chứa ký tự rỗng (NUL)."]


@pytest.mark.parametrize("code", ["\x00", "abc\x00", "x" * 5000, ["a", "b"]])
def test_a_superuser_choosing_a_unit_by_an_unusable_code_gets_a_404(client, code):
    client.force_login(UserFactory(superuser=True))
    response = client.get(reverse("sessions:create"), {"unit": code})
    assert response.status_code == 404


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "1e5", "\x00", "１"])
@pytest.mark.parametrize("name", ["sessions:document_add", "sessions:document_edit"])
def test_a_document_linked_to_an_impossible_agenda_item_is_a_field_error(client, session, unit_official, name, value):
    document = DocumentFactory(session=session, title="Dự thảo")
    args = [session.pk] if name == "sessions:document_add" else [session.pk, document.pk]
    client.force_login(unit_official)
    data = {"kind": Document.Kind.OTHER, "title": "Báo cáo", "agenda_items": [value]}
    response = client.post(reverse(name, args=args), data)
    assert response.status_code == 200
    assert response.context["form"].has_error("agenda_items")
    assert session.documents.count() == 1


@pytest.mark.parametrize("value", [HUGE, "\x00", "abc"])
def test_the_followers_of_the_stream_refuse_an_impossible_unit(client, session, unit_official, value):
    client.force_login(unit_official)
    response = client.post(reverse("sessions:viewers", args=[session.pk]), {"units": [value]})
    assert response.status_code in (200, 302)
    assert not session.stream_viewers.exists()


@pytest.mark.parametrize("value", [HUGE, "abc", "\x00", ""])
def test_inviting_an_impossible_participant_to_speak_is_a_message(client, session, unit_official, value):
    item = session.agenda_items.get()
    client.force_login(unit_official)
    response = client.post(reverse("sessions:speech_start", args=[session.pk, item.pk]), {"participant": value})
    assert response.status_code == 302
