"""Documents of a session: adding them, checking and storing uploaded versions, marking them ready."""

from __future__ import annotations

import os
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from ..config import allowed_extensions, max_upload_bytes
from ..models import Document, DocumentVersion, Session
from ._common import OPEN_STATUSES, SessionError, _locked, _require_status

# --- documents ------------------------------------------------------------------------------------------------------


def safe_filename(name: str) -> str:
    """A file name that is safe to store and to send back: no path, no control characters, no leading dots."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if ch.isprintable() and ch not in "\x00")
    name = re.split(r"[\\/]", name)[-1]
    name = name.strip().lstrip(".")
    try:
        name = get_valid_filename(name)
    except Exception:  # SuspiciousFileOperation for names that reduce to nothing
        name = ""
    stem, ext = os.path.splitext(name)
    return f"{stem[:100]}{ext[:10].lower()}"


# The first bytes of each accepted type: a file whose content does not match its extension (an HTML page or an
# executable renamed to .pdf) is refused. Extensions added through the setting without a signature here are
# checked by name only.
FILE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}


def _content_matches(upload, ext: str) -> bool:
    signatures = FILE_SIGNATURES.get(ext)
    if not signatures:
        return True
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return any(head.startswith(signature) for signature in signatures)


def validate_upload(upload: UploadedFile) -> str:
    """Check size and type; return the safe file name. Raises ValidationError with a message for the user."""
    name = safe_filename(upload.name)
    ext = os.path.splitext(name)[1].lstrip(".").lower()
    if not name or not os.path.splitext(name)[0] or ext not in allowed_extensions():
        raise ValidationError(
            _("This file type is not accepted. Accepted types: %(types)s.") % {"types": ", ".join(allowed_extensions())}
        )
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": round(max_upload_bytes() / 1024 / 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if not _content_matches(upload, ext):
        raise ValidationError(
            _(
                "The content of this file is not a .%(ext)s file. "
                "Save it again in that format, or choose the right file."
            )
            % {"ext": ext}
        )
    return name


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
