"""Writes of the notifications app: ``notify`` (idempotent), reading and preferences.

The e-mails (one per notification, or the daily digest) are sent by ``delivery``; its senders stay importable from
here.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from .delivery import BROKER_ERRORS as BROKER_ERRORS
from .delivery import DIGEST_HOUR as DIGEST_HOUR
from .delivery import EMAIL_BATCH as EMAIL_BATCH
from .delivery import absolute_link as absolute_link
from .delivery import queue_notification_emails
from .delivery import send_daily_digests as send_daily_digests
from .delivery import send_notification_emails as send_notification_emails
from .models import Kind, Notification, Preference

#: Rows per INSERT statement of ``notify_many`` (PostgreSQL takes any number in one statement).
INSERT_BATCH = 2000


@dataclass(frozen=True)
class Message:
    """One notification to send: who, what, and the key that makes it unique for that recipient."""

    recipient_id: int
    kind: str
    key: str
    title: str
    body: str = ""
    link: str = ""


@dataclass(frozen=True)
class Stored:
    """A notification just stored by ``notify_many``: its id and what it was made of."""

    pk: int
    message: Message
    #: Whether the recipient wants it by e-mail now, when the insert could tell (PostgreSQL), else ``None``.
    email_now: bool | None = None

    @property
    def recipient_id(self) -> int:
        return self.message.recipient_id


# What the notifications stored in this context were (for ``send_reminders`` to print them).
_sent_log: contextvars.ContextVar[list[Message] | None] = contextvars.ContextVar("notifications_sent", default=None)


@contextmanager
def recording() -> Iterator[list[Message]]:
    """Collect every notification actually stored (not the duplicates) while the block runs."""
    log: list[Message] = []
    token = _sent_log.set(log)
    try:
        yield log
    finally:
        _sent_log.reset(token)


def notify(*, recipient, kind: str, key: str, title: str, body: str = "", link: str = "") -> Notification | None:
    """Store one notification and e-mail it after commit, unless this recipient already has one with ``key``.

    Returns the new notification, or ``None`` when it was a duplicate. Safe under concurrent and repeated calls:
    the row is inserted with ``ON CONFLICT DO NOTHING`` on the unique (recipient, key) constraint, so exactly one
    caller stores it and only that caller e-mails it.
    """
    recipient_id = recipient if isinstance(recipient, int) else recipient.pk
    stored = notify_many([Message(recipient_id, kind, key, title, body, link)])
    return Notification.objects.get(pk=stored[0].pk) if stored else None


def notify_many(messages: Iterable[Message]) -> list[Stored]:
    """``notify`` for many messages at once, in a constant number of queries (on SQLite: per ``INSERT_BATCH``).

    Returns what was stored; the duplicates are left out.
    """
    messages = _validated(messages)
    if not messages:
        return []
    now = timezone.now()
    stored: list[Stored] = []
    with transaction.atomic():
        batch = len(messages) if connection.vendor == "postgresql" else INSERT_BATCH
        for start in range(0, len(messages), batch):
            stored.extend(_insert_ignoring_duplicates(messages[start : start + batch], now))
        if stored:
            log = _sent_log.get()
            if log is not None:
                log.extend(n.message for n in stored)
            if all(n.email_now is not None for n in stored):
                to_email = [n.pk for n in stored if n.email_now]
            else:
                to_email = _ids_to_email(stored)
            if to_email:

                def queue_emails():
                    queue_notification_emails(notification_ids=to_email)

                transaction.on_commit(queue_emails, robust=True)
    return stored


def _validated(messages: Iterable[Message]) -> list[Message]:
    """What ``full_clean`` would check for these fields (choices, lengths), without its per-row cost."""
    opts = Notification._meta
    key_length, link_length = opts.get_field("key").max_length, opts.get_field("link").max_length
    kinds = set(Kind.values)
    unique: dict[tuple[int, str], Message] = {}
    for message in messages:
        if message.kind not in kinds:
            raise ValidationError({"kind": f"Unknown kind of notification: {message.kind!r}"})
        if not message.key or len(message.key) > key_length:
            raise ValidationError({"key": f"A key of 1 to {key_length} characters is required: {message.key!r}"})
        if not message.title or len(message.link) > link_length:
            raise ValidationError({"title": "A title is required, and a link of at most 500 characters."})
        unique.setdefault((message.recipient_id, message.key), message)
    return list(unique.values())


def _insert_ignoring_duplicates(messages: list[Message], now: datetime) -> list[Stored]:
    opts = Notification._meta
    columns = ["recipient_id", "kind", "key", "title", "body", "link", "created_at"]
    fields = [opts.get_field("recipient"), *(opts.get_field(c) for c in columns[1:])]
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        # One statement whatever the number of rows: the rows travel as one JSON document (json.dumps is much
        # cheaper than adapting six arrays element by element).
        rows = [
            {"r": m.recipient_id, "k": m.kind, "y": m.key, "t": m.title[:255], "b": m.body, "l": m.link}
            for m in messages
        ]
        source = (
            "SELECT j.r, j.k, j.y, j.t, j.b, j.l, %s FROM json_to_recordset(%s::json) "
            "AS j(r bigint, k text, y text, t text, b text, l text)"
        )
        params = [now, json.dumps(rows, ensure_ascii=False)]
    else:
        params = []
        for m in messages:
            values = [m.recipient_id, m.kind, m.key, m.title[:255], m.body, m.link, now]
            params.extend(f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True))
        placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(messages))
        source = f"VALUES {placeholders}"
    sql = (
        f"INSERT INTO {qn(opts.db_table)} ({', '.join(qn(c) for c in columns)}) {source} "
        f"ON CONFLICT ({qn('recipient_id')}, {qn('key')}) DO NOTHING "
        f"RETURNING {qn('id')}, {qn('recipient_id')}, {qn('key')}"
    )
    by_key = {(m.recipient_id, m.key): m for m in messages}
    if connection.vendor == "postgresql":
        # The same statement tells, for each new row, whether its recipient wants it by e-mail now (an active user
        # with an address, and no preference row, or one without the digest that lists the kind).
        user_table = qn(get_user_model()._meta.db_table)
        sql = (
            f"WITH ins AS ({sql}, {qn('kind')}) "
            f"SELECT ins.id, ins.recipient_id, ins.key, "
            f"u.is_active AND u.email <> '' AND (p.id IS NULL OR (NOT p.daily_digest AND p.email_kinds ? ins.kind)) "
            f"FROM ins JOIN {user_table} u ON u.id = ins.recipient_id "
            f"LEFT JOIN {qn(Preference._meta.db_table)} p ON p.user_id = ins.recipient_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [Stored(pk, by_key[(recipient_id, key)], bool(email)) for pk, recipient_id, key, email in rows]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [Stored(pk, by_key[(recipient_id, key)]) for pk, recipient_id, key in rows]


def _ids_to_email(stored: list[Stored]) -> list[int]:
    """The new notifications whose recipient wants them by e-mail now (one query)."""
    wants: dict[int, tuple[bool, list | None]] = {
        pk: (bool(digest), kinds)
        for pk, digest, kinds in get_user_model()
        .objects.filter(pk__any={n.recipient_id for n in stored}, is_active=True)
        .exclude(email="")
        .values_list("pk", "notification_preference__daily_digest", "notification_preference__email_kinds")
    }
    wanted = []
    for n in stored:
        if n.recipient_id not in wants:
            continue
        digest, kinds = wants[n.recipient_id]
        if kinds is None or (not digest and n.message.kind in kinds):  # no preference row: everything, now
            wanted.append(n.pk)
    return wanted


def notification_mark_read(*, notification: Notification, user) -> bool:
    """Mark one of ``user``'s notifications read; returns whether it was unread."""
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    with transaction.atomic():
        return bool(
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        )


def notification_mark_all_read(*, user) -> int:
    with transaction.atomic():
        return Notification.objects.for_recipient(user).unread().update(read_at=timezone.now())


def preference_update(*, user, email_kinds: list[str], daily_digest: bool) -> Preference:
    with transaction.atomic():
        preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
        preference.email_kinds = [kind for kind in Kind.values if kind in set(email_kinds)]
        preference.daily_digest = daily_digest
        preference.full_clean()
        preference.save()
    return preference
