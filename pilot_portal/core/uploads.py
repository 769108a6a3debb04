"""Upload validation every app uses (session documents, minutes, checklist evidence): a safe stored name, the
accepted extensions, a size limit, and content that matches the extension (an executable renamed ``.pdf`` is
refused)."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _


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
    "ods": (b"PK\x03\x04",),
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


def validate_upload(upload: UploadedFile, *, extensions: Collection[str], max_bytes: int) -> str:
    """Check name, size, type and content; return the safe file name to store the upload under.

    Raises ``ValidationError`` with a message for the user.
    """
    name = safe_filename(upload.name)
    ext = os.path.splitext(name)[1].lstrip(".").lower()
    if not name or not os.path.splitext(name)[0] or ext not in extensions:
        raise ValidationError(
            _("This file type is not accepted. Accepted types: %(types)s.") % {"types": ", ".join(extensions)}
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": round(max_bytes / 1024 / 1024)}
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
