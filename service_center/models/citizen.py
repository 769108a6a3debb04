"""What the citizen receives and gives: the notices sent to them, and their satisfaction rating (Decision 766)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import Dossier


class CitizenNotice(models.Model):
    """One notice to the citizen by one channel (e-mail or SMS), logged with its sending attempts.

    Rows are written in the transaction of the change they announce and sent after its commit by a Celery task;
    ``key`` makes each notice unique (a retried or repeated change never sends it twice).
    """

    class Kind(models.TextChoices):
        RESULT_READY = "result", _("Result ready")
        SUPPLEMENT = "supplement", _("Supplement needed")
        NEW_DUE_DATE = "new_date", _("New due date (apology)")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("sent to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"))
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("notice to the citizen")
        verbose_name_plural = _("notices to citizens")
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(status="pending"), name="citizen_notice_pending_idx")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.get_kind_display()} · {self.get_channel_display()}"


class DossierRating(models.Model):
    """The citizen's satisfaction with the handling of a returned dossier (Decision 766/QĐ-TTg): one per dossier."""

    class Level(models.TextChoices):
        VERY_SATISFIED = "3", _("Very satisfied")
        SATISFIED = "2", _("Satisfied")
        UNSATISFIED = "1", _("Not satisfied")

    class Source(models.TextChoices):
        COUNTER = "counter", _("Tablet at the counter")
        LOOKUP = "lookup", _("Public lookup")

    #: One rating per dossier, held by the database (the one-to-one field is a unique column).
    dossier = models.OneToOneField(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="rating")
    level = models.CharField(_("level"), max_length=1, choices=Level.choices)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    source = models.CharField(_("rated from"), max_length=8, choices=Source.choices, default=Source.COUNTER)
    rated_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        ordering = ["-rated_at", "-id"]
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        indexes = [models.Index(fields=["rated_at"])]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.get_level_display()}"
