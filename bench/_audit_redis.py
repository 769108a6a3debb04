"""Redis closed (a port nothing listens on) and hung (a socket that accepts and never answers), as the Django
cache: the public lookup with wrong lookup codes. Per address: 30 wrong codes from one address (limit
``SERVICE_CENTER_LOOKUP_LIMIT``); per code: 30 from 30 addresses (``SERVICE_CENTER_LOOKUP_CODE_FAILURES``); on
PostgreSQL also 120 at once from 120 addresses. *Evaluated after the limit*: answers "not found" (the code was
compared) past the limit. The page answers when its form and a right code still get a 200."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

NOT_FOUND = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này."


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _dossier(unit):
    from service_center.tests.factories import DossierFactory

    return DossierFactory(unit=unit, lookup_secret="123456")


def run(world, *, quick: bool = False, **_options) -> dict:
    from django.conf import settings
    from django.db import connection, connections
    from django.test import Client, override_settings

    from service_center.tests.test_lookup_limits import SilentServer, redis_cache

    attempts = 12 if quick else 30
    parallel = 24 if quick else 120
    per_address = 5 if quick else getattr(settings, "SERVICE_CENTER_LOOKUP_LIMIT", 10)
    per_code = 5 if quick else getattr(settings, "SERVICE_CENTER_LOOKUP_CODE_FAILURES", 20)
    limits = {"SERVICE_CENTER_LOOKUP_LIMIT": per_address, "SERVICE_CENTER_LOOKUP_CODE_FAILURES": per_code}
    Client().post("/tra-cuu/", {"code": "KHONG-CO", "secret": "000000"}, REMOTE_ADDR="192.0.2.250")  # warm-up
    result = {}
    for net, mode in enumerate(("closed", "hung")):
        server = SilentServer(hold=20) if mode == "hung" else None
        port = server.port if server else _closed_port()
        latencies, figures = [], {}

        def lookup(client, code, secret, address, timed=True, latencies=latencies):
            started = time.monotonic()
            response = client.post("/tra-cuu/", {"code": code, "secret": secret}, REMOTE_ADDR=address)
            if timed:
                latencies.append(time.monotonic() - started)
            return response

        try:
            with override_settings(CACHES={**settings.CACHES, "default": redis_cache(port)}, **limits):
                client = Client(raise_request_exception=False)
                dossier = _dossier(world.units["AA"])
                answers = [lookup(client, dossier.code, f"{n:06d}", f"198.51.{net}.1") for n in range(attempts)]
                figures["per address"] = _after(answers, min(per_address, attempts))
                dossier = _dossier(world.units["AA"])
                answers = [lookup(client, dossier.code, f"{n:06d}", f"203.0.{net}.{n + 1}") for n in range(attempts)]
                figures["per code"] = _after(answers, min(per_code, attempts))
                if connection.vendor == "postgresql":
                    dossier = _dossier(world.units["AA"])
                    barrier = threading.Barrier(min(parallel, 24))

                    def attempt(n, code=dossier.code, barrier=barrier, net=net, lookup=lookup):
                        try:
                            if n < 24:
                                barrier.wait(timeout=10)
                            address = f"10.{net}.{n // 250}.{n % 250 + 1}"
                            return lookup(Client(raise_request_exception=False), code, f"{n:06d}", address, False)
                        finally:
                            connections.close_all()

                    started = time.monotonic()
                    with ThreadPoolExecutor(max_workers=24) as pool:
                        answers = list(pool.map(attempt, range(parallel)))
                    figures["at once"] = _after(answers, per_code, ordered=False)
                    figures["at once"]["seconds"] = round(time.monotonic() - started, 1)
                page = client.get("/tra-cuu/")
                right = lookup(client, _dossier(world.units["AA"]).code, "123456", f"192.0.{net}.7")
                figures["page answers"] = page.status_code == 200 and right.status_code == 200
        finally:
            if server:
                server.stop()
        figures["max latency s (one at a time)"] = round(max(latencies), 2)
        result[mode] = figures
    return result


def _after(answers, limit: int, *, ordered: bool = True) -> dict:
    """{tried, evaluated after the limit, 5xx}. Unordered (threads): the evaluations beyond ``limit``."""
    evaluated = [NOT_FOUND in r.content.decode(errors="replace") for r in answers]
    after = sum(evaluated[limit:]) if ordered else max(0, sum(evaluated) - limit)
    return {
        "tried": len(answers),
        "limit": limit,
        "evaluated after limit": after,
        "5xx": sum(r.status_code >= 500 for r in answers),
    }
