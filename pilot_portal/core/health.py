"""``/healthz``: the database and, when one is configured, the Celery broker (503 when one is down).

Two ways in, one answer. The Django view serves it under WSGI (and in the tests' client). Under the ASGI server
(``pilot_portal.asgi``, gunicorn with uvicorn's workers) :class:`HealthCheckASGI` answers it on the event loop before
Django's middleware, so the load balancer's probe never waits behind the page requests a worker is busy with; the
two checks run in a small thread pool of their own (they block: psycopg, redis-py) and each is "down" when it has
not answered within ``HEALTHZ_TIMEOUT`` seconds, so a hung database makes a 503, not a hung probe.
"""

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, close_old_connections, connection
from django.http import JsonResponse
from django.http.request import split_domain_port, validate_host
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


def report(checks: dict[str, str]) -> tuple[int, dict[str, str]]:
    """The status code and body of the checks' results."""
    healthy = all(value != "down" for value in checks.values())
    return (200 if healthy else 503), {"status": "ok" if healthy else "down", **checks}


@login_not_required
@never_cache
@require_GET
def healthz(request):
    status, body = report({"database": check_database(), "broker": check_broker()})
    return JsonResponse(body, status=status)


#: The health checks' own threads: a hung check holds one of these, never a thread that serves pages.
_CHECKS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


def _check_database_in_pool() -> str:
    """The database check in a thread of the health checks' pool. With a pool of connections
    (``DATABASE_POOL_SIZE``) it opens a connection of its own rather than wait for one the pages hold: a server whose
    pages use every pooled connection is busy, not down. Without one, Django's connection of this thread, kept or
    closed as a request's would be (``CONN_MAX_AGE``; one left broken by an outage is replaced on the next probe)."""
    if getattr(connection, "pool", None) is not None:
        return _check_database_unpooled()
    close_old_connections()
    try:
        return check_database()
    finally:
        close_old_connections()


def _check_database_unpooled() -> str:
    params = connection.get_connection_params()
    params.setdefault("connect_timeout", max(1, round(settings.HEALTHZ_TIMEOUT)))
    try:
        with connection.Database.connect(**params) as raw:
            raw.execute("SELECT 1").fetchone()
    except connection.Database.Error:
        logger.exception("health check: database unreachable")
        return "down"
    return "ok"


async def _within_timeout(check) -> str:
    loop = asyncio.get_running_loop()
    try:
        return await asyncio.wait_for(loop.run_in_executor(_CHECKS, check), settings.HEALTHZ_TIMEOUT)
    except TimeoutError:
        logger.warning("health check: %s did not answer within %s s", check.__name__, settings.HEALTHZ_TIMEOUT)
        return "down"


async def report_async() -> tuple[int, dict[str, str]]:
    database, broker = await asyncio.gather(_within_timeout(_check_database_in_pool), _within_timeout(check_broker))
    return report({"database": database, "broker": broker})


#: What ``never_cache`` and the security middleware put on the view's answer.
_HEADERS = [
    (b"content-type", b"application/json"),
    (b"cache-control", b"max-age=0, no-cache, no-store, must-revalidate, private"),
    (b"x-content-type-options", b"nosniff"),
]


class HealthCheckASGI:
    """ASGI middleware: ``GET /healthz`` answered here, on the event loop; everything else goes to ``app``.

    The same answers as the view: 200 or 503 with the checks, 405 for another method, 400 for a host that is not in
    ``ALLOWED_HOSTS``; plain HTTP is answered (never redirected to HTTPS), as the load balancer probes that way.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] != "/healthz":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        host = headers[b"host"].decode("latin-1") if b"host" in headers else (scope.get("server") or ("",))[0]
        allowed = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed:  # as HttpRequest.get_host
            allowed = [".localhost", "127.0.0.1", "[::1]"]
        if not validate_host(split_domain_port(host)[0], allowed):
            status, body = 400, {"status": "bad request"}
        elif scope["method"] != "GET":
            status, body = 405, {"status": "method not allowed"}
        else:
            status, body = await report_async()
        extra = [(b"allow", b"GET")] if status == 405 else []
        await send({"type": "http.response.start", "status": status, "headers": _HEADERS + extra})
        await send({"type": "http.response.body", "body": json.dumps(body).encode()})
