"""Benchmark of the live pages: N followers (default 64) on the server-sent events of one session, served by
uvicorn on 127.0.0.1 (PostgreSQL + Redis); the secretary starts K items (default 10) one after the other.

Each follower does what the page does: on ``changed`` it fetches ``state.json``. Prints the median and p95 delay from
the service call (the secretary's action) to the follower holding the new state, how many updates arrived, and the
server's resident memory (RSS) with the followers connected.

    .venv/bin/python bench/live.py [--followers 64] [--rounds 10]

DATABASE_URL selects the database (default postgres://postgres@127.0.0.1:5432/pilot_bench_live; created and
migrated when missing), BENCH_REDIS_URL the Redis (default redis://127.0.0.1:6379/11; keys under "bench-live:").
Every loop is bounded by a timeout; the server only listens on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import ensure_database  # noqa: E402  (after the path)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pilot_bench_live"
PREFIX = "bench-live:"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def seed(rounds: int):
    from django.utils import timezone

    from pilot_portal.accounts.models import Role, User
    from sessions.models import AgendaItem, Session
    from units.models import Unit
    from units.tests.factories import UnitFactory

    Session.objects.filter(title="Kỳ họp thử tải").delete()  # an earlier run's
    User.objects.filter(username__startswith="bench-live-").delete()
    Unit.objects.filter(code__startswith="9").delete()
    unit = UnitFactory()
    official = User.objects.create(username=f"bench-live-{unit.pk}", role=Role.UNIT_OFFICIAL, unit=unit)
    session = Session.objects.create(
        unit=unit,
        kind=Session.Kind.HDND,
        title="Kỳ họp thử tải",
        scheduled_start=timezone.now(),
        budget_minutes=600,
        status=Session.Status.IN_PROGRESS,
        actual_start=timezone.now(),
        stream_access=Session.StreamAccess.PUBLIC,
    )
    items = [
        AgendaItem.objects.create(session=session, order=n + 1, title=f"Nội dung {n + 1}", planned_minutes=5)
        for n in range(rounds)
    ]
    return session, official, items


def database_connections() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select count(*) from pg_stat_activity where datname = current_database()")
        return cursor.fetchone()[0]


async def http_get(port: int, path: str, timeout: float) -> bytes:
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    body = await asyncio.wait_for(reader.read(), timeout)
    writer.close()
    return body


async def follower(port: int, session_id: int, ready: asyncio.Event, arrivals: list, rounds: int, deadline: float):
    """Open the events; on every ``changed`` fetch the state and record when (and which current item) it shows."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
    writer.write(f"GET /sessions/{session_id}/live/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    seen = 0
    try:
        while seen < rounds and time.monotonic() < deadline:
            line = await asyncio.wait_for(reader.readline(), max(0.1, deadline - time.monotonic()))
            if not line:
                break
            text = line.decode().strip()
            if text == "event: ready":
                ready.set()
            elif text == "event: changed":
                pushed = time.monotonic()
                raw = await http_get(port, f"/sessions/{session_id}/live/state.json", 10)
                state = json.loads(raw.split(b"\r\n\r\n", 1)[1])
                arrivals.append((pushed, time.monotonic(), state["current"]))
                seen += 1
    except TimeoutError:
        pass
    finally:
        writer.close()


async def run(args, session, official, items, port: int, server: subprocess.Popen) -> None:
    from asgiref.sync import sync_to_async

    from sessions import services

    deadline = time.monotonic() + 30 + 5 * args.rounds
    readies = [asyncio.Event() for _ in range(args.followers)]
    arrivals: list[list] = [[] for _ in range(args.followers)]
    tasks = [
        asyncio.create_task(follower(port, session.pk, readies[n], arrivals[n], args.rounds, deadline))
        for n in range(args.followers)
    ]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 30)
    rss_connected = rss_kib(server.pid)
    held = await sync_to_async(database_connections)()
    started = {}
    for item in items:
        started[item.pk] = time.monotonic()
        await sync_to_async(services.agenda_item_start)(item=item, actor=official)
        await asyncio.sleep(args.pause)
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), max(1, deadline - time.monotonic()))
    rows = [row for follower_rows in arrivals for row in follower_rows if row[2] in started]
    expected = args.followers * args.rounds
    print(f"followers: {args.followers}, rounds: {args.rounds}, updates: {len(rows)} of {expected}")
    for what, index in (("event", 0), ("updated state", 1)):
        delays = sorted((row[index] - started[row[2]]) * 1000 for row in rows)
        if delays:
            p95 = delays[min(len(delays) - 1, int(0.95 * len(delays)))]
            print(f"delay from action to {what}: median {statistics.median(delays):.1f} ms, p95 {p95:.1f} ms")
    print(f"database connections open with the followers connected (this process's included): {held}")
    after = rss_kib(server.pid)
    print(f"server RSS with the followers connected: {rss_connected / 1024:.1f} MiB, after: {after / 1024:.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--followers", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between two actions")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
    ensure_database(url)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="pilot_portal.settings.local",
        DATABASE_URL=url,
        REDIS_URL=redis_url,
        REDIS_KEY_PREFIX=PREFIX,
        DJANGO_ALLOW_ASYNC_UNSAFE="true",
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    session, official, items = seed(args.rounds)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pilot_portal.settings.production",
        "DJANGO_SECRET_KEY": "bench-secret-key-not-for-real-use-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "pilot_portal.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--timeout-graceful-shutdown",
            "2",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(120):  # up to 30 s for the server to answer
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.25):
                    break
            except OSError:
                time.sleep(0.25)
        asyncio.run(run(args, session, official, items, port, server))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
