"""The district backlog (hồ sơ tồn đọng của cấp huyện): dossiers the abolished district level had received and
not finished, handed over to the new commune-level unit.

A backlog dossier keeps the district's original receipt time and due time (its clock continues: it is overdue from
the original due time, never recomputed from the hand-over), records the old file number, the old district (with
its GSO code when the registry knows the district among the unit's predecessors) and the hand-over date, and gets a
new portal code like every dossier. :func:`backlog_receive` is the one writer; :func:`backlog_check` holds its rules
as a pure function so that the import's dry run applies exactly the same ones without writing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilot_portal.core.text import fold
from units.models import LegacyUnit

from .calendar import WorkCalendar, calendar
from .models import EARLIEST_RECEIPT, BacklogImport, BacklogRecord, Channel, Dossier, DossierEvent, Procedure, Status
from .services import Applicant, DossierError, _next_code
from .validators import normalize_phone, validate_identity_number, validate_phone

OLD_NUMBER_MAX = BacklogRecord._meta.get_field("old_number").max_length
OLD_DISTRICT_MAX = BacklogRecord._meta.get_field("old_district").max_length
#: Dates typed on the service-centre screens lie within these days (the code's yyMMdd repeats every century).
FIRST_DAY = EARLIEST_RECEIPT
LAST_DAY = dt.date(2099, 12, 31)


class BacklogError(DossierError):
    """A backlog dossier breaks a rule; ``errors`` lists every rule broken (each a message for the clerk)."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__(" ".join(self.errors))


class BacklogAlreadyReceived(DossierError):
    """The unit already has a backlog dossier with this old file number (an import run twice)."""

    def __init__(self, record: BacklogRecord):
        self.record = record
        super().__init__(
            _("Old file number %(number)s was already received as dossier %(code)s.")
            % {"number": record.old_number, "code": record.dossier.code}
        )


@dataclass
class BacklogEntry:
    """One backlog dossier as the district handed it over."""

    old_number: str
    old_district: str
    procedure: Procedure | None
    applicant: Applicant
    received_at: dt.datetime | None
    handed_over_on: dt.date | None
    #: The district's due time; ``None``: computed from the original receipt with the procedure's time limit.
    due_at: dt.datetime | None = None
    #: Errors found while reading the row, by field (a date that is not a date, an unknown procedure code): the
    #: field is then not reported missing as well.
    read_errors: dict[str, str] = field(default_factory=dict)


def normalize_old_number(text: str) -> str:
    """Old file numbers compare without case and surrounding or doubled spaces: " h23-0012 " is "H23-0012"."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip().upper()


_DISTRICT_PREFIXES = ("huyen ", "quan ", "thi xa ", "thanh pho ", "tp. ", "tp ", "tx. ", "tx ")


def _district_key(name: str) -> str:
    key = re.sub(r"\s+", " ", fold(name or "")).strip()
    for prefix in _DISTRICT_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :].strip()
    return key


def district_index(unit) -> dict[str, tuple[str, str]]:
    """The districts of the unit's predecessors: folded name (without "Huyện", "Quận"…) and GSO code → (name,
    code). One query."""
    index: dict[str, tuple[str, str]] = {}
    rows = (
        LegacyUnit.objects.filter(successions__unit=unit)
        .values_list("district_code", "district_name")
        .distinct()
        .order_by()
    )
    for code, name in rows:
        index[_district_key(name)] = (name, code)
        if code:
            index[code] = (name, code)
    return index


def resolve_district(text: str, index: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """The district as the registry names it, with its code, when the unit's predecessors include it; else the text
    as typed (tidied) and no code."""
    tidy = re.sub(r"\s+", " ", text or "").strip()
    return index.get(tidy) or index.get(_district_key(tidy)) or (tidy, "")


def _in_range(day: dt.date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def _range_error(label: str) -> str:
    return _("%(field)s must lie between %(first)s and %(last)s.") % {
        "field": label,
        "first": f"{FIRST_DAY:%d/%m/%Y}",
        "last": f"{LAST_DAY:%d/%m/%Y}",
    }


def backlog_check(entry: BacklogEntry, *, now: dt.datetime | None = None) -> list[str]:
    """Every rule a backlog dossier must meet, without touching the database: the list of what is wrong."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    errors = list(entry.read_errors.values())
    unread = entry.read_errors.keys()
    old_number = normalize_old_number(entry.old_number)
    if not old_number:
        errors.append(_("The old file number is missing."))
    elif len(old_number) > OLD_NUMBER_MAX:
        errors.append(_("The old file number is longer than %(max)s characters.") % {"max": OLD_NUMBER_MAX})
    district = (entry.old_district or "").strip()
    if not district:
        errors.append(_("The old district is missing."))
    elif len(district) > OLD_DISTRICT_MAX:
        errors.append(_("The old district is longer than %(max)s characters.") % {"max": OLD_DISTRICT_MAX})
    if entry.procedure is not None and not entry.procedure.is_active:
        errors.append(
            _("Procedure %(code)s is no longer in the catalogue of the unit.") % {"code": entry.procedure.code}
        )
    elif entry.procedure is None and "procedure" not in unread:
        errors.append(_("The procedure is missing."))
    applicant = entry.applicant
    if not (applicant.name or "").strip():
        errors.append(_("The applicant's name is missing."))
    elif len(applicant.name.strip()) > Dossier._meta.get_field("applicant_name").max_length:
        errors.append(_("The applicant's name is too long."))
    for value, validate in (
        ((applicant.id_number or "").strip(), validate_identity_number),
        (normalize_phone(applicant.phone or ""), validate_phone),
    ):
        try:
            validate(value)
        except ValidationError as exc:
            errors.extend(str(m) for m in exc.messages)
    if len(applicant.address or "") > Dossier._meta.get_field("applicant_address").max_length:
        errors.append(_("The address is too long."))

    received, due, handed = entry.received_at, entry.due_at, entry.handed_over_on
    if received is None and "received_at" not in unread:
        errors.append(_("The original receipt date is missing."))
    if handed is None and "handed_over_on" not in unread:
        errors.append(_("The hand-over date is missing."))
    received_day = timezone.localtime(received).date() if received else None
    if received_day and not _in_range(received_day):
        errors.append(_range_error(_("The original receipt date")))
        received = received_day = None
    if due and not _in_range(timezone.localtime(due).date()):
        errors.append(_range_error(_("The original due date")))
        due = None
    if handed and not _in_range(handed):
        errors.append(_range_error(_("The hand-over date")))
        handed = None
    if received and received > now + dt.timedelta(minutes=1):
        errors.append(_("The original receipt date cannot be in the future."))
    if handed and handed > today:
        errors.append(_("The hand-over date cannot be in the future."))
    if received and due and due < received:
        errors.append(_("The original due date cannot be before the original receipt date."))
    if received_day and handed and handed < received_day:
        errors.append(_("The hand-over date cannot be before the original receipt date."))
    return errors


def backlog_due_at(entry: BacklogEntry, *, work_calendar: WorkCalendar | None = None) -> dt.datetime:
    """The district's due time, or, when the list has none, the one the procedure gives from the original receipt."""
    if entry.due_at is not None:
        return entry.due_at
    return (work_calendar or calendar()).due_at(
        received_at=entry.received_at, time_limit=entry.procedure.time_limit, time_unit=entry.procedure.time_unit
    )


def _fmt(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def backlog_receive(
    *,
    unit,
    entry: BacklogEntry,
    actor,
    batch: BacklogImport | None = None,
    districts: dict[str, tuple[str, str]] | None = None,
    work_calendar: WorkCalendar | None = None,
) -> Dossier:
    """Receive one backlog dossier of the district level into ``unit``: all the rules of :func:`backlog_check`, a
    new portal code (of the hand-over day), the original receipt and due times, an event noting the hand-over.

    Raises :class:`BacklogError` listing what is wrong, :class:`BacklogAlreadyReceived` when the unit already has
    the old file number (the unique constraint decides under concurrency).
    """
    errors = backlog_check(entry)
    if errors:
        raise BacklogError(errors)
    old_number = normalize_old_number(entry.old_number)
    existing = BacklogRecord.objects.filter(unit=unit, old_number=old_number).select_related("dossier").first()
    if existing is not None:
        raise BacklogAlreadyReceived(existing)
    district_name, district_code = resolve_district(
        entry.old_district, district_index(unit) if districts is None else districts
    )
    due_at = backlog_due_at(entry, work_calendar=work_calendar)
    tz = timezone.get_current_timezone()
    handed_moment = dt.datetime.combine(entry.handed_over_on, dt.time(12), tzinfo=tz)
    applicant = entry.applicant
    try:
        with transaction.atomic():
            dossier = Dossier(
                code=_next_code(unit=unit, received_at=handed_moment),
                unit=unit,
                procedure=entry.procedure,
                applicant_name=applicant.name.strip(),
                applicant_id_number=applicant.id_number.strip(),
                applicant_phone=normalize_phone(applicant.phone or ""),
                applicant_address=(applicant.address or "").strip(),
                channel=Channel.DIRECT,
                received_at=entry.received_at,
                due_at=due_at,
                status=Status.RECEIVED,
                received_by=actor,
                assigned_to=actor,
                from_district_backlog=True,
            )
            dossier.full_clean()
            dossier.save()
            BacklogRecord.objects.create(
                dossier=dossier,
                unit=unit,
                old_number=old_number,
                old_district=district_name,
                old_district_code=district_code,
                handed_over_on=entry.handed_over_on,
                batch=batch,
            )
            DossierEvent.objects.create(
                dossier=dossier,
                at=timezone.now(),
                actor=actor,
                kind=DossierEvent.Kind.RECEIVED,
                to_status=Status.RECEIVED,
                note=_(
                    "Handed over by %(district)s on %(handed)s (old file number %(number)s); received there at "
                    "%(received)s, due %(due)s."
                )
                % {
                    "district": district_name,
                    "handed": f"{entry.handed_over_on:%d/%m/%Y}",
                    "number": old_number,
                    "received": _fmt(entry.received_at),
                    "due": _fmt(due_at),
                },
            )
    except IntegrityError:
        existing = BacklogRecord.objects.filter(unit=unit, old_number=old_number).select_related("dossier").first()
        if existing is None:
            raise
        raise BacklogAlreadyReceived(existing) from None
    except ValidationError as exc:
        raise BacklogError(list(exc.messages)) from None
    return dossier
