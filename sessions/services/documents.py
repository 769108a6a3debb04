"""Documents of a session: adding them, checking and storing uploaded versions, marking them ready."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pilot_portal.core.uploads import validate_upload as core_validate_upload

from ..config import allowed_extensions, max_upload_bytes
from ..models import Document, DocumentVersion, Session
from ._common import OPEN_STATUSES, SessionError, _locked, _require_status

# --- documents ------------------------------------------------------------------------------------------------------


def validate_upload(upload: UploadedFile) -> str:
    """A session document or minutes file, within the sessions app's limits (``sessions.config``)."""
    return core_validate_upload(upload, extensions=allowed_extensions(), max_bytes=max_upload_bytes())


def _locked_document(document: Document) -> Document:
    """The session's row, then the document's, locked in that order like every other service (locking both in one
    joined query could take them the other way round and deadlock with a removal). A document removed meanwhile is a
    refusal, not a server error."""
    session = Session.objects.select_for_update().filter(pk=document.session_id).first()
    try:
        locked = Document.objects.select_for_update().get(pk=document.pk, session=session)
    except Document.DoesNotExist:
        raise SessionError(_("This document has been removed meanwhile.")) from None
    locked.session = session
    return locked


@transaction.atomic
def document_add(
    *,
    session: Session,
    actor,
    kind: str,
    title: str,
    is_required: bool = True,
    upload: UploadedFile | None = None,
    is_ready: bool = False,
    agenda_items=(),
) -> Document:
    session = _locked(session)
    _require_status(session, OPEN_STATUSES, _("Documents can no longer be added to this session."))
    document = Document(session=session, kind=kind, title=title, is_required=is_required)
    document.full_clean()
    document.save()
    document.agenda_items.set([item for item in agenda_items if item.session_id == session.pk])
    if upload is not None:
        document_upload_version(document=document, upload=upload, actor=actor, mark_ready=is_ready)
    return document


@transaction.atomic
def document_upload_version(*, document: Document, upload: UploadedFile, actor, mark_ready: bool) -> DocumentVersion:
    name = validate_upload(upload)
    document = _locked_document(document)
    _require_status(document.session, OPEN_STATUSES, _("Documents of this session can no longer be changed."))
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    upload.name = name
    version = DocumentVersion(
        document=document, number=number, file=upload, original_name=name, size=upload.size, uploaded_by=actor
    )
    version.full_clean()
    version.save()
    if document.is_ready != mark_ready:
        document.is_ready = mark_ready
        document.save(update_fields=["is_ready"])
    return version


@transaction.atomic
def document_set_ready(*, document: Document, ready: bool, actor) -> Document:
    document = _locked_document(document)
    _require_status(document.session, OPEN_STATUSES, _("Documents of this session can no longer be changed."))
    if ready and not document.versions.exists():
        raise SessionError(_("Upload a file before marking the document ready."))
    document.is_ready = ready
    document.save(update_fields=["is_ready"])
    return document
