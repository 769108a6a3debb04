"""Writes of the service centre: receiving dossiers and moving them through the workflow."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pilot_portal.core.workflow import DomainError, Workflow
from pilot_portal.notifications.models import Kind as NotificationKind
from pilot_portal.notifications.recipients import unit_officials_by_unit
from pilot_portal.notifications.services import Message, notify_many

from . import notices
from .calendar import WorkCalendar, calendar
from .models import (
    ALLOWED_TRANSITIONS,
    APOLOGY_NOTICE,
    EARLIEST_RECEIPT,
    HANDOVER_STATUSES,
    OPEN_STATUSES,
    CalendarOverride,
    Channel,
    CitizenNotice,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierPaper,
    DossierRating,
    Handover,
    Procedure,
    ProcedurePaper,
    ResultDelivery,
    Status,
    with_code,
)
from .selectors import supplement_items
from .signals import dossier_status_changed
from .validators import is_mobile_phone

logger = logging.getLogger(__name__)


class DossierError(DomainError):
    """A workflow rule refused the action; the message is shown to the user."""


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


class IntakeFormUsed(DossierError):
    """The intake form was already submitted (its token used) for another dossier."""

    def __init__(self, dossier):
        self.dossier = dossier
        super().__init__(
            _(
                "This intake form was already used to receive dossier %(code)s. Nothing was saved for this "
                "citizen: check the details and confirm again to receive a new dossier."
            )
            % {"code": dossier.code}
        )


class SourceNumberUsed(DossierError):
    """Another system's number was already used for a dossier of another citizen or procedure."""

    def __init__(self, dossier):
        self.dossier = dossier
        super().__init__(
            _(
                "The number %(number)s of %(system)s was already used for dossier %(code)s, of another citizen or "
                "procedure. Nothing was saved."
            )
            % {"number": dossier.source_number, "system": dossier.source_system or "?", "code": dossier.code}
        )


def _announce_status_change(*, dossier_id: int, from_status: str, to_status: str, at: dt.datetime) -> None:
    """After commit, tell the receivers of ``dossier_status_changed`` (the API's webhooks); a failing receiver is
    logged and never undoes or blocks the change."""

    def send() -> None:
        for receiver, outcome in dossier_status_changed.send_robust(
            sender=Dossier, dossier_id=dossier_id, from_status=from_status, to_status=to_status, at=at
        ):
            if isinstance(outcome, Exception):
                logger.error(
                    "dossier_status_changed receiver %r failed for dossier %s", receiver, dossier_id, exc_info=outcome
                )

    transaction.on_commit(send)


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str
    phone: str = ""
    address: str = ""
    email: str = ""
    #: The citizen agreed to be sent notices by e-mail and SMS (recorded with the time of the receipt).
    notices_consent: bool = False


def unit_prefix(unit) -> str:
    """Codes are upper case whatever was typed in the admin: the public lookup upper-cases what citizens type."""
    return (unit.agency_code or unit.code).strip().upper()


def _names(papers) -> str:
    return "; ".join(paper if isinstance(paper, str) else paper.name for paper in papers)


def _check_papers(*, procedure: Procedure, papers: Iterable[ProcedurePaper]) -> list[ProcedurePaper]:
    """The papers received, in the procedure's order; refuses papers of another procedure and a dossier without
    every required paper (the clerk asks the citizen to complete it, or refuses it, instead of receiving it)."""
    listed = list(procedure.papers.all())
    received = {paper.pk for paper in papers}
    unknown = received - {paper.pk for paper in listed}
    if unknown:
        raise DossierError(_("Tick only papers of the chosen procedure."))
    missing = [paper for paper in listed if paper.is_required and paper.pk not in received]
    if missing:
        raise DossierError(
            _(
                "The dossier lacks required papers: %(papers)s. It cannot be received: guide the citizen to "
                "complete it, or refuse it."
            )
            % {"papers": _names(missing)}
        )
    return [paper for paper in listed if paper.pk in received]


def _check_fee_and_delivery(*, fee_collected: int, fee_receipt_number: str, result_delivery: str, address: str):
    if fee_collected < 0:
        raise DossierError(_("The fee collected cannot be negative."))
    if fee_collected and not fee_receipt_number.strip():
        raise DossierError(_("Write the number of the receipt for the fee collected."))
    if result_delivery not in ResultDelivery.values:
        raise DossierError(_("Choose how the result is delivered."))
    if result_delivery == ResultDelivery.POST and not address.strip():
        raise DossierError(_("Write the address to which the result is posted."))


def _next_code(*, unit, received_at: dt.datetime) -> str:
    """Take the next number of the unit's daily counter; the counter row stays locked until commit."""
    day = timezone.localtime(received_at).date()
    counter, _created = DossierCounter.objects.select_for_update().get_or_create(unit=unit, day=day)
    DossierCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{unit_prefix(unit)}-{day:%y%m%d}-{counter.last:04d}"


def dossier_receive(
    *,
    unit,
    procedure: Procedure,
    applicant: Applicant,
    actor,
    channel: str = Channel.DIRECT,
    received_at: dt.datetime | None = None,
    is_test: bool = False,
    from_district_backlog: bool = False,
    papers_digitized: bool = False,
    intake_token: uuid.UUID | None = None,
    source_system: str = "",
    source_number: str = "",
    work_calendar: WorkCalendar | None = None,
    papers: Iterable[ProcedurePaper] = (),
    fee_collected: int = 0,
    fee_receipt_number: str = "",
    result_delivery: str = ResultDelivery.COUNTER,
    delivery_address: str = "",
) -> Dossier:
    """Receive a dossier: issue its code, compute its due time, store the papers received, log the receipt.

    ``papers``: the papers handed in, from the procedure's list; every required one must be there.
    ``papers_digitized``: the clerk scanned the papers into the system at reception (Decision 766 digitization).
    A second call with the same ``intake_token`` (a double submit) returns the dossier of the first call, and so
    does a second call with the same ``source_number`` of the same ``source_system`` for the unit (another system
    retrying its request); with another citizen or procedure that is :class:`SourceNumberUsed`.
    """
    if source_number:
        existing = _by_source_number(unit=unit, source_system=source_system, source_number=source_number)
        if existing is not None:
            return _same_source_dossier(existing, procedure=procedure, applicant=applicant)
    try:
        return _receive(
            unit=unit,
            procedure=procedure,
            applicant=applicant,
            actor=actor,
            channel=channel,
            received_at=received_at,
            is_test=is_test,
            from_district_backlog=from_district_backlog,
            papers_digitized=papers_digitized,
            intake_token=intake_token,
            source_system=source_system,
            source_number=source_number,
            work_calendar=work_calendar,
            papers=papers,
            fee_collected=fee_collected,
            fee_receipt_number=fee_receipt_number,
            result_delivery=result_delivery,
            delivery_address=delivery_address,
        )
    except (IntegrityError, ValidationError):
        # Two requests with the same source number at once: the unique constraint let one through.
        existing = source_number and _by_source_number(
            unit=unit, source_system=source_system, source_number=source_number
        )
        if not existing:
            raise
        return _same_source_dossier(existing, procedure=procedure, applicant=applicant)


def _by_source_number(*, unit, source_system: str, source_number: str) -> Dossier | None:
    return Dossier.objects.filter(unit=unit, source_system=source_system, source_number=source_number).first()


def _same_source_dossier(existing: Dossier, *, procedure: Procedure, applicant: Applicant) -> Dossier:
    if (existing.procedure_id, existing.applicant_id_number) != (procedure.pk, applicant.id_number):
        raise SourceNumberUsed(existing)
    return existing


def _receive(
    *,
    unit,
    procedure: Procedure,
    applicant: Applicant,
    actor,
    channel: str,
    received_at: dt.datetime | None,
    is_test: bool,
    from_district_backlog: bool,
    papers_digitized: bool,
    intake_token: uuid.UUID | None,
    source_system: str,
    source_number: str,
    work_calendar: WorkCalendar | None,
    papers: Iterable[ProcedurePaper],
    fee_collected: int,
    fee_receipt_number: str,
    result_delivery: str,
    delivery_address: str,
) -> Dossier:
    received_at = received_at or timezone.now()
    received_papers = _check_papers(procedure=procedure, papers=papers)
    _check_fee_and_delivery(
        fee_collected=fee_collected,
        fee_receipt_number=fee_receipt_number,
        result_delivery=result_delivery,
        address=delivery_address,
    )
    if received_at > timezone.now() + dt.timedelta(minutes=1):
        raise DossierError(_("The receipt time cannot be in the future."))
    if timezone.localtime(received_at).date() < EARLIEST_RECEIPT:
        raise DossierError(_("The receipt time cannot be before %(date)s.") % {"date": f"{EARLIEST_RECEIPT:%d/%m/%Y}"})
    if applicant.notices_consent and not (applicant.email or is_mobile_phone(applicant.phone)):
        raise DossierError(
            _("To send notices to the citizen, enter their e-mail address or a mobile phone number (not a landline).")
        )
    with transaction.atomic():
        code = _next_code(unit=unit, received_at=received_at)
        # The counter lock serialises receipts of the unit for the day, so a double submit waits here.
        if intake_token is not None:
            existing = Dossier.objects.filter(intake_token=intake_token).first()
            if existing is not None:
                transaction.set_rollback(True)
                if (existing.procedure_id, existing.applicant_id_number) != (procedure.pk, applicant.id_number):
                    # The same form sent again with another citizen typed over it (Back, then a new dossier).
                    raise IntakeFormUsed(existing)
                return existing
        if source_number:
            # Another request with the same number may have committed while this one waited for the lock.
            existing = _by_source_number(unit=unit, source_system=source_system, source_number=source_number)
            if existing is not None:
                transaction.set_rollback(True)
                return _same_source_dossier(existing, procedure=procedure, applicant=applicant)
        dossier = Dossier(
            code=code,
            unit=unit,
            procedure=procedure,
            applicant_name=applicant.name,
            applicant_id_number=applicant.id_number,
            applicant_phone=applicant.phone,
            applicant_address=applicant.address,
            applicant_email=applicant.email,
            notices_consented_at=timezone.now() if applicant.notices_consent else None,
            channel=channel,
            received_at=received_at,
            due_at=(work_calendar or calendar()).due_at(
                received_at=received_at, time_limit=procedure.time_limit, time_unit=procedure.time_unit
            ),
            status=Status.RECEIVED,
            received_by=actor,
            assigned_to=actor,
            is_test=is_test,
            from_district_backlog=from_district_backlog,
            papers_digitized=papers_digitized,
            intake_token=intake_token,
            source_system=source_system,
            source_number=source_number,
            fee_collected=fee_collected,
            fee_receipt_number=fee_receipt_number.strip(),
            result_delivery=result_delivery,
            delivery_address=delivery_address.strip() if result_delivery == ResultDelivery.POST else "",
        )
        dossier.full_clean()
        dossier.save()
        DossierPaper.objects.bulk_create(
            DossierPaper(dossier=dossier, name=p.name, kind=p.kind, copies=p.copies, position=i)
            for i, p in enumerate(received_papers, start=1)
        )
        DossierEvent.objects.create(
            dossier=dossier,
            at=timezone.now(),
            actor=actor,
            kind=DossierEvent.Kind.RECEIVED,
            to_status=Status.RECEIVED,
            note=_("Received, due %(due)s") % {"due": _fmt(dossier.due_at)},
        )
        _announce_status_change(
            dossier_id=dossier.pk, from_status="", to_status=Status.RECEIVED, at=dossier.received_at
        )
    return dossier


def _fmt(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


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
            _announce_status_change(
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
