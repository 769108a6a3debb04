"""Every page of a session keeps a constant number of queries, whatever the number of items, documents,
participants, outcomes, viewers and comments."""

import pytest
from django.urls import reverse

from sessions import services
from sessions.models import Comment, Outcome, Session, StreamViewer
from units.tests.factories import UnitFactory

from .factories import AgendaItemFactory, DocumentFactory, ParticipantFactory, SessionFactory
from .helpers import pdf

pytestmark = pytest.mark.django_db

# Page name -> the most queries it may take (session, auth and messages included).
PAGES = {
    "detail": 15,
    "programme": 15,
    "minutes": 16,  # + the items' speeches
    "invitations": 6,
    "edit": 6,  # + the province's time limit for the budget field
    "agenda": 6,
    "participants": 6,
    "viewers": 7,
    "document_add": 6,
    "outcome_add": 5,
    "run": 8,  # + the running item's speeches and the speakers to choose from
    "close": 5,
}


def _full_session(unit, official, rows):
    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS, budget_minutes=600)
    items = AgendaItemFactory.create_batch(rows, session=session, planned_minutes=1)
    for item in items:
        document = DocumentFactory(session=session)
        item.documents.add(document)
        services.document_upload_version(document=document, upload=pdf(), actor=official, mark_ready=True)
    ParticipantFactory.create_batch(rows, session=session, attendance="present")
    for n in range(rows):
        Outcome.objects.create(session=session, number=f"{n + 1:02d}/NQ-HĐND", title=f"Nghị quyết {n + 1}")
        StreamViewer.objects.create(session=session, unit=UnitFactory(province=unit.province))
        Comment.objects.create(session=session, author=official, body=f"Ý kiến {n + 1}")
    services.agenda_item_start(item=items[0], actor=official)
    for person in session.participants.all():
        services.speech_start(item=items[0], participant=person, actor=official)
    return session


@pytest.mark.parametrize("rows", [2, 25])
@pytest.mark.parametrize(("name", "limit"), PAGES.items())
def test_session_pages_keep_a_constant_number_of_queries(
    client, unit, unit_official, django_assert_max_num_queries, rows, name, limit
):
    session = _full_session(unit, unit_official, rows)
    client.force_login(unit_official)
    with django_assert_max_num_queries(limit):
        response = client.get(reverse(f"sessions:{name}", args=[session.pk]))
    assert response.status_code == 200


# Pages of one participant, outcome or document -> the most queries they may take.
ROW_PAGES = {
    "participant_edit": 6,
    "participant_remove": 6,
    "outcome_edit": 6,
    "outcome_remove": 6,
    "document_edit": 8,
    "document_remove": 8,
}


@pytest.mark.parametrize("rows", [2, 25])
@pytest.mark.parametrize(("name", "limit"), ROW_PAGES.items())
def test_correction_pages_keep_a_constant_number_of_queries(
    client, unit, unit_official, django_assert_max_num_queries, rows, name, limit
):
    session = _full_session(unit, unit_official, rows)
    document = session.documents.order_by("pk").first()
    document.agenda_items.set(session.agenda_items.all())
    for _ in range(rows):
        services.document_upload_version(document=document, upload=pdf(), actor=unit_official, mark_ready=True)
    target = {
        "participant": session.participants.first(),
        "outcome": session.outcomes.first(),
        "document": document,
    }[name.split("_")[0]]
    client.force_login(unit_official)
    with django_assert_max_num_queries(limit):
        response = client.get(reverse(f"sessions:{name}", args=[session.pk, target.pk]))
    assert response.status_code == 200
    assert 'class="btn btn-danger"' in response.content.decode() or name.endswith("_edit")
