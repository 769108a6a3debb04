"""ASGI entry point (uvicorn pilot_portal.asgi:application): serves every page, and the live pages' server-sent
events without holding a worker per open page."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot_portal.settings.production")

application = get_asgi_application()
