"""What the citizen tests share: the SMS outbox of the file backend, and a real HTTP SMS gateway on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from service_center.tests.factories import DossierFactory


class Outbox:
    def __init__(self, path: Path):
        self.path = path

    def messages(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(self.path.glob("*.json"))]


@pytest.fixture
def sms_outbox(settings, tmp_path):
    """The file SMS backend writes into a folder of this test."""
    settings.SERVICE_CENTER_SMS_BACKEND = "service_center.sms.FileBackend"
    settings.SERVICE_CENTER_SMS_FILE_PATH = tmp_path / "sms"
    return Outbox(tmp_path / "sms")


class Gateway:
    """An HTTP server on 127.0.0.1 that answers the statuses of ``answers`` in turn (then 200) and records what it
    was sent."""

    def __init__(self, answers=()):
        self.answers = list(answers)
        self.received: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                gateway.received.append({"body": body, "authorization": self.headers.get("Authorization")})
                status = gateway.answers.pop(0) if gateway.answers else 200
                payload = json.dumps({"id": f"msg-{len(gateway.received)}"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def gateway():
    server = Gateway()
    yield server
    server.close()


@pytest.fixture
def http_gateway(settings, gateway):
    settings.SERVICE_CENTER_SMS_BACKEND = "service_center.sms.HttpGatewayBackend"
    settings.SERVICE_CENTER_SMS_GATEWAY_URL = gateway.url
    settings.SERVICE_CENTER_SMS_GATEWAY_TOKEN = "token-thu-nghiem"
    settings.SERVICE_CENTER_SMS_SENDER = "UBND-PHUONG"
    settings.SERVICE_CENTER_SMS_GATEWAY_TIMEOUT = 2
    return gateway


def consenting_dossier(unit, **fields):
    """A dossier whose citizen gave an e-mail address and a mobile number and agreed to notices at intake."""
    from django.utils import timezone

    values = {
        "unit": unit,
        "applicant_name": "Hoàng Thị Riêng Tư",
        "applicant_phone": "0912345678",
        "applicant_email": "cong.dan@example.vn",
        "applicant_address": "Số 9 ngõ Bí Mật",
        "notices_consented_at": timezone.now(),
        "lookup_secret": "246810",
    }
    values.update(fields)
    return DossierFactory(**values)
