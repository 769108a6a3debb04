"""``/healthz`` of the production web server (``celery_processes.web_server``, the README's command) while its
pages are stuck: every page request waits on a locked table (holding every connection of the pool, or waiting for
one), the load balancer's probe is still answered at once (under gthread workers it would wait behind them, as
under sync ones)."""

import json
import threading
import time
import urllib.error
import urllib.request

import psycopg
import pytest

from pilot_portal.notifications.tests import celery_processes as proc

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.process, pytest.mark.slow]

STUCK_PAGES = 12  # more than a gthread worker's threads, more than a sync server's workers
SESSION_KEY = "k" * 32  # a well-formed key (a shorter one is dropped unread): the page looks it up in the table


def get(url: str, *, timeout: float, headers=None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_healthz_answers_while_every_page_waits(tmp_path):
    env = proc.production_env(mail_dir=tmp_path)
    proc.collect_static(env)  # the pages, once the lock is released, render with the static files' manifest
    port = proc.free_port()
    log = tmp_path / "server.log"
    # A pool smaller than the stuck pages: they hold every pooled connection, and the probe does not wait for one.
    server = proc.start(proc.web_server(port, workers=1), env=dict(env, DATABASE_POOL_SIZE="2"), log=log)
    base = f"http://127.0.0.1:{port}"
    try:
        proc.wait_for(lambda: _status(f"{base}/healthz") == 200, timeout=60, what="/healthz", logs=[log])
        finished = []
        with psycopg.connect(proc.database_url().replace("postgres://", "postgresql://")) as holder:
            # Every signed-in page reads its session first: with the table locked, each one waits.
            holder.execute("LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE")
            cookie = {"Cookie": f"sessionid={SESSION_KEY}"}
            pages = [
                threading.Thread(target=lambda: finished.append(get(f"{base}/", timeout=60, headers=cookie)))
                for _ in range(STUCK_PAGES)
            ]
            for page in pages:
                page.start()
            time.sleep(1)
            started = time.monotonic()
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                health = response.status, json.loads(response.read())
            answered_in = time.monotonic() - started
            assert finished == []  # the pages really were stuck meanwhile
            holder.rollback()
        for page in pages:
            page.join(timeout=60)
    finally:
        code = proc.stop(server)
    assert health == (200, {"status": "ok", "database": "ok", "broker": "ok"})
    # A load balancer gives its probe 2 to 5 seconds; the pages would have waited for the lock (a minute here).
    assert answered_in < 2, answered_in
    assert len(finished) == STUCK_PAGES and set(finished) <= {200, 302}, finished
    assert code == 0, log.read_text()[-3000:]


def _status(url: str) -> int | None:
    try:
        return get(url, timeout=2)
    except OSError:
        return None
