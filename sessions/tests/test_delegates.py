"""Delegates (HĐND delegates, UBND members) with an account of their own read the documents of their unit's
published sessions before the session, and nothing else."""

import pytest
from django.urls import reverse

from pilot_portal.accounts.tests.factories import UserFactory
from sessions import services
from sessions.models import Session

from .factories import DocumentFactory, SessionFactory
from .helpers import pdf

pytestmark = pytest.mark.django_db

S = Session.Status


@pytest.fixture
def delegate(unit):
    return UserFactory(delegate=True, unit=unit)


@pytest.fixture
def published(unit, unit_official):
    session = SessionFactory(unit=unit, status=S.PUBLISHED, title="Kỳ họp thứ nhất HĐND phường")
    document = DocumentFactory(session=session, title="Dự thảo Quy chế hoạt động")
    version = services.document_upload_version(document=document, upload=pdf(), actor=unit_official, mark_ready=True)
    return session, version


def test_a_delegate_starts_on_the_sessions_and_reads_a_published_sessions_documents(client, delegate, published):
    session, version = published
    client.force_login(delegate)
    assert client.get(reverse("home")).url == reverse("sessions:list")
    listed = client.get(reverse("sessions:list")).content.decode()
    assert session.title in listed
    page = client.get(session.get_absolute_url())
    assert page.status_code == 200 and "Dự thảo Quy chế hoạt động" in page.content.decode()
    assert "programme.docx" not in page.content.decode()  # the printable and official pages are not theirs
    download = client.get(reverse("sessions:document_download", args=[version.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_delegate_sees_no_draft_and_no_other_units_session(client, delegate, unit, other_unit):
    draft = SessionFactory(unit=unit, status=S.DRAFT)
    elsewhere = SessionFactory(unit=other_unit, status=S.PUBLISHED)
    client.force_login(delegate)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(elsewhere.get_absolute_url()).status_code == 404
    listed = client.get(reverse("sessions:list")).context["page"].object_list
    assert list(listed) == []


@pytest.mark.parametrize(
    "url",
    [
        reverse("units:list"),
        reverse("service_center:queue"),
        reverse("campaigns:index"),
        reverse("notifications:list"),
        reverse("sessions:calendar"),
    ],
)
def test_a_delegate_opens_nothing_else(client, delegate, url):
    client.force_login(delegate)
    assert client.get(url).status_code == 403


def test_a_delegate_cannot_open_the_session_pages_that_are_not_theirs(client, delegate, published):
    session, _version = published
    client.force_login(delegate)
    for name in ("programme", "participants", "run", "edit", "minutes_docx", "live"):
        assert client.get(reverse(f"sessions:{name}", args=[session.pk])).status_code in (403, 404), name
    assert client.post(reverse("sessions:comment_add", args=[session.pk]), {"body": "x"}).status_code == 403


def test_a_delegate_account_needs_a_unit():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        UserFactory.build(delegate=True, unit=None).clean()
    assert "unit" in refused.value.message_dict
