"""``/healthz``: the database and, when one is configured, the Celery broker (503 when one is down)."""

import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unreachable")
        return "down"
    return "ok"


def check_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if not url or url.startswith("memory://"):
        return "not configured"
    timeout = settings.HEALTHZ_BROKER_TIMEOUT
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        client.ping()
        client.close()
    except (redis.RedisError, OSError):
        logger.warning("health check: broker unreachable at %s", url.split("@")[-1])
        return "down"
    return "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(value != "down" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)
