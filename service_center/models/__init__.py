"""The service centre: procedure catalogue, calendar overrides, dossiers and their append-only history."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pilot_portal.accounts.scoping import ScopedQuerySet
from pilot_portal.core.storage import random_folder_path
from pilot_portal.core.text import Fold
from pilot_portal.core.workflow import StatusEvent

from ..validators import validate_identity_number, validate_phone


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) of the national catalogue."""

    class TimeUnit(models.TextChoices):
        WORKING_DAYS = "working", _("working days")
        CALENDAR_DAYS = "calendar", _("calendar days")

    class OnlineLevel(models.TextChoices):
        FULL = "full", _("Fully online")
        PARTIAL = "partial", _("Partly online")
        NONE = "none", _("Not online")

    code = models.CharField(_("national code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=500)
    field = models.CharField(_("field"), max_length=200, help_text=_("Lĩnh vực, e.g. Hộ tịch."))
    time_limit = models.PositiveSmallIntegerField(_("time limit"))
    time_unit = models.CharField(_("time limit unit"), max_length=16, choices=TimeUnit.choices)
    fee = models.PositiveIntegerField(_("fee (VND)"), default=0)
    online_level = models.CharField(_("online level"), max_length=16, choices=OnlineLevel.choices)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["field", "name"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PaperKind(models.TextChoices):
    """The form in which a paper is handed in (hình thức giấy tờ), as procedure catalogues list them."""

    ORIGINAL = "original", pgettext_lazy("paper kind", "Original")
    CERTIFIED_COPY = "certified_copy", pgettext_lazy("paper kind", "Certified copy")
    COPY = "copy", pgettext_lazy("paper kind", "Copy")


class ProcedurePaper(models.Model):
    """One paper of a procedure's dossier (thành phần hồ sơ): what the citizen hands in, and how many."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="papers"
    )
    name = models.CharField(_("paper"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=PaperKind.choices, default=PaperKind.ORIGINAL)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1, validators=[MinValueValidator(1)])
    is_required = models.BooleanField(
        _("required"), default=True, help_text=_("A dossier without it cannot be received.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["procedure", "position", "id"]
        verbose_name = _("paper of the dossier")
        verbose_name_plural = _("papers of the dossier")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "name"], name="unique_procedure_paper_name"),
            models.CheckConstraint(condition=models.Q(copies__gte=1), name="procedure_paper_copies_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class CalendarOverride(models.Model):
    """An exception to the national calendar decided locally: an extra day off or an extra working day."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Extra day off")
        WORKING_DAY = "work", _("Extra working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.get_kind_display()}"


class Status(models.TextChoices):
    """Dossier statuses with the codes used by provincial systems and the national portal."""

    RECEIVED = "2", _("Received")
    REFUSED = "3", _("Refused")
    PROCESSING = "4", _("In processing")
    SUPPLEMENT = "5", _("Awaiting supplement")
    FINANCIAL = "6", _("Awaiting financial obligation")
    WITHDRAWN = "7", _("Withdrawn by the citizen")
    STOPPED = "8", _("Processing stopped")
    DONE = "9", _("Done")
    RETURNED = "10", _("Result returned")


ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.PROCESSING, Status.SUPPLEMENT, Status.REFUSED, Status.WITHDRAWN}),
    Status.PROCESSING: frozenset(
        {Status.SUPPLEMENT, Status.FINANCIAL, Status.DONE, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED}
    ),
    Status.SUPPLEMENT: frozenset({Status.PROCESSING, Status.WITHDRAWN, Status.STOPPED}),
    Status.FINANCIAL: frozenset({Status.PROCESSING, Status.DONE, Status.WITHDRAWN, Status.STOPPED}),
    Status.DONE: frozenset({Status.RETURNED}),
    Status.RETURNED: frozenset(),
    Status.REFUSED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.STOPPED: frozenset(),
}


def with_code(status: str) -> str:
    """A status with its national code (the codes of the provincial systems and the national portal)."""
    return f"{status} · {Status(status).label}" if status else ""


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.FINANCIAL})
FINISHED_STATUSES = frozenset({Status.DONE, Status.RETURNED})
#: Actions that end a dossier without a result: the clerk confirms them on a page of their own first.
DESTRUCTIVE_STATUSES = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED})
#: A dossier can be handed to another officer while it is open, and when done (to return the result).
HANDOVER_STATUSES = OPEN_STATUSES | {Status.DONE}


#: The apology with a new date (form 04) is sent at least this long before the due time.
APOLOGY_NOTICE = dt.timedelta(days=1)

#: The earliest receipt the service centre records (the yyMMdd of a dossier code repeats every century).
EARLIEST_RECEIPT = dt.date(2000, 1, 1)


class Channel(models.TextChoices):
    DIRECT = "1", _("In person")
    ONLINE = "2", _("Online")
    POST = "3", _("Public postal service")


class ResultDelivery(models.TextChoices):
    """How the citizen gets the result: at the counter or by public post (bưu chính công ích)."""

    COUNTER = "counter", _("At the counter")
    POST = "post", _("By public post")


class DossierQuerySet(ScopedQuerySet):
    unit_path = "unit"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


def new_lookup_secret() -> str:
    return f"{secrets.randbelow(10**6):06d}"


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=64, unique=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("commune-level unit"), on_delete=models.PROTECT, related_name="dossiers"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="dossiers"
    )
    applicant_name = models.CharField(_("applicant"), max_length=200)
    #: The name folded (lower case, no diacritics) for searching "le thi hoa" as well as "Lê Thị Hoa": computed
    #: by the database from the name on every write. On PostgreSQL a trigram index (migration 0004) serves it.
    applicant_search = models.GeneratedField(
        expression=Fold("applicant_name"), output_field=models.CharField(max_length=200), db_persist=True
    )
    applicant_id_number = models.CharField(
        _("identity number (CCCD)"), max_length=12, validators=[validate_identity_number], db_index=True
    )
    applicant_phone = models.CharField(_("phone"), max_length=15, blank=True, validators=[validate_phone])
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    #: When the citizen agreed at intake to be sent notices (result ready, supplement, new date) by e-mail and SMS
    #: to the addresses above; without it nothing is sent.
    notices_consented_at = models.DateTimeField(_("consent to notices recorded at"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=1, choices=Channel.choices, default=Channel.DIRECT)
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(_("status"), max_length=2, choices=Status.choices, default=Status.RECEIVED)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officer"),
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
        null=True,
        blank=True,
    )
    result = models.TextField(_("result"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    apologized_at = models.DateTimeField(_("apology sent at"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("due date before the apology"), null=True, blank=True)
    is_test = models.BooleanField(_("test dossier"), default=False, help_text=_("A leader playing a citizen."))
    from_district_backlog = models.BooleanField(
        _("handed over from the district level"),
        default=False,
        help_text=_("Received by the abolished district level and handed over to the new unit."),
    )
    #: Decision 766/QĐ-TTg digitization: the papers were scanned into the system at reception (recorded at intake)
    #: and the result was issued as an electronic copy (recorded when it is returned).
    papers_digitized = models.BooleanField(
        _("papers digitized at reception"),
        default=False,
        help_text=_("The papers of the dossier were scanned and stored in the system when it was received."),
    )
    result_digitized = models.BooleanField(
        _("result digitized"),
        default=False,
        help_text=_("The result was digitized (an electronic copy kept in the system) when it was returned."),
    )
    lookup_secret = models.CharField(_("lookup code"), max_length=6, default=new_lookup_secret)
    intake_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    #: Where the dossier came from when another system sent it through the API (its name and its own number):
    #: one dossier per source number and unit, so a retried request finds the dossier it created.
    source_system = models.CharField(_("source system"), max_length=64, blank=True)
    source_number = models.CharField(_("number in the source system"), max_length=64, blank=True)
    fee_collected = models.PositiveIntegerField(_("fee collected (VND)"), default=0)
    fee_receipt_number = models.CharField(_("receipt number"), max_length=50, blank=True)
    result_delivery = models.CharField(
        _("result delivery"), max_length=8, choices=ResultDelivery.choices, default=ResultDelivery.COUNTER
    )
    delivery_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    #: The papers the citizen must still bring (names, as the procedure listed them when the supplement was
    #: asked), while the dossier awaits a supplement; read it through ``selectors.supplement_items``.
    supplement_papers = models.JSONField(_("papers to supplement"), default=list, blank=True)
    apology_reason = models.TextField(_("reason for the delay"), blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            # The clerk's queues (selectors.dossier_queue: open, overdue, due today) of one unit, by due time.
            models.Index(fields=["unit", "status", "due_at"]),
            # The dossiers a unit received in a period: the tracking book, the 06a "received in the period", the
            # dashboards' figures (dossier_figures_by_unit), the period counts (period_counts.py).
            models.Index(fields=["unit", "received_at"]),
            # The dossiers a unit closed in a period: the 06a "finished in the period" and the indicators.
            models.Index(fields=["unit", "closed_at"]),
            # The reminder sweeps (reminders.dossiers_due, dossier_apology_deadline): the dossiers of every unit
            # whose clock runs (received, processing, awaiting the financial obligation) due before a horizon.
            models.Index(
                fields=["due_at"],
                name="sc_dossier_running_due",
                condition=models.Q(status__in=[Status.RECEIVED, Status.PROCESSING, Status.FINANCIAL]),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "source_system", "source_number"],
                condition=~models.Q(source_number=""),
                name="unique_dossier_source_number",
            ),
            models.CheckConstraint(
                condition=~models.Q(result_delivery=ResultDelivery.POST) | ~models.Q(delivery_address=""),
                name="dossier_post_delivery_has_address",
                violation_error_message=_("Write the address to which the result is posted."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("service_center:detail", args=[self.code])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_with_code(self) -> str:
        """The national status code beside the label, as the clerk and the citizen see it: "4 · Đang xử lý"."""
        return with_code(self.status)

    @property
    def is_overdue(self) -> bool:
        """Open past its due time; a dossier awaiting a supplement is not (its clock is paused)."""
        return self.is_open and self.status != Status.SUPPLEMENT and self.due_at < timezone.now()

    def apology_possible(self, now) -> bool:
        """Whether form 04 can still be sent: open, not apologized yet, at least one day before the due time."""
        return self.is_open and self.apologized_at is None and now <= self.due_at - APOLOGY_NOTICE

    def allowed_targets(self) -> list[str]:
        return [s for s in Status.values if s in ALLOWED_TRANSITIONS[self.status]]

    @property
    def can_be_rated(self) -> bool:
        """The citizen rates the centre once the result is returned (Decision 766, satisfaction group)."""
        return self.status == Status.RETURNED


class DossierPaper(models.Model):
    """A paper received with the dossier: a copy of the procedure's line (name, kind, copies) as it was then."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="papers")
    name = models.CharField(_("paper"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=PaperKind.choices)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1, validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["dossier", "position", "id"]
        verbose_name = _("paper received")
        verbose_name_plural = _("papers received")

    def __str__(self) -> str:
        return self.name


class DossierCounter(models.Model):
    """The last sequence number handed out for one unit on one day (locked while a code is issued)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="unique_dossier_counter")]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.day} · {self.last}"


class DossierEvent(StatusEvent):
    """One line of a dossier's history; rows are only ever added."""

    subject_field = "dossier"

    @property
    def from_status_with_code(self) -> str:
        return with_code(self.from_status)

    @property
    def to_status_with_code(self) -> str:
        return with_code(self.to_status)

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        TRANSITION = "transition", _("Status change")
        APOLOGY = "apology", _("Apology with a new date")
        HANDOVER = "handover", _("Hand-over")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+", null=True
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=2, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=2, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    #: The papers a supplement request asked for (form 02 prints them, whatever happened since).
    papers = models.JSONField(_("papers"), default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        # A dossier's history in order (the dossier page, the public lookup's timeline), and its status at a past
        # moment (the as-of figures: the latest event before it).
        indexes = [models.Index(fields=["dossier", "at"])]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.get_kind_display()} · {self.at:%d/%m/%Y %H:%M}"


class Handover(models.Model):
    """A hand-over of a dossier between officers (Phiếu kiểm soát quá trình giải quyết hồ sơ, form 05)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="handovers")
    at = models.DateTimeField(_("at"))
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handed over by"), on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.from_user_id} → {self.to_user_id}"


# --- The district backlog (hồ sơ tồn đọng của cấp huyện tiếp nhận lại) -----------------------------------------


def backlog_upload_to(instance, filename: str) -> str:
    return random_folder_path("backlog_imports", filename)


# The district backlog and the citizen's notices and ratings live in modules of their own (they refer to Dossier).
from .backlog import BacklogImport, BacklogImportQuerySet, BacklogRecord, BacklogRecordQuerySet  # noqa: E402, F401
from .citizen import CitizenNotice, DossierRating  # noqa: E402, F401
