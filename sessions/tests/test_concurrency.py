"""Real concurrent transactions on PostgreSQL: two officials taking the same session number at once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pilot_portal.core.testing import run_together
from sessions import services
from sessions.models import Session

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officials_creating_the_same_session_number_at_once_one_is_told(unit, unit_official):
    start = timezone.make_aware(dt.datetime(2025, 6, 16, 8, 0))

    results = run_together(
        lambda i: services.session_create(
            unit=unit, kind=Session.Kind.HDND, number=1, scheduled_start=start, actor=unit_official
        ),
        2,
    )

    created = [r for r in results if isinstance(r, Session)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(created) == 1 and len(refused) == 1, results
    assert "đã có" in " ".join(refused[0].messages)
    assert Session.objects.filter(unit=unit).count() == 1


def test_a_version_uploaded_while_its_document_is_removed_is_never_deleted_unseen(unit, unit_official):
    """The removal confirmed one file; a second upload at the same moment either comes first (the removal is
    refused: two files now) or second (the upload is told the document is gone). Never a server error."""
    from sessions.models import Document, DocumentVersion

    from .factories import DocumentFactory, SessionFactory
    from .helpers import pdf

    document = DocumentFactory(session=SessionFactory(unit=unit), is_required=False)
    services.document_upload_version(document=document, upload=pdf(), actor=unit_official, mark_ready=True)

    def act(i):
        if i == 0:
            return services.document_remove(document=document, actor=unit_official, confirmed_files=1)
        return services.document_upload_version(
            document=document, upload=pdf("ban-moi.pdf"), actor=unit_official, mark_ready=True
        )

    removed, uploaded = run_together(act, 2)

    if isinstance(removed, services.SessionError):  # the upload came first
        assert "2 tệp" in str(removed)
        assert isinstance(uploaded, DocumentVersion)
        assert DocumentVersion.objects.filter(document=document).count() == 2
    else:  # the removal came first
        assert removed == 1
        assert isinstance(uploaded, services.SessionError), uploaded
        assert "vừa bị người khác xóa" in str(uploaded)
        assert not Document.objects.filter(pk=document.pk).exists()
        assert not DocumentVersion.objects.exists()
