"""Private file storage: uploads that must only be served by a view that checks the user's scope.

Files live in ``settings.PRIVATE_FILES_ROOT`` (default ``<BASE_DIR>/private_media``), outside ``MEDIA_ROOT``, and
have no URL: nothing serves them directly, in development or in production.
"""

from __future__ import annotations

import logging
import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)


class PrivateFileStorage(FileSystemStorage):
    @property
    def base_location(self):
        return str(getattr(settings, "PRIVATE_FILES_ROOT", settings.BASE_DIR / "private_media"))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


_storage = PrivateFileStorage()


def private_storage() -> PrivateFileStorage:
    """The storage as a callable, so that migrations do not depend on the settings of the machine."""
    return _storage


def random_folder_path(folder: str, filename: str) -> str:
    """A stored name that never comes from the user: a random folder per file, the sanitized name inside it."""
    return f"{folder}/{uuid.uuid4().hex}/{os.path.basename(filename)}"


def file_response(field_file, *, filename: str) -> FileResponse:
    """Send a stored file as an attachment; a file missing on disk is a 404, not a server error."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=filename)


def delete_private_file(storage, name: str) -> None:
    """Delete a stored file and its per-file random folder; run it after the commit that stopped pointing at it (a
    disk error is logged: the row no longer points to the file either way)."""
    try:
        storage.delete(name)
        os.rmdir(os.path.dirname(storage.path(name)))
    except OSError:
        logger.warning("Could not delete the private file %s", name, exc_info=True)
