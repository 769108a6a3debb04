"""Writes of the service centre: receiving dossiers and moving them through the workflow."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilot_portal.core.workflow import Workflow
from pilot_portal.notifications.models import Kind as NotificationKind
from pilot_portal.notifications.recipients import unit_officials_by_unit
from pilot_portal.notifications.services import Message, notify_many

from . import notices
from .calendar import calendar
from .errors import DossierError
from .errors import IntakeFormUsed as IntakeFormUsed
from .errors import SourceNumberUsed as SourceNumberUsed
from .models import (
    ALLOWED_TRANSITIONS,
    APOLOGY_NOTICE,
    HANDOVER_STATUSES,
    OPEN_STATUSES,
    CalendarOverride,
    CitizenNotice,
    Dossier,
    DossierEvent,
    DossierPaper,
    DossierRating,
    Handover,
    Status,
    with_code,
)
from .receiving import Applicant as Applicant
from .receiving import _fmt, _names
from .receiving import _next_code as _next_code
from .receiving import dossier_receive as dossier_receive
from .receiving import unit_prefix as unit_prefix
from .selectors import supplement_items
from .signals import announce_status_change

logger = logging.getLogger(__name__)

DOSSIER_STATUS = Workflow(
    model=Dossier,
    transitions=ALLOWED_TRANSITIONS,
    event_model=DossierEvent,
    subject="dossier",
    error=DossierError,
    refused=lambda *, current_label, target_label, **_row: (
        _("The dossier is now “%(current)s”: it cannot be moved to “%(target)s”. Reload the page.")
        % {"current": current_label, "target": target_label}
    ),
    # The status with its national code, as the clerk's page and the API show it ("4 · Đang xử lý").
    changed=lambda *, obj, **_row: _changed_message(with_code(obj.status)),
    related=("procedure",),
)


def _changed_message(current_label: str) -> str:
    return _(
        "Someone else changed this dossier meanwhile: it is now “%(current)s”. Nothing was saved; check the "
        "dossier and try again."
    ) % {"current": current_label}


def _check_expected(locked: Dossier, expected_status: str | None) -> None:
    if expected_status is not None and locked.status != expected_status:
        raise DossierError(_changed_message(with_code(locked.status)))


def _locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier.pk)


def _supplement_papers(locked: Dossier, names: Sequence[str]) -> list[str]:
    """The papers asked for, as the procedure lists them (its order, its spelling)."""
    listed = [paper.name for paper in locked.procedure.papers.all()]
    unknown = [name for name in names if name not in listed]
    if unknown:
        raise DossierError(
            _("These papers are not in the procedure's list: %(papers)s. Reload the page.")
            % {"papers": _names(unknown)}
        )
    return [name for name in listed if name in set(names)]


def _add_supplemented_papers(locked: Dossier) -> None:
    """The papers a supplement brought join the papers received (those not received yet)."""
    have = set(locked.papers.values_list("name", flat=True))
    last = max(locked.papers.values_list("position", flat=True), default=0)
    wanted = [name for name in locked.supplement_papers if name not in have]
    listed = {paper.name: paper for paper in locked.procedure.papers.filter(name__in=wanted)}
    DossierPaper.objects.bulk_create(
        DossierPaper(dossier=locked, name=name, kind=listed[name].kind, copies=listed[name].copies, position=i)
        for i, name in enumerate((n for n in wanted if n in listed), start=last + 1)
    )


def check_supplement_target(*, to: str, supplement_papers: Sequence[str]) -> None:
    """Papers ticked as missing go only with a supplement request (not with another action pressed by mistake)."""
    if supplement_papers and to != Status.SUPPLEMENT:
        raise DossierError(
            _(
                "Papers to supplement are asked for only with a supplement request: untick them, or ask for the "
                "supplement."
            )
        )


def dossier_transition(
    *,
    dossier: Dossier,
    to: str,
    actor,
    note: str = "",
    result: str = "",
    supplement_papers: Sequence[str] = (),
    result_digitized: bool = False,
    expected_status: str | None = None,
) -> Dossier:
    """Move ``dossier`` to status ``to`` if the workflow allows it from the status it has now (a second submit of
    the same change does nothing). ``expected_status``: the status the clerk's page showed; a change asked from a
    status the dossier no longer has (another clerk moved it meanwhile) is refused.

    ``supplement_papers``: with ``to`` the supplement status, the names of the procedure's papers the citizen must
    bring (kept on the dossier until the supplement is received, and on the event for form 02).
    ``result_digitized`` is recorded with the return of the result (status 10) and only then: the result was issued
    as, or scanned into, an electronic copy (Decision 766 digitization)."""
    asked: list[str] = []  # filled by ``apply`` on the locked row, then written on the event
    check_supplement_target(to=to, supplement_papers=supplement_papers)
    changed_from: list[str] = []  # the status the change left (for the webhooks), set only by a real change
    event_fields = {"kind": DossierEvent.Kind.TRANSITION, "papers": asked}

    def apply(locked: Dossier, current: str) -> None:
        changed_from.append(current)
        now = event_fields["at"] = timezone.now()  # after the row lock: events are stamped in commit order
        if to == Status.SUPPLEMENT:
            asked[:] = _supplement_papers(locked, supplement_papers)
            if not asked and not note.strip():
                raise DossierError(_("Tick the missing papers or write what to supplement in the note."))
        if to in (Status.REFUSED, Status.STOPPED) and not note.strip():
            raise DossierError(_("Write the reason in the note."))
        if to == Status.SUPPLEMENT:
            locked.paused_at = now
            locked.supplement_papers = asked
        if current == Status.SUPPLEMENT and to == Status.PROCESSING:
            _add_supplemented_papers(locked)
        if current == Status.SUPPLEMENT and to == Status.PROCESSING and locked.paused_at:
            locked.due_at = calendar().shift_for_pause(
                due_at=locked.due_at,
                paused_at=locked.paused_at,
                resumed_at=now,
                time_unit=locked.procedure.time_unit,
            )
        if current == Status.SUPPLEMENT:
            locked.paused_at = None
            locked.supplement_papers = []
        if current in OPEN_STATUSES and to not in OPEN_STATUSES:
            locked.closed_at = now
        if to == Status.RETURNED:
            locked.returned_at = now
            locked.result_digitized = result_digitized
        if result:
            locked.result = result

    with transaction.atomic():
        locked = DOSSIER_STATUS.transition(
            dossier,
            to=to,
            actor=actor,
            note=note,
            prepare=apply,
            event_fields=event_fields,
            expected=expected_status,
        )
        changed = bool(changed_from)
        if changed:
            announce_status_change(
                dossier_id=locked.pk, from_status=changed_from[0], to_status=to, at=event_fields["at"]
            )
        if changed and to == Status.DONE:
            notices.notices_queue(dossier=locked, kind=CitizenNotice.Kind.RESULT_READY)
        elif changed and to == Status.SUPPLEMENT:
            # Each request gets its own notice; what is missing is read as the lookup shows it.
            notices.notices_queue(
                dossier=locked,
                kind=CitizenNotice.Kind.SUPPLEMENT,
                occasion=event_fields["at"].isoformat(),
                items=supplement_items(locked),
            )
    return locked


def dossier_apologize(
    *, dossier: Dossier, new_due_at: dt.datetime, actor, reason: str, expected_status: str | None = None
) -> Dossier:
    """Send the apology with a new date (form 04): at most once, at least one day before the due time.
    ``expected_status``: the status the clerk's page showed (see :func:`dossier_transition`)."""
    with transaction.atomic():
        locked = _locked(dossier)
        now = timezone.now()  # after the row lock
        _check_expected(locked, expected_status)
        if locked.status not in OPEN_STATUSES:
            raise DossierError(_("Only an open dossier can get an apology with a new date."))
        if locked.apologized_at is not None:
            raise DossierError(_("An apology with a new date has already been sent for this dossier."))
        if now > locked.due_at - APOLOGY_NOTICE:
            raise DossierError(_("The apology must be sent at least one day before the due date."))
        if new_due_at <= locked.due_at:
            raise DossierError(_("The new date must be after the current due date."))
        if not reason.strip():
            raise DossierError(_("Write the reason in the note."))
        locked.original_due_at = locked.due_at
        locked.due_at = new_due_at
        locked.apologized_at = now
        locked.apology_reason = reason.strip()
        locked.full_clean()
        locked.save()
        DossierEvent.objects.create(
            dossier=locked,
            at=now,
            actor=actor,
            kind=DossierEvent.Kind.APOLOGY,
            from_status=locked.status,
            to_status=locked.status,
            note=_("New due date %(due)s. %(reason)s") % {"due": _fmt(new_due_at), "reason": reason},
        )
        notices.notices_queue(dossier=locked, kind=CitizenNotice.Kind.NEW_DUE_DATE)
    return locked


def dossier_hand_over(
    *, dossier: Dossier, to_user, actor, note: str = "", expected_status: str | None = None
) -> Handover:
    """Record that ``actor`` handed the dossier to ``to_user`` (form 05) and assign it to them.
    ``expected_status``: the status the clerk's page showed (see :func:`dossier_transition`)."""
    with transaction.atomic():
        locked = _locked(dossier)
        now = timezone.now()  # after the row lock
        _check_expected(locked, expected_status)
        if locked.status not in HANDOVER_STATUSES:
            raise DossierError(_("A closed dossier cannot be handed over."))
        if to_user.unit_id != locked.unit_id:
            raise DossierError(_("The dossier can only be handed to an officer of its unit."))
        handover = Handover(dossier=locked, at=now, from_user=actor, to_user=to_user, note=note)
        handover.full_clean()
        handover.save()
        locked.assigned_to = to_user
        locked.save(update_fields=["assigned_to"])
        DossierEvent.objects.create(
            dossier=locked,
            at=now,
            actor=actor,
            kind=DossierEvent.Kind.HANDOVER,
            from_status=locked.status,
            to_status=locked.status,
            note=_("Handed over to %(name)s. %(note)s") % {"name": to_user.get_full_name() or to_user, "note": note},
        )
    return handover


def calendar_override_set(*, date: dt.date, kind: str, reason: str = "") -> CalendarOverride:
    with transaction.atomic():
        override, _created = CalendarOverride.objects.update_or_create(
            date=date, defaults={"kind": kind, "reason": reason}
        )
    return override


class AlreadyRated(DossierError):
    """The dossier has its rating already: one per dossier."""

    def __init__(self):
        super().__init__(_("This dossier has already been rated. Thank you: one rating per dossier is recorded."))


def dossier_rate(*, dossier: Dossier, level: str, comment: str = "", source: str = DossierRating.Source.COUNTER):
    """Record the citizen's satisfaction with a returned dossier (Decision 766), once per dossier; a rating
    "không hài lòng" notifies the unit's officials (stored with the rating, e-mailed after the commit)."""
    if level not in DossierRating.Level.values:
        raise DossierError(_("Choose one of the three levels."))
    comment = comment.strip()
    with transaction.atomic():
        locked = _locked(dossier)
        if not locked.can_be_rated:
            raise DossierError(_("A dossier can be rated once its result has been returned."))
        rating = DossierRating(dossier=locked, level=level, comment=comment, source=source)
        rating.full_clean(exclude=["dossier"], validate_unique=False)
        try:
            with transaction.atomic():
                rating.save()
        except IntegrityError:
            raise AlreadyRated from None
        if level == DossierRating.Level.UNSATISFIED:
            _notify_unsatisfied(locked, rating)
    return rating


def _notify_unsatisfied(dossier: Dossier, rating: DossierRating) -> None:
    title = _("A citizen is not satisfied with dossier %(code)s") % {"code": dossier.code}
    body = _("Procedure: %(procedure)s.") % {"procedure": dossier.procedure.name}
    if rating.comment:
        body += "\n" + _("Comment: %(comment)s") % {"comment": rating.comment}
    link = dossier.get_absolute_url()
    notify_many(
        Message(user_id, NotificationKind.DOSSIER, f"dossier:{dossier.pk}:rating:unsatisfied", title, body, link)
        for user_id in unit_officials_by_unit([dossier.unit_id]).get(dossier.unit_id, [])
    )
