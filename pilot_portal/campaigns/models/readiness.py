"""Readiness checklists: templates grouped by block, instantiated for each unit of a campaign."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilot_portal.accounts.scoping import ScopedQuerySet
from pilot_portal.core.storage import private_storage, random_folder_path
from pilot_portal.core.workflow import StatusEvent

from .campaigns import CampaignUnit, Milestone


class Block(models.TextChoices):
    PARTY = "party", _("Party committee")
    COUNCIL = "council", _("People's Council")
    COMMITTEE = "committee", _("People's Committee")
    FRONT = "front", _("Fatherland Front and mass organizations")
    SERVICE_CENTRE = "service_centre", _("Public administrative service centre")
    IT = "it", _("IT and infrastructure")


class DerivedSource(models.TextChoices):
    """Items the portal proves from other apps' data instead of a hand tick."""

    NONE = "", _("Ticked by hand")
    FIRST_HDND_CLOSED = "first_hdnd_closed", _("First HĐND session closed")
    FIRST_UBND_CLOSED = "first_ubnd_closed", _("First UBND meeting closed")
    TEST_DOSSIERS_RETURNED = "test_dossiers_returned", _("Test dossiers returned")


class ChecklistTemplateItem(models.Model):
    """One line of the readiness checklist every pilot unit receives."""

    block = models.CharField(_("block"), max_length=20, choices=Block.choices)
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    milestone = models.CharField(
        _("due relative to"), max_length=32, choices=Milestone.Kind.choices, default=Milestone.Kind.PILOT_START
    )
    offset_days = models.SmallIntegerField(
        _("days after the milestone"), default=0, help_text=_("Negative for days before the milestone.")
    )
    is_critical = models.BooleanField(_("critical"), default=False)
    derived_source = models.CharField(
        _("proved by"), max_length=32, choices=DerivedSource.choices, blank=True, default=DerivedSource.NONE
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "units_checklisttemplateitem"  # the table the units app created (moved, not renamed)
        ordering = ["block", "position", "id"]
        verbose_name = _("checklist template item")
        verbose_name_plural = _("checklist template items")

    def __str__(self) -> str:
        return self.title


class ItemStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Completed")


ITEM_TRANSITIONS: dict[str, frozenset[str]] = {
    ItemStatus.TODO: frozenset({ItemStatus.IN_PROGRESS, ItemStatus.DONE}),
    ItemStatus.IN_PROGRESS: frozenset({ItemStatus.TODO, ItemStatus.DONE}),
    ItemStatus.DONE: frozenset({ItemStatus.IN_PROGRESS}),
}


def evidence_upload_to(instance, filename: str) -> str:
    """Evidence files are private (served only by a view that checks the user's scope), one folder per unit."""
    return random_folder_path(f"checklist/{instance.campaign_unit_id}", filename)


class ChecklistItemQuerySet(ScopedQuerySet):
    unit_path = "campaign_unit__unit"


class ChecklistItem(models.Model):
    campaign_unit = models.ForeignKey(
        CampaignUnit, verbose_name=_("unit in the campaign"), on_delete=models.CASCADE, related_name="items"
    )
    template = models.ForeignKey(
        ChecklistTemplateItem, verbose_name=_("template"), on_delete=models.SET_NULL, null=True, blank=True
    )
    block = models.CharField(_("block"), max_length=20, choices=Block.choices)
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("due relative to"), on_delete=models.PROTECT, related_name="+"
    )
    offset_days = models.SmallIntegerField(_("days after the milestone"), default=0)
    is_critical = models.BooleanField(_("critical"), default=False)
    derived_source = models.CharField(
        _("proved by"), max_length=32, choices=DerivedSource.choices, blank=True, default=DerivedSource.NONE
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.TODO, editable=False
    )
    evidence_note = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to=evidence_upload_to, storage=private_storage, blank=True, max_length=255
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    #: Raised by every save of the service: a form carries the version it showed, so a save from a form another user
    #: saved meanwhile is refused instead of silently replacing their note.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        db_table = "units_checklistitem"  # the table the units app created (moved, not renamed)
        ordering = ["campaign_unit", "block", "position", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign_unit", "template"],
                name="unique_item_per_template",
                condition=models.Q(template__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def milestone_date(self) -> date:
        """The day the item's milestone falls on for the item's unit: the campaign's date, except the pilot start of
        a unit in a wave, which is the day its wave starts (Vietnam time). Reads ``campaign_unit.wave``: load it with
        the item (``select_related("campaign_unit__wave")``) or set the unit loaded with its wave."""
        if self.milestone.kind == Milestone.Kind.PILOT_START:
            wave = self.campaign_unit.wave
            if wave is not None:
                return timezone.localdate(wave.starts_at)
        return self.milestone.date

    @property
    def due_date(self) -> date:
        """Follows the milestone (its unit's wave for the pilot start): moving the milestone, moving the wave's start
        or putting the unit in another wave moves every item due relative to it."""
        return self.milestone_date + timedelta(days=self.offset_days)

    @property
    def evidence_filename(self) -> str:
        return self.evidence_file.name.rsplit("/", 1)[-1] if self.evidence_file else ""

    @property
    def is_derived(self) -> bool:
        return bool(self.derived_source)


class ChecklistItemEvent(StatusEvent):
    """Append-only history of a checklist item's status."""

    subject_field = "item"

    item = models.ForeignKey(ChecklistItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=16, choices=ItemStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=ItemStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta(StatusEvent.Meta):
        db_table = "units_checklistitemevent"  # the table the units app created (moved, not renamed)
        verbose_name = _("checklist item change")
        verbose_name_plural = _("checklist item changes")
