"""First HĐND sessions and UBND meetings: planning, documents, attendance, run-of-show, outcomes, review."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from pilot_portal.accounts.scoping import ScopedQuerySet
from pilot_portal.core.storage import private_storage, random_folder_path
from pilot_portal.core.workflow import StatusEvent

from .config import default_budget_minutes


def _upload_path(folder: str, instance, filename: str) -> str:
    # Private files (pilot_portal.core.storage): served only by views that check ``visible_to``.
    return random_folder_path(f"{folder}/{instance.session_id_for_path}", filename)


def document_upload_to(instance, filename: str) -> str:
    return _upload_path("documents", instance, filename)


def minutes_upload_to(instance, filename: str) -> str:
    return _upload_path("minutes", instance, filename)


#: The sessions a delegate of the unit sees: published ones (to read the documents before), running and closed.
DELEGATE_STATUSES = ("published", "in_progress", "closed")


class _DelegateScope:
    """Delegates see their unit's sessions once published, and the rows of those sessions; nothing else."""

    session_path = ""

    def visible_to(self, user):
        delegate = getattr(user, "is_delegate", False) and not user.is_superuser
        if getattr(user, "is_authenticated", False) and user.is_active and delegate:
            prefix = f"{self.session_path}__" if self.session_path else ""
            return self.filter(**{f"{prefix}unit_id": user.unit_id, f"{prefix}status__in": DELEGATE_STATUSES})
        return super().visible_to(user)


class SessionQuerySet(_DelegateScope, ScopedQuerySet):
    unit_path = "unit"


class SessionScopedQuerySet(_DelegateScope, ScopedQuerySet):
    """For rows that belong to a session."""

    unit_path = "session__unit"
    session_path = "session"


class SpeechQuerySet(_DelegateScope, ScopedQuerySet):
    unit_path = "item__session__unit"
    session_path = "item__session"


class DocumentVersionQuerySet(_DelegateScope, ScopedQuerySet):
    unit_path = "document__session__unit"
    session_path = "document__session"


class Session(models.Model):
    class Kind(models.TextChoices):
        HDND = "hdnd", _("HĐND session")
        UBND = "ubnd", _("UBND meeting")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        IN_PROGRESS = "in_progress", _("Meeting in progress")
        CLOSED = "closed", _("Session closed")
        CANCELLED = "cancelled", _("Cancelled")

    class StreamAccess(models.TextChoices):
        PUBLIC = "public", _("Public")
        PROVINCE_STAFF = "province", _("Users of the province only")

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("commune-level unit"), on_delete=models.PROTECT, related_name="council_sessions"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"), default=1, validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=255)
    is_rehearsal = models.BooleanField(_("rehearsal"), default=False)
    scheduled_start = models.DateTimeField(_("scheduled start"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    chair = models.CharField(_("chair"), max_length=200, blank=True)
    secretary = models.CharField(
        _("secretary"), max_length=200, blank=True, help_text=_("Signs the minutes with the chair.")
    )
    budget_minutes = models.PositiveSmallIntegerField(
        _("time budget (minutes)"),
        default=default_budget_minutes,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
    )
    stream_url = models.URLField(_("live-stream link"), blank=True)
    stream_access = models.CharField(
        _("live-stream access"), max_length=16, choices=StreamAccess.choices, default=StreamAccess.PROVINCE_STAFF
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False)
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True, editable=False)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True, editable=False)
    # Closing data.
    minutes_file = models.FileField(
        _("minutes file"), upload_to=minutes_upload_to, storage=private_storage, blank=True, max_length=255
    )
    minutes_file_name = models.CharField(_("minutes file name"), max_length=255, blank=True)
    minutes_summary = models.TextField(_("minutes summary"), blank=True)
    attendance_count = models.PositiveIntegerField(_("attendance at closing"), null=True, blank=True)
    lessons_good = models.TextField(_("what went well"), blank=True)
    lessons_fix = models.TextField(_("what to fix"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_start", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["unit", "scheduled_start"]), models.Index(fields=["status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "number", "is_rehearsal"],
                condition=~models.Q(status="cancelled"),
                name="unique_active_session_number",
                violation_error_message=_("This unit already has a session of this kind with this number."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sessions:detail", args=[self.pk])

    @property
    def noun(self) -> str:
        """What officials call it inside a sentence: “kỳ họp” (HĐND session) or “phiên họp” (UBND meeting)."""
        if self.kind == self.Kind.UBND:
            return pgettext("session noun", "meeting")
        return pgettext("session noun", "session")

    @property
    def wording(self) -> dict[str, str]:
        """``noun`` and ``Noun`` (capitalised, to start a sentence) for messages about this session."""
        return {"noun": self.noun, "Noun": capfirst(self.noun)}

    @property
    def session_id_for_path(self) -> int:
        return self.pk or 0

    @property
    def actual_minutes(self) -> int | None:
        if self.actual_start and self.actual_end:
            return max(0, round((self.actual_end - self.actual_start).total_seconds() / 60))
        return None


# The one transition table. Only services.session_transition changes Session.status.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Session.Status.DRAFT: frozenset({Session.Status.PUBLISHED, Session.Status.CANCELLED}),
    Session.Status.PUBLISHED: frozenset({Session.Status.DRAFT, Session.Status.IN_PROGRESS, Session.Status.CANCELLED}),
    Session.Status.IN_PROGRESS: frozenset({Session.Status.CLOSED}),
    Session.Status.CLOSED: frozenset(),
    Session.Status.CANCELLED: frozenset({Session.Status.DRAFT}),
}


class SessionEvent(StatusEvent):
    """Append-only log of status changes (and other notable actions, with equal statuses) of a session."""

    subject_field = "session"

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    from_status = models.CharField(_("from"), max_length=16, choices=Session.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Session.Status.choices, blank=True)

    objects = SessionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("session event")
        verbose_name_plural = _("session events")
        indexes = [models.Index(fields=["session", "at"])]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.from_status} → {self.to_status}"


class Document(models.Model):
    class Kind(models.TextChoices):
        SUBMISSION = "to_trinh", _("Submission (tờ trình)")
        DRAFT_RESOLUTION = "du_thao_nq", _("Draft resolution")
        DRAFT_DECISION = "du_thao_qd", _("Draft decision")
        REPORT = "bao_cao", _("Report")
        MINUTES = "bien_ban", pgettext_lazy("document kind", "Minutes")
        OTHER = "khac", _("Other")

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SUBMISSION)
    title = models.CharField(_("title"), max_length=255)
    is_required = models.BooleanField(_("required"), default=True)
    is_ready = models.BooleanField(_("ready"), default=False)

    objects = SessionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=document_upload_to, storage=private_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_document_version")]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.number})"

    @property
    def session_id_for_path(self) -> int:
        return self.document.session_id


class AgendaItem(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=500)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    planned_minutes = models.PositiveSmallIntegerField(
        _("planned minutes"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    documents = models.ManyToManyField(Document, verbose_name=_("documents"), blank=True, related_name="agenda_items")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True, editable=False)

    objects = SessionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def is_running(self) -> bool:
        return self.started_at is not None and self.ended_at is None

    @property
    def actual_minutes(self) -> int | None:
        if self.started_at and self.ended_at:
            return max(0, round((self.ended_at - self.started_at).total_seconds() / 60))
        return None

    @property
    def overrun_minutes(self) -> int:
        actual = self.actual_minutes
        return max(0, actual - self.planned_minutes) if actual is not None else 0


class Participant(models.Model):
    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    delegate_group = models.CharField(_("delegate group"), max_length=200, blank=True)
    is_member = models.BooleanField(
        _("counts for quorum"), default=True, help_text=_("A delegate (HĐND) or member (UBND), not a guest.")
    )
    is_invited = models.BooleanField(_("invited"), default=True)
    attendance = models.CharField(
        _("attendance"), max_length=8, choices=Attendance.choices, default=Attendance.UNKNOWN, blank=True
    )
    absence_reason = models.CharField(_("reason for absence"), max_length=255, blank=True)

    objects = SessionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name


class Outcome(models.Model):
    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="outcomes")
    number = models.CharField(_("number"), max_length=64, blank=True, help_text=_("e.g. 01/NQ-HĐND"))
    title = models.CharField(_("title"), max_length=500)
    votes_for = models.PositiveIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveIntegerField(_("votes against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), default=0)
    adopted = models.BooleanField(_("adopted"), default=False)

    objects = SessionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class StreamViewer(models.Model):
    """A unit that followed the live stream."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="stream_viewers"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")

    objects = SessionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session", "unit__name"]
        verbose_name = _("stream viewer")
        verbose_name_plural = _("stream viewers")
        constraints = [models.UniqueConstraint(fields=["session", "unit"], name="unique_stream_viewer")]

    def __str__(self) -> str:
        return str(self.unit_id)


class Comment(models.Model):
    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SessionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:50]


class Speech(models.Model):
    """Who spoke on an agenda item (a participant of the same session) and when, by the server clock."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="speeches"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("speaker"), on_delete=models.PROTECT, related_name="speeches"
    )
    started_at = models.DateTimeField(_("started at"), editable=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True, editable=False)

    objects = SpeechQuerySet.as_manager()

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")
        indexes = [models.Index(fields=["item", "started_at"])]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.item_id}"

    @property
    def is_running(self) -> bool:
        return self.ended_at is None

    @property
    def minutes(self) -> int | None:
        if self.ended_at:
            return max(0, round((self.ended_at - self.started_at).total_seconds() / 60))
        return None
