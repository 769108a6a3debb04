"""Test settings: PostgreSQL by default (DATABASE_URL), fast hashing, in-memory e-mail."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, env, portal_database

SECRET_KEY = "test-key-not-for-production"
DEBUG = False
DATABASES["default"] = portal_database(
    env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/pilot_portal")
)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests choose their broker explicitly; by default tasks run eagerly.
REDIS_URL = ""
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
LANGUAGE_CODE = "vi"
# Static files come from the finders; no collectstatic before tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Uploads made by tests never land in the checkout.
PRIVATE_FILES_ROOT = Path(tempfile.gettempdir()) / "pilot_portal_test_private"
MEDIA_ROOT = Path(tempfile.gettempdir()) / "pilot_portal_test_media"
# SMS to citizens are written to files (service_center.sms.FileBackend); tests point the path at their tmp_path.
SERVICE_CENTER_SMS_BACKEND = "service_center.sms.FileBackend"
SERVICE_CENTER_SMS_FILE_PATH = Path(tempfile.gettempdir()) / "pilot_portal_test_sms"
