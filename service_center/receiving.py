"""Receiving a dossier at the counter (or from another system through the API): its code, its due time, the
papers, fee and delivery checked, the receipt logged."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .calendar import WorkCalendar, calendar
from .errors import DossierError, IntakeFormUsed, SourceNumberUsed
from .models import (
    EARLIEST_RECEIPT,
    Channel,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierPaper,
    Procedure,
    ProcedurePaper,
    ResultDelivery,
    Status,
)
from .signals import announce_status_change
from .validators import is_mobile_phone

logger = logging.getLogger(__name__)


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
        announce_status_change(dossier_id=dossier.pk, from_status="", to_status=Status.RECEIVED, at=dossier.received_at)
    return dossier


def _fmt(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")
