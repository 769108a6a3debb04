"""In-app notifications, each stored once per recipient and occasion, and what a user wants by e-mail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MILESTONE = "milestone", _("Campaign milestones")
    READINESS = "readiness", _("Readiness items")
    SESSION = "session", _("Sessions and meetings")
    DOSSIER = "dossier", _("Dossier deadlines")
    APOLOGY = "apology", _("Apology deadlines")
    ISSUE = "issue", _("Pilot issues and the province's answers")
    PILOT = "pilot", _("Pilot status and go-live decisions")
    SYSTEM = "system", _("System messages")


def all_kinds() -> list[str]:
    return list(Kind.values)


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # the unique (recipient, key) and the two indexes below all start with it
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    #: What makes this notification unique for its recipient, e.g. ``dossier:42:due:2025-06-20``.
    key = models.CharField(_("idempotency key"), max_length=200)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    #: Failed attempts at e-mailing it, and when the retry sweep tries again (None: nothing to retry).
    email_attempts = models.PositiveSmallIntegerField(_("failed e-mail attempts"), default=0, db_default=0)
    email_retry_at = models.DateTimeField(_("next e-mail attempt"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key")]
        indexes = [
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
            models.Index(
                fields=["email_retry_at"],
                condition=models.Q(emailed_at__isnull=True, email_retry_at__isnull=False),
                name="notification_email_retry_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """What a user receives by e-mail. A user without a row gets every kind, immediately."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_kinds = models.JSONField(_("kinds sent by e-mail"), default=all_kinds, blank=True)
    daily_digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_("One e-mail a day with everything new, instead of one e-mail per notification."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        unknown = set(self.email_kinds or []) - set(Kind.values)
        if unknown:
            raise ValidationError({"email_kinds": _("Unknown kind of notification.")})

    def wants_email(self, kind: str) -> bool:
        return kind in self.email_kinds


class DigestDelivery(models.Model):
    """One daily digest per user and day: the unique constraint keeps a retried task from sending it twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    day = models.DateField(_("day"))
    notification_count = models.PositiveIntegerField(_("notifications"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"
