"""SMS to citizens through a pluggable gateway: ``SERVICE_CENTER_SMS_BACKEND`` is the dotted path of a class with
``send(*, to, text, reference) -> str``, which raises :class:`SmsError` when the message did not go.

- ``ConsoleBackend`` (the embedded default): logs the message;
- ``FileBackend`` (the tests): writes each message as a JSON file into ``SERVICE_CENTER_SMS_FILE_PATH``;
- ``HttpGatewayBackend``: POSTs JSON to a provider's HTTP API (``SMS_GATEWAY_URL``, ``SMS_GATEWAY_TOKEN``,
  ``SMS_GATEWAY_SENDER``, ``SMS_GATEWAY_TIMEOUT``), the default when ``SMS_GATEWAY_URL`` is set.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway did not take the message (unreachable, timed out, refused): the sender retries later."""


def international(phone: str) -> str:
    """``0912345678`` as the gateways want it: ``84912345678``."""
    return f"84{phone[1:]}" if phone.startswith("0") else phone


class ConsoleBackend:
    def send(self, *, to: str, text: str, reference: str = "") -> str:
        logger.info("SMS to %s (%s): %s", to, reference, text)
        return ""


class FileBackend:
    """One JSON file per message (``to``, ``text``, ``reference``, ``at``) in ``SERVICE_CENTER_SMS_FILE_PATH``."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or settings.SERVICE_CENTER_SMS_FILE_PATH)

    def send(self, *, to: str, text: str, reference: str = "") -> str:
        message_id = uuid.uuid4().hex
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            payload = {"to": to, "text": text, "reference": reference, "at": timezone.now().isoformat()}
            target = self.path / f"{timezone.now():%Y%m%d-%H%M%S}-{message_id}.json"
            target.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        except OSError as exc:
            raise SmsError(f"cannot write the SMS file: {exc}") from exc
        return message_id


class HttpGatewayBackend:
    """A provider's HTTP API: ``POST {url}`` with ``Authorization: Bearer {token}`` and the JSON body
    ``{"to": "849…", "from": sender, "text": …, "reference": …}``; any 2xx answer is a success (its JSON ``id``,
    when there is one, is kept), anything else or no answer within the timeout a failure to retry."""

    def __init__(self, *, url: str = "", token: str = "", sender: str = "", timeout: float | None = None):
        self.url = url or settings.SERVICE_CENTER_SMS_GATEWAY_URL
        self.token = token or settings.SERVICE_CENTER_SMS_GATEWAY_TOKEN
        self.sender = sender or settings.SERVICE_CENTER_SMS_SENDER
        self.timeout = timeout or settings.SERVICE_CENTER_SMS_GATEWAY_TIMEOUT
        if not self.url.startswith(("https://", "http://")):
            raise SmsError("SMS_GATEWAY_URL is not set to an http(s) address")

    def send(self, *, to: str, text: str, reference: str = "") -> str:
        body = json.dumps(
            {"to": international(to), "from": self.sender, "text": text, "reference": reference}, ensure_ascii=False
        ).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = response.read(64 * 1024)
        except urllib.error.HTTPError as exc:
            raise SmsError(f"the SMS gateway answered {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:  # refused, unreachable, timed out
            raise SmsError(f"the SMS gateway cannot be reached: {getattr(exc, 'reason', exc)}") from exc
        try:
            return str(json.loads(answer or b"{}").get("id", ""))
        except (ValueError, AttributeError):
            return ""


def sms_backend():
    return import_string(settings.SERVICE_CENTER_SMS_BACKEND)()
