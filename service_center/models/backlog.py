"""The district backlog (hồ sơ tồn đọng của cấp huyện tiếp nhận lại): the lists uploaded and each dossier's record."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pilot_portal.accounts.scoping import ScopedQuerySet
from pilot_portal.core.storage import private_storage

from . import Dossier, backlog_upload_to


class BacklogImportQuerySet(ScopedQuerySet):
    unit_path = "unit"


class BacklogImport(models.Model):
    """A district's backlog list uploaded by a clerk: kept (private) between the dry run and the import."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("commune-level unit"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    file = models.FileField(_("file"), storage=private_storage, upload_to=backlog_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("dossiers created"), default=0)
    skipped_count = models.PositiveIntegerField(_("rows not imported"), default=0)

    objects = BacklogImportQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("backlog import")
        verbose_name_plural = _("backlog imports")

    def __str__(self) -> str:
        return f"{self.original_name} · {self.uploaded_at:%d/%m/%Y %H:%M}"


class BacklogRecordQuerySet(ScopedQuerySet):
    unit_path = "unit"


class BacklogRecord(models.Model):
    """What a backlog dossier brings from the abolished district level: its old file number, the old district and
    the hand-over date. The dossier itself keeps the original receipt and due times (its clock continues)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="backlog")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("commune-level unit"), on_delete=models.PROTECT, related_name="+"
    )
    old_number = models.CharField(_("old file number"), max_length=64)
    old_district = models.CharField(_("old district"), max_length=100)
    old_district_code = models.CharField(
        _("old district GSO code"), max_length=3, blank=True, help_text=_("Filled when the registry knows it.")
    )
    handed_over_on = models.DateField(_("handed over on"))
    batch = models.ForeignKey(
        BacklogImport,
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
    )

    objects = BacklogRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("district backlog record")
        verbose_name_plural = _("district backlog records")
        constraints = [models.UniqueConstraint(fields=["unit", "old_number"], name="unique_backlog_old_number")]

    def __str__(self) -> str:
        return f"{self.old_number} → {self.dossier_id}"
