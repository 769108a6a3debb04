"""``/healthz`` under the ASGI server (``pilot_portal.asgi``): answered on the event loop by
``core.health.HealthCheckASGI`` with the view's answers, every other path served by Django."""

import asyncio
import json
import os
import socket
import time

import pytest
from asgiref.testing import ApplicationCommunicator

from pilot_portal.asgi import application

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def call(path="/healthz", *, method="GET", host=b"127.0.0.1:8000"):
    """One HTTP request to the ASGI application: (status, headers, body)."""

    async def exchange():
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", host)],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(10)
        body = b""
        while True:
            message = await communicator.receive_output(10)
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await communicator.wait(1)
        return start["status"], dict(start["headers"]), body

    return asyncio.run(exchange())


@pytest.fixture
def broker(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.CELERY_BROKER_URL = REDIS_TEST_URL
    return settings


@pytest.mark.django_db
def test_green_with_the_same_body_as_the_view(broker, client):
    status, headers, body = call()
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok", "broker": "ok"}
    assert json.loads(body) == client.get("/healthz", SERVER_NAME="127.0.0.1").json()
    assert headers[b"content-type"] == b"application/json"
    assert b"no-store" in headers[b"cache-control"]


@pytest.mark.django_db
def test_503_when_the_broker_is_down(broker):
    broker.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    status, _, body = call()
    assert status == 503
    assert json.loads(body) == {"status": "down", "database": "ok", "broker": "down"}


@pytest.mark.django_db
def test_a_check_that_hangs_is_down_after_the_timeout(broker):
    """A broker that accepts the connection and never answers: the probe gets its 503 within HEALTHZ_TIMEOUT, not
    after the broker's own (longer) socket timeout."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        broker.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        broker.HEALTHZ_BROKER_TIMEOUT = 5
        broker.HEALTHZ_TIMEOUT = 0.3
        started = time.monotonic()
        status, _, body = call()
        elapsed = time.monotonic() - started
    assert status == 503
    assert json.loads(body) == {"status": "down", "database": "ok", "broker": "down"}
    assert elapsed < 2


@pytest.mark.django_db
def test_other_methods_and_unknown_hosts_are_refused_as_by_the_view(broker):
    assert call(method="POST")[0] == 405
    assert call(host=b"evil.example")[0] == 400


@pytest.mark.django_db
def test_every_other_path_is_served_by_django(broker):
    status, _, body = call("/accounts/login/")
    assert status == 200
    assert "Đăng nhập" in body.decode()


def test_the_asgi_servers_pool_of_database_connections():
    """``DATABASE_POOL_SIZE`` gives each process a psycopg pool (connections back to it after each request, not
    kept per thread); the embedded SQLite default has none."""
    from pilot_portal.core.tests.test_settings import run_python

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='pilot_portal.settings.production'; django.setup();"
        "from django.db import connection; from django.conf import settings as s; d = s.DATABASES['default'];"
        "connection.ensure_connection();"
        "print(d['OPTIONS'].get('pool'), d['CONN_MAX_AGE'], connection.pool is not None)"
    )
    production = {"DJANGO_SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz"}
    pooled = run_python(
        code,
        **production,
        ALLOWED_HOSTS="portal.example.vn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        DATABASE_POOL_SIZE="4",
        CONN_MAX_AGE="60",
    )
    assert pooled.returncode == 0, pooled.stderr
    assert pooled.stdout.split("} ")[1].split() == ["0", "True"]
    assert "'max_size': 4" in pooled.stdout
    sqlite = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='pilot_portal.settings.local'; django.setup();"
        "from django.conf import settings as s; print(s.DATABASES['default'].get('OPTIONS', {}).get('pool'))",
        DATABASE_POOL_SIZE="4",
    )
    assert sqlite.returncode == 0, sqlite.stderr
    assert sqlite.stdout.strip() == "None"
