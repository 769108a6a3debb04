"""Notices to the citizen: the result is ready, a supplement is needed, the apology moved the due date.

``notices_queue`` runs inside the transaction of the change: it writes one ``CitizenNotice`` per channel the
citizen gave (e-mail, mobile phone), only when their consent was recorded at intake, and queues the sending task
after the commit. Nothing here blocks the counter: when the broker is down the enqueue error is logged and the
notices stay pending; the ``citizen_notices_pending`` sweep queues them again later. The task sends one notice
(row locked: a duplicate task finds it sent and does nothing), retries a failed gateway or mail server with
backoff and marks the notice failed once the retries are used up.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from urllib.parse import urlencode

from celery import Task, shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import InterfaceError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pilot_portal.core.links import public_url

from .models import CitizenNotice, Dossier
from .sms import SmsError, sms_backend
from .validators import is_mobile_phone

logger = logging.getLogger(__name__)

Kind = CitizenNotice.Kind
#: Retries of a notice whose gateway or mail server failed, after 5 s, 10 s, 20 s ... (at most 10 minutes apart).
MAX_RETRIES = 6
#: A pending notice older than this (its task lost with a broker that was down) is queued again by the sweep.
STALE_AFTER = dt.timedelta(minutes=15)


class NoticeNotSent(Exception):
    """The gateway or the mail server did not take the notice; the task retries it."""


def lookup_link(dossier: Dossier) -> str:
    return public_url(f"{reverse('lookup:lookup')}?{urlencode({'ma': dossier.code})}")


def unaccented(text: str) -> str:
    """Vietnamese without diacritics (đ -> d), case kept: SMS brandname templates are written so, and a message
    in the GSM alphabet holds 160 characters where one with diacritics holds 70."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _texts(dossier: Dossier, kind: str, items: list[str]) -> tuple[str, str, str]:
    """(e-mail subject, e-mail body, SMS text): the dossier code, the unit and the lookup link, nothing personal."""
    values = {
        "code": dossier.code,
        "unit": dossier.unit.name,
        "procedure": dossier.procedure.name,
        "link": lookup_link(dossier),
        "due": timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y"),
    }
    if kind == Kind.RESULT_READY:
        subject = _("Dossier %(code)s: the result is ready") % values
        lead = _(
            "The result of dossier %(code)s (%(procedure)s) at %(unit)s is ready. Please come to the one-stop "
            "counter with your receipt to collect it."
        )
        sms = _("%(unit)s: the result of dossier %(code)s is ready, please come to collect it. Lookup: %(link)s")
    elif kind == Kind.SUPPLEMENT:
        subject = _("Dossier %(code)s: papers to supplement") % values
        lead = _("Dossier %(code)s (%(procedure)s) at %(unit)s needs a supplement. What is missing:")
        sms = _("%(unit)s: dossier %(code)s needs a supplement. What is missing: %(link)s")
    else:
        subject = _("Dossier %(code)s: new date to return the result") % values
        lead = _(
            "We apologise: the result of dossier %(code)s (%(procedure)s) at %(unit)s will be returned at "
            "%(due)s instead of the date on your receipt."
        )
        sms = _("%(unit)s apologises: the result of dossier %(code)s will be returned at %(due)s. Lookup: %(link)s")
    lines = [_("Dear citizen,"), "", lead % values]
    if kind == Kind.SUPPLEMENT:
        lines.extend(f"- {item}" for item in items)
    lines += [
        "",
        _("Follow your dossier with its code and the lookup code on your receipt: %(link)s") % values,
        "",
        _("This message was sent automatically; please do not reply to it."),
    ]
    return subject, "\n".join(lines), unaccented(sms % values)


def notices_queue(*, dossier: Dossier, kind: str, occasion: str = "", items: list[str] | None = None) -> list[int]:
    """Write the notices of ``kind`` for ``dossier`` (call inside the transaction of the change) and queue their
    sending after the commit. ``occasion`` tells two notices of the same kind apart (a second supplement request).
    Returns the ids of the notices written now (none without consent, or when they exist already)."""
    if dossier.notices_consented_at is None:
        return []
    recipients = []
    if dossier.applicant_email:
        recipients.append((CitizenNotice.Channel.EMAIL, dossier.applicant_email))
    if is_mobile_phone(dossier.applicant_phone):
        recipients.append((CitizenNotice.Channel.SMS, dossier.applicant_phone))
    if not recipients:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        subject, body, sms = _texts(dossier, kind, items or [])
    created = []
    for channel, address in recipients:
        notice, is_new = CitizenNotice.objects.get_or_create(
            key=f"dossier:{dossier.pk}:{kind}:{occasion}:{channel}",
            defaults={
                "dossier": dossier,
                "kind": kind,
                "channel": channel,
                "recipient": address,
                "subject": subject if channel == CitizenNotice.Channel.EMAIL else "",
                "body": body if channel == CitizenNotice.Channel.EMAIL else sms,
            },
        )
        if is_new:
            created.append(notice.pk)
    if created:
        transaction.on_commit(lambda: notices_enqueue(notice_ids=created), robust=True)
    return created


def notices_enqueue(*, notice_ids: list[int]) -> int:
    """Hand the notices to the worker; returns how many were queued. Never raises: with the broker down (or, in
    eager mode without a broker, the gateway down) the notices stay pending for the sweep and the counter goes on.
    """
    queued = 0
    eager = send_citizen_notice.app.conf.task_always_eager
    for notice_id in notice_ids:
        try:
            if eager:
                # No broker (the embedded default): one attempt right here, no retries in the clerk's request.
                notice_send(notice_id=notice_id)
            else:
                send_citizen_notice.delay(notice_id)
            queued += 1
        except NoticeNotSent:
            logger.warning("citizen notice %s not sent; it stays pending for the next sweep", notice_id)
        except Exception:
            logger.exception("could not queue citizen notice %s; it stays pending for the next sweep", notice_id)
    return queued


def notice_send(*, notice_id: int) -> bool:
    """Send one pending notice; returns whether it went now. Raises ``NoticeNotSent`` when the gateway or the mail
    server failed (the attempt and its error are recorded)."""
    with transaction.atomic():
        notice = (
            CitizenNotice.objects.select_for_update(of=("self",))
            .select_related("dossier")
            .filter(pk=notice_id, status=CitizenNotice.State.PENDING)
            .first()
        )
        if notice is None:
            return False  # sent or given up already (a duplicate task), or removed
        if notice.dossier.notices_consented_at is None:
            notice.status, notice.last_error = CitizenNotice.State.FAILED, "consent withdrawn"
            notice.save(update_fields=["status", "last_error"])
            return False
        notice.attempts += 1
        error = ""
        try:
            if notice.channel == CitizenNotice.Channel.SMS:
                sms_backend().send(to=notice.recipient, text=notice.body, reference=notice.key)
            else:
                EmailMessage(subject=notice.subject, body=notice.body, to=[notice.recipient]).send()
        except (SmsError, OSError) as exc:  # smtplib.SMTPException is an OSError
            error = str(exc)[:1000] or exc.__class__.__name__
        if error:
            notice.last_error = error
            if notice.attempts > MAX_RETRIES:  # in-process attempts and the sweep's too: give up as the task does
                notice.status = CitizenNotice.State.FAILED
            notice.save(update_fields=["attempts", "last_error", "status"])
        else:
            notice.status, notice.sent_at = CitizenNotice.State.SENT, timezone.now()
            notice.save(update_fields=["attempts", "status", "sent_at"])
    if error:
        raise NoticeNotSent(error)
    return True


def notices_pending(*, at: dt.datetime) -> list[int]:
    """Pending notices whose task was lost (written more than ``STALE_AFTER`` before ``at``)."""
    return list(
        CitizenNotice.objects.filter(
            status=CitizenNotice.State.PENDING, created_at__lt=at - STALE_AFTER, attempts__lte=MAX_RETRIES
        )
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:1000]
    )


class NoticeTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The retries are used up (or the error is not one to retry): the notice is marked failed."""
        notice_id = args[0] if args else kwargs.get("notice_id")
        CitizenNotice.objects.filter(pk=notice_id, status=CitizenNotice.State.PENDING).update(
            status=CitizenNotice.State.FAILED
        )
        logger.error("citizen notice %s failed after %s attempts: %s", notice_id, self.request.retries + 1, exc)


# Defined here so that queuing it needs no import of ``tasks``; ``tasks`` exports it under its name.
@shared_task(
    name="service_center.tasks.send_citizen_notice",
    base=NoticeTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(NoticeNotSent, OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=60,
    time_limit=90,
)
def send_citizen_notice(notice_id: int) -> bool:
    """Send one notice to a citizen; a failed gateway or mail server is retried with backoff, never sent twice."""
    return notice_send(notice_id=notice_id)
