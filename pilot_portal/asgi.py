"""ASGI entry point: serves every page, the live pages' server-sent events without holding a worker per open page,
and ``/healthz`` on the event loop (``core.health.HealthCheckASGI``), whatever the pages keep busy.

    gunicorn pilot_portal.asgi:application --worker-class uvicorn.workers.UvicornWorker   # production
    uvicorn pilot_portal.asgi:application                                                 # the same, one process
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot_portal.settings.production")

django_application = get_asgi_application()

from pilot_portal.core.health import HealthCheckASGI  # noqa: E402  (needs the settings: after django.setup())

application = HealthCheckASGI(django_application)
