"""The public lookup's limits hold when Redis fails, under concurrency, and for look-alike codes."""

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from service_center.lookup_limits import normalise_code
from service_center.models import Status
from service_center.services import dossier_transition

from .factories import DossierFactory

NOT_FOUND = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này."
CLOSED_FOR_TODAY = "đến ngày mai"
TOO_MANY = "Quá nhiều lượt tra cứu"


def _lookup(client, code, secret, **extra):
    return client.post(reverse("lookup:lookup"), {"code": code, "secret": secret}, **extra)


@pytest.fixture
def dossier(ward_clerk):
    d = DossierFactory(unit=ward_clerk.unit, lookup_secret="123456")
    dossier_transition(dossier=d, to=Status.PROCESSING, actor=ward_clerk)
    return d


class SilentServer:
    """A TCP server that accepts connections and never answers (a hung Redis); it closes them after
    ``hold`` seconds, so that code without a socket timeout fails instead of hanging the test run."""

    def __init__(self, hold: float = 5.0):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.hold = hold
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        self.sock.settimeout(0.2)
        held = []
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
                held.append((time.monotonic(), conn))
            except TimeoutError:
                pass
            for at, conn in list(held):
                if time.monotonic() - at > self.hold:
                    conn.close()
                    held.remove((at, conn))
        for _, conn in held:
            conn.close()
        self.sock.close()

    def stop(self):
        self.stopped.set()
        self.thread.join(timeout=5)


def redis_cache(port: int) -> dict:
    from pilot_portal.settings.base import with_socket_timeouts

    return with_socket_timeouts(
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    )


def _caches(default: dict) -> dict:
    from django.conf import settings

    return {**settings.CACHES, "default": default}


@pytest.fixture
def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed once the block ends: nothing listens there


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.stop()


@pytest.mark.django_db
@pytest.mark.parametrize("redis", ["closed", "silent"])
def test_the_limits_hold_and_the_page_stays_up_when_redis_fails(request, client, dossier, settings, redis, closed_port):
    port = closed_port if redis == "closed" else request.getfixturevalue("silent_server").port
    settings.SERVICE_CENTER_LOOKUP_LIMIT = 5
    with override_settings(CACHES=_caches(redis_cache(port))):
        started = time.monotonic()
        found = _lookup(client, dossier.code, "123456")
        assert found.status_code == 200
        assert "Đang xử lý" in found.content.decode()
        for n in range(4):
            assert NOT_FOUND in _lookup(client, dossier.code, f"00000{n}").content.decode()
        refused = _lookup(client, dossier.code, "123456")
        elapsed = time.monotonic() - started
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    assert elapsed < 3, f"six lookups took {elapsed:.1f}s with Redis {redis}"


@pytest.mark.django_db
def test_a_silent_redis_cache_fails_fast_with_the_portal_timeouts(silent_server):
    from django.core.cache import caches

    with override_settings(CACHES=_caches(redis_cache(silent_server.port))):
        started = time.monotonic()
        with pytest.raises(Exception, match=r"(?i)timeout|timed out"):
            caches["default"].get("anything")
        assert time.monotonic() - started < 2


@pytest.mark.django_db
def test_the_code_lock_counts_look_alike_codes_as_one(client, dossier, settings):
    settings.SERVICE_CENTER_LOOKUP_CODE_FAILURES = 3
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in dossier.code)
    zero_width = "\u200b".join(dossier.code[i : i + 3] for i in range(0, len(dossier.code), 3))
    assert normalise_code(full_width) == normalise_code(zero_width) == dossier.code
    assert normalise_code(f" {dossier.code.lower()}\u2060 ") == dossier.code
    # A variant finds the dossier, as the printed code does.
    assert "Đang xử lý" in _lookup(client, full_width, "123456").content.decode()
    for n, variant in enumerate((full_width, zero_width, dossier.code.lower())):
        assert NOT_FOUND in _lookup(client, variant, f"00000{n}", REMOTE_ADDR=f"198.51.100.{n}").content.decode()
    locked = _lookup(client, dossier.code, "123456", REMOTE_ADDR="203.0.113.9")
    assert locked.status_code == 429
    assert CLOSED_FOR_TODAY in locked.content.decode()


@pytest.mark.django_db
def test_a_right_lookup_code_does_not_count_against_its_code(client, dossier, settings):
    settings.SERVICE_CENTER_LOOKUP_CODE_FAILURES = 2
    for n in range(5):
        assert _lookup(client, dossier.code, "123456", REMOTE_ADDR=f"198.51.100.{n}").status_code == 200
    assert NOT_FOUND in _lookup(client, dossier.code, "000000").content.decode()
    assert "Đang xử lý" in _lookup(client, dossier.code, "123456").content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_codes_get_no_more_evaluations_than_the_limit(ward_clerk, settings):
    dossier = DossierFactory(unit=ward_clerk.unit, lookup_secret="123456")
    settings.SERVICE_CENTER_LOOKUP_CODE_FAILURES = 5
    barrier = threading.Barrier(24)

    def attempt(n):
        try:
            barrier.wait(timeout=10)
            response = _lookup(Client(), dossier.code, f"{n:06d}", REMOTE_ADDR=f"198.51.100.{n}")
            return response.content.decode()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=24) as pool:
        pages = list(pool.map(attempt, range(1, 49)))
    evaluated = sum(NOT_FOUND in page for page in pages)
    locked = sum(CLOSED_FOR_TODAY in page for page in pages)
    assert (evaluated, locked) == (5, 43)


@pytest.mark.django_db
def test_an_unknown_code_costs_the_queries_of_a_wrong_lookup_code(client, dossier, django_assert_num_queries):
    # Each from an address of its own: the address's counter is created by the first lookup, then incremented.
    with django_assert_num_queries(3):
        unknown = _lookup(client, "KHONG-CO-260101-0001", "123456", REMOTE_ADDR="198.51.100.1")
    with django_assert_num_queries(3):
        wrong = _lookup(client, dossier.code, "654321", REMOTE_ADDR="198.51.100.2")
    assert NOT_FOUND in unknown.content.decode()
    assert NOT_FOUND in wrong.content.decode()
