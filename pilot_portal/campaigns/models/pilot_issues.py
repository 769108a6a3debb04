"""The issues log of the pilot: shortcomings, obstacles and proposals raised by units, answered by the province."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilot_portal.accounts.scoping import ScopedQuerySet
from pilot_portal.core.workflow import StatusEvent

from .campaigns import CampaignUnit
from .readiness import Block


class IssueCategory(models.TextChoices):
    SHORTCOMING = "shortcoming", _("Shortcoming")
    OBSTACLE = "obstacle", _("Obstacle")
    PROPOSAL = "proposal", _("Proposal")


class IssueSeverity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Not answered")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


ISSUE_TRANSITIONS: dict[str, frozenset[str]] = {
    IssueStatus.OPEN: frozenset({IssueStatus.ANSWERED, IssueStatus.CLOSED}),
    IssueStatus.ANSWERED: frozenset({IssueStatus.OPEN, IssueStatus.CLOSED, IssueStatus.ANSWERED}),
    IssueStatus.CLOSED: frozenset({IssueStatus.OPEN}),
}


#: The filter value and label of the issues without a block (raised before the field existed).
NO_BLOCK = "none"
NO_BLOCK_LABEL = _("Not assigned to a block")


class PilotIssueQuerySet(ScopedQuerySet):
    unit_path = "campaign_unit__unit"

    def unresolved(self):
        return self.exclude(status=IssueStatus.CLOSED)


class PilotIssue(models.Model):
    campaign_unit = models.ForeignKey(
        CampaignUnit, verbose_name=_("unit in the campaign"), on_delete=models.CASCADE, related_name="issues"
    )
    category = models.CharField(_("category"), max_length=16, choices=IssueCategory.choices)
    severity = models.CharField(
        _("severity"), max_length=16, choices=IssueSeverity.choices, default=IssueSeverity.MEDIUM
    )
    #: The block of the checklist the issue concerns (Party committee, HĐND, UBND...). The unit chooses it when
    #: raising the issue; issues raised before the field existed have none ("not assigned to a block").
    block = models.CharField(_("block"), max_length=20, choices=Block.choices, blank=True, default="")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    proposed_fix = models.TextField(_("proposed fix"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.OPEN, editable=False
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    #: When the province's answer is due: the campaign's working days after the issue was raised (office time of
    #: the service centre's calendar, holidays included); set by ``services.pilot_issue_raise``.
    answer_due_at = models.DateTimeField(_("answer due"), null=True, blank=True, editable=False)
    answer = models.TextField(_("province's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    #: The form's one-time token: a double submit finds the issue of the first submit instead of raising another.
    submit_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = PilotIssueQuerySet.as_manager()

    class Meta:
        db_table = "units_pilotissue"  # the table the units app created (moved, not renamed)
        ordering = ["-raised_at", "-id"]
        verbose_name = _("pilot issue")
        verbose_name_plural = _("pilot issues")
        indexes = [models.Index(fields=["status", "severity"])]

    def __str__(self) -> str:
        return self.title

    def get_block_label(self) -> str:
        """The block's label, or "not assigned to a block" for an issue raised before blocks were asked."""
        return self.get_block_display() if self.block else str(NO_BLOCK_LABEL)

    @property
    def is_critical(self) -> bool:
        return self.severity == IssueSeverity.CRITICAL

    #: The moment an as-of view looks at (set on display-only instances; ``None``: now).
    looked_at = None

    @property
    def answer_overdue(self) -> bool:
        """Not answered yet and past the answer's due time, at the moment looked at (now unless an as-of view)."""
        due = self.answer_due_at
        return self.status == IssueStatus.OPEN and due is not None and due < (self.looked_at or timezone.now())


class PilotIssueEvent(StatusEvent):
    """Append-only history of an issue's status."""

    subject_field = "issue"

    issue = models.ForeignKey(PilotIssue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=16, choices=IssueStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=IssueStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta(StatusEvent.Meta):
        db_table = "units_pilotissueevent"  # the table the units app created (moved, not renamed)
        verbose_name = _("issue change")
        verbose_name_plural = _("issue changes")
