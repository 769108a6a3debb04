"""The Celery application, configured from Django settings (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot_portal.settings.production")  # as wsgi.py

app = Celery("pilot_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
