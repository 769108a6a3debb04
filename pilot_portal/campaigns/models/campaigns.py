"""Pilot campaigns: one per province, with milestones, waves and each unit's pilot status."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pilot_portal.accounts.scoping import ScopedQuerySet
from pilot_portal.core.workflow import StatusEvent
from units.models import Province, Unit


class CampaignQuerySet(ScopedQuerySet):
    province_path = "province"


class Campaign(models.Model):
    """The pilot (vận hành thử nghiệm) of a province's new commune-level units."""

    province = models.OneToOneField(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="campaign"
    )
    name = models.CharField(_("name"), max_length=200)
    session_budget_minutes = models.PositiveSmallIntegerField(
        _("session time budget (minutes)"),
        default=45,
        help_text=_("Longest a first HĐND session or UBND meeting should last."),
    )
    go_live_test_dossiers = models.PositiveSmallIntegerField(
        _("test dossiers returned to go live"),
        default=1,
        help_text=_("How many test dossiers a unit's service centre must have returned before going live."),
    )
    issue_answer_working_days = models.PositiveSmallIntegerField(
        _("working days to answer an issue"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("The province answers each issue a unit raises within this many working days."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        db_table = "units_campaign"  # the table the units app created (moved, not renamed)
        ordering = ["province__code"]
        verbose_name = _("pilot campaign")
        verbose_name_plural = _("pilot campaigns")

    def __str__(self) -> str:
        return self.name


class MilestoneQuerySet(ScopedQuerySet):
    province_path = "campaign__province"


class Milestone(models.Model):
    class Kind(models.TextChoices):
        PILOT_START = "pilot_start", _("Pilot start")
        REVIEW_MEETING = "review_meeting", _("Review meeting")
        OLD_PROCEDURE_CUTOFF = "old_procedure_cutoff", _("Old-procedure cut-off")
        GO_LIVE = "go_live", _("Go-live")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("milestone"), max_length=32, choices=Kind.choices)
    date = models.DateField(_("date"))

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        db_table = "units_milestone"  # the table the units app created (moved, not renamed)
        ordering = ["campaign", "date"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [models.UniqueConstraint(fields=["campaign", "kind"], name="unique_campaign_milestone")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class WaveQuerySet(ScopedQuerySet):
    province_path = "campaign__province"


class Wave(models.Model):
    """A group of units starting the pilot at the same time (e.g. Lê Đại Hành the morning of 16/6)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="waves")
    name = models.CharField(_("name"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))

    objects = WaveQuerySet.as_manager()

    class Meta:
        db_table = "units_wave"  # the table the units app created (moved, not renamed)
        ordering = ["campaign", "starts_at"]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")

    def __str__(self) -> str:
        return self.name


class PilotStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PILOTING = "piloting", _("Piloting")
    REVIEWED = "reviewed", _("Reviewed")
    LIVE = "live", _("Live")


#: The only status changes a unit's pilot may go through. Going live also needs the go-live gate.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    PilotStatus.NOT_STARTED: frozenset({PilotStatus.PILOTING}),
    PilotStatus.PILOTING: frozenset({PilotStatus.REVIEWED, PilotStatus.NOT_STARTED}),
    PilotStatus.REVIEWED: frozenset({PilotStatus.LIVE, PilotStatus.PILOTING}),
    PilotStatus.LIVE: frozenset(),
}


class CampaignUnitQuerySet(ScopedQuerySet):
    unit_path = "unit"


class CampaignUnit(models.Model):
    """A unit taking part in a campaign, with its wave and pilot status."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="units")
    unit = models.OneToOneField(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="campaign_unit")
    wave = models.ForeignKey(
        Wave, verbose_name=_("wave"), on_delete=models.SET_NULL, null=True, blank=True, related_name="units"
    )
    status = models.CharField(
        _("pilot status"), max_length=16, choices=PilotStatus.choices, default=PilotStatus.NOT_STARTED, editable=False
    )
    live_override_reason = models.TextField(
        _("go-live override reason"),
        blank=True,
        editable=False,
        help_text=_("Why the province let the unit go live although the go-live gate did not pass."),
    )

    objects = CampaignUnitQuerySet.as_manager()

    class Meta:
        db_table = "units_campaignunit"  # the table the units app created (moved, not renamed)
        ordering = ["campaign", "unit__name"]
        verbose_name = _("unit in the campaign")
        verbose_name_plural = _("units in the campaign")

    def __str__(self) -> str:
        return str(self.unit)


class CampaignUnitEvent(StatusEvent):
    """Append-only history of a unit's pilot status."""

    subject_field = "campaign_unit"

    campaign_unit = models.ForeignKey(
        CampaignUnit, verbose_name=_("unit in the campaign"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=PilotStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=PilotStatus.choices)
    # May be empty: a change made by the system rather than a user.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta(StatusEvent.Meta):
        db_table = "units_campaignunitevent"  # the table the units app created (moved, not renamed)
        verbose_name = _("pilot status change")
        verbose_name_plural = _("pilot status changes")


class CampaignChangeQuerySet(ScopedQuerySet):
    province_path = "campaign__province"


class CampaignChange(models.Model):
    """One change the province made to its own campaign (a milestone's date, a wave's start, a limit): the
    campaign's history, only ever added to (``services.campaign_plan_update`` writes it)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    what = models.CharField(_("what"), max_length=255)
    old_value = models.CharField(_("before"), max_length=100)
    new_value = models.CharField(_("after"), max_length=100)
    note = models.TextField(_("note"), blank=True)

    objects = CampaignChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("campaign change")
        verbose_name_plural = _("campaign changes")
        indexes = [models.Index(fields=["campaign", "at"])]

    def __str__(self) -> str:
        return f"{self.what}: {self.old_value} → {self.new_value}"
