"""Smoke test of the live pages' production process: uvicorn (pilot_portal.asgi) on PostgreSQL and Redis.

A follower opens the server-sent events of a public session; a service call made by another process (this test)
reaches it as a ``changed`` event within a second, and the state endpoint then shows the change; the server stops
on SIGTERM with the stream still open (after cancelling it: ``--timeout-graceful-shutdown``).
"""

import http.client
import json
import time
import urllib.request

import pytest

from pilot_portal.notifications.tests import celery_processes as proc
from sessions import services
from sessions.models import Session

from .factories import AgendaItemFactory, SessionFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.process, pytest.mark.slow]


def read_event(response, *, name: str, timeout: float) -> str:
    """Read the stream until the event ``name``; returns everything read."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = response.fp.readline().decode()
        if not line:
            break
        seen.append(line)
        if line.strip() == f"event: {name}":
            return "".join(seen)
    raise AssertionError(f"no {name!r} event in {timeout}s; read {''.join(seen)!r}")


def test_uvicorn_pushes_a_change_to_an_open_live_page(tmp_path, settings, unit, unit_official):
    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS, stream_access=Session.StreamAccess.PUBLIC)
    item = AgendaItemFactory(session=session, title="Khai mạc")
    proc.redis_reset()
    env = proc.production_env(mail_dir=tmp_path)
    port = proc.free_port()
    log = tmp_path / "uvicorn.log"
    server = proc.start(
        [
            proc.PYTHON,
            "-m",
            "uvicorn",
            "pilot_portal.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--timeout-graceful-shutdown",
            "3",
        ],
        env=env,
        log=log,
    )
    try:

        def health():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        proc.wait_for(health, timeout=60, what="uvicorn /healthz", logs=[log])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", f"/sessions/{session.pk}/live/events/", headers={"Accept": "text/event-stream"})
        response = connection.getresponse()
        assert response.status == 200, response.read()[:500]
        assert response.getheader("Content-Type").startswith("text/event-stream")
        read_event(response, name="ready", timeout=5)

        # The secretary's action, in another process, publishing to the same Redis.
        settings.REDIS_URL = proc.REDIS_TEST_URL
        settings.REDIS_KEY_PREFIX = proc.REDIS_KEY_PREFIX
        started = time.monotonic()
        services.agenda_item_start(item=item, actor=unit_official)
        read_event(response, name="changed", timeout=5)
        assert time.monotonic() - started < 1.0

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sessions/{session.pk}/live/state.json") as state:
            assert json.loads(state.read())["current"] == item.pk
        other = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        other.request("GET", f"/sessions/{session.pk + 1000}/live/events/")  # not public: log in first
        refused = other.getresponse()
        assert refused.status == 302 and "/accounts/login/" in refused.getheader("Location")
        other.close()
    finally:
        code = proc.stop(server)
    text = log.read_text(errors="replace")
    # uvicorn re-raises the SIGTERM it handled once it has shut down: exit status -15 is its clean stop.
    assert code in (0, -15) and "Finished server process" in text, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
