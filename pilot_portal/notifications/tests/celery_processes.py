"""Helpers to run the real production processes (celery worker and beat, gunicorn) from tests."""

from __future__ import annotations

import email
import email.header
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis
from celery import Celery
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
#: The interpreter of the production processes: ``PORTAL_PROCESS_PYTHON`` (.ci/run points it at a virtualenv built
#: from requirements.txt alone, so the runtime set is proven without the test requirements), else this one.
PYTHON = os.environ.get("PORTAL_PROCESS_PYTHON") or sys.executable
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")
#: Under pytest-xdist each worker (gw0, gw1, ...) runs its own celery processes: they and the test's client put
#: their keys (queues, bindings, unacked messages, cache) under a prefix of their own in the one Redis database, so
#: that no worker takes the tasks another worker's test queued for its own test database.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "") or "main"
REDIS_KEY_PREFIX = f"pytest-{XDIST_WORKER}:"
BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": REDIS_KEY_PREFIX}


def redis_reset() -> None:
    """Remove what an earlier run of this worker left in Redis (its queued messages, bindings, unacked ones)."""
    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        keys = list(client.scan_iter(match=f"{REDIS_KEY_PREFIX}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def broker_client(name: str) -> Celery:
    """A Celery app that sends to the test broker, with this worker's key prefix. It does not become the current
    app: the portal's shared tasks must keep running eagerly in the tests that come after."""
    client = Celery(name, broker=REDIS_TEST_URL, set_as_current=False)
    client.conf.broker_transport_options = dict(BROKER_TRANSPORT_OPTIONS)
    return client


def database_url() -> str:
    """The URL of the database the tests run on (the ``test_…`` one), for another process."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def production_env(*, mail_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "PYTEST", "REMINDERS_"))
        and key not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pilot_portal.settings.production",
        DJANGO_SECRET_KEY="smoke-test-secret-key-not-for-real-use-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url(),
        REDIS_URL=REDIS_TEST_URL,
        REDIS_KEY_PREFIX=REDIS_KEY_PREFIX,
        EMAIL_URL=f"filemail:///{mail_dir}",  # four slashes: an absolute path
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


def collect_static(env: dict[str, str]) -> None:
    """``collectstatic`` as a deployment runs it before starting the web server (production settings keep a manifest
    of hashed names: a page rendered without it is a 500). Two test workers run it one after the other (a lock)."""
    import fcntl

    with open(BASE_DIR / ".collectstatic.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        collected = subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert collected.returncode == 0, collected.stderr[-3000:]


def start(args: list[str], *, env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    return subprocess.Popen(
        args, cwd=BASE_DIR, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


#: The web server's own environment, as the README sets it: a pool of database connections per process.
WEB_SERVER_ENV = {"DATABASE_POOL_SIZE": "10"}


def web_server(port: int, *, workers: int = 2) -> list[str]:
    """The production web server as the README starts it (with ``WEB_SERVER_ENV``): gunicorn managing uvicorn's
    ASGI workers."""
    return [
        PYTHON,
        "-m",
        "gunicorn",
        "pilot_portal.asgi:application",
        "--worker-class",
        "uvicorn.workers.UvicornWorker",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
    ]


def celery(*args: str) -> list[str]:
    return [PYTHON, "-m", "celery", "-A", "pilot_portal", *args]


def stop(process: subprocess.Popen, *, timeout: float = 20) -> int:
    """SIGTERM (warm shutdown for celery, graceful for gunicorn); SIGKILL the group if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    return process.returncode


def wait_for(condition, *, timeout: float, interval: float = 0.25, what: str = "condition", logs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    tails = "\n".join(f"--- {log}:\n{Path(log).read_text(errors='replace')[-3000:]}" for log in logs)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{tails}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_emails(mail_dir: Path) -> list[email.message.Message]:
    """The messages Django's file e-mail backend wrote (one file per connection, separated by dashes)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk.strip() + b"\n"))
    return messages


def subject(message: email.message.Message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))
