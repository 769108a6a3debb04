"""Daily readiness snapshots: where each campaign unit stood at the end of each day, for the trend charts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pilot_portal.accounts.scoping import ScopedQuerySet

from .campaigns import CampaignUnit, PilotStatus


class ReadinessSnapshotQuerySet(ScopedQuerySet):
    unit_path = "campaign_unit__unit"


class ReadinessSnapshot(models.Model):
    """One row per campaign unit per day (taken by the nightly task, or back-filled from the histories)."""

    campaign_unit = models.ForeignKey(
        CampaignUnit, verbose_name=_("unit in the campaign"), on_delete=models.CASCADE, related_name="snapshots"
    )
    day = models.DateField(_("day"))
    pilot_status = models.CharField(_("pilot status"), max_length=16, choices=PilotStatus.choices)
    items_done = models.PositiveIntegerField(_("checklist items done"))
    items_total = models.PositiveIntegerField(_("checklist items"))
    #: ``{block: [done, total]}``
    blocks = models.JSONField(_("by block"), default=dict)
    gate_passes = models.BooleanField(_("passes the go-live gate"))
    dossiers_received = models.PositiveIntegerField(_("dossiers received"))
    test_dossiers_returned = models.PositiveIntegerField(_("test dossiers returned"))
    first_hdnd_closed = models.BooleanField(_("first HĐND session closed"))
    first_ubnd_closed = models.BooleanField(_("first UBND meeting closed"))
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    objects = ReadinessSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["campaign_unit", "day"]
        verbose_name = _("readiness snapshot")
        verbose_name_plural = _("readiness snapshots")
        constraints = [models.UniqueConstraint(fields=["campaign_unit", "day"], name="unique_snapshot_per_day")]

    def __str__(self) -> str:
        return f"{self.campaign_unit} {self.day:%d/%m/%Y}"

    @property
    def percent(self) -> int:
        return round(100 * self.items_done / self.items_total) if self.items_total else 0
