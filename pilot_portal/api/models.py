"""Personal API tokens, webhook receivers and the log of their deliveries."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token: ``pp_<prefix>_<secret>``. Only the SHA-256 of the whole token is stored; the prefix finds
    the row. The token acts as its user, with the user's role and scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} (pp_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


#: Only http and https: a receiver URL never reads a local file or speaks another protocol (see the README).
WEBHOOK_SCHEMES = ("http", "https")


class WebhookReceiver(models.Model):
    """A system that is told of every status change of the dossiers of a province or of one unit."""

    name = models.CharField(_("name"), max_length=200)
    url = models.CharField(_("receiver URL"), max_length=500, validators=[URLValidator(schemes=list(WEBHOOK_SCHEMES))])
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        help_text=_("Shared with the receiver, which checks the X-Pilot-Signature header with it."),
    )
    province = models.ForeignKey(
        "units.Province",
        verbose_name=_("province"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Every unit of the province; leave empty when the receiver is for one unit."),
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("commune-level unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook receiver")
        verbose_name_plural = _("webhook receivers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(province__isnull=True, unit__isnull=False)
                | models.Q(province__isnull=False, unit__isnull=True),
                name="webhook_receiver_one_scope",
                violation_error_message=_("Choose a province or a unit, not both."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if bool(self.province_id) == bool(self.unit_id):
            raise ValidationError(_("Choose a province or a unit, not both."))


class WebhookDelivery(models.Model):
    """One status change sent (or to be sent) to one receiver, with what happened on each attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    receiver = models.ForeignKey(
        WebhookReceiver, verbose_name=_("receiver"), on_delete=models.CASCADE, related_name="deliveries"
    )
    dossier = models.ForeignKey(
        "service_center.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="+"
    )
    #: What identifies the change: the status it went to and when (one delivery per change and receiver).
    to_status = models.CharField(_("status code"), max_length=2)
    changed_at = models.DateTimeField(_("changed at"))
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("delivery status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("last response status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["receiver", "dossier", "to_status", "changed_at"], name="unique_webhook_delivery"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.receiver} · {self.payload.get('dossier_code', '')} → {self.to_status}"
