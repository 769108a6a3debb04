"""Reminder rules of the service centre, run every 15 minutes in office hours (see pilot_portal/notifications).

- ``dossiers_due``: open dossiers due within the next working day (office time, from ``calendar.py``), and
  overdue ones (again each working day), to the assigned officer and the unit's officials.
- ``dossier_apology_deadline``: open dossiers not yet apologized for whose last moment to send the apology with
  a new date (form 04, at least one day before the due time, as ``services.dossier_apologize`` enforces) falls
  within the next working day.

A dossier waiting for a supplement has its clock stopped and gets no reminder; a finished or returned one is no
longer open and gets none either. The keys carry the due time, so an apology or a supplement that moves the due
time gives the new date its own reminder.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pilot_portal.notifications.models import Kind
from pilot_portal.notifications.recipients import active_user_ids, unit_officials_by_unit
from pilot_portal.notifications.services import Message, notify_many
from pilot_portal.notifications.sweeps import Cadence, sweep

from . import notices
from .calendar import calendar
from .models import APOLOGY_NOTICE, Dossier, Procedure, Status

#: Open and with the clock running (a supplement request stops the clock).
RUNNING_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.FINANCIAL)
#: What a sweep reads of each due dossier: the columns of the dossier only (no join), as the bare SELECT of the
#: due rows (``sc_dossier_running_due``); the recipients and the procedures' names are read once for all rows.
COLUMNS = ("id", "code", "unit_id", "assigned_to_id", "due_at", "procedure_id")
ID, CODE, UNIT, ASSIGNED, DUE, PROCEDURE = range(len(COLUMNS))


_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "H": "%H", "i": "%M", "s": "%S"}


def _formatter():
    """``moment -> "08:30 18/06/2025"`` in the active language's SHORT_DATETIME_FORMAT, fast enough for thousands
    of rows (the format is translated to ``strftime`` once; an unusual format falls back to Django's)."""
    django_format = formats.get_format("SHORT_DATETIME_FORMAT")
    if all(c in _STRFTIME or not c.isalpha() for c in django_format) and "\\" not in django_format:
        pattern = "".join(_STRFTIME.get(c, c.replace("%", "%%")) for c in django_format)
        zone = timezone.get_current_timezone()
        return lambda moment: moment.astimezone(zone).strftime(pattern)
    return lambda moment: formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _messages(rows: list[tuple], kind: str, make) -> list[Message]:
    """One message per dossier for its assigned officer (when active) and each official of its unit; ``make(row,
    procedure_name)`` writes the key, title and body of a dossier that has someone to tell (and only of those)."""
    officials = unit_officials_by_unit({row[UNIT] for row in rows})
    active = active_user_ids(row[ASSIGNED] for row in rows)
    told = []
    for row in rows:
        users = set(officials.get(row[UNIT], ()))
        if row[ASSIGNED] in active:
            users.add(row[ASSIGNED])
        if users:
            told.append((row, sorted(users)))
    names = dict(Procedure.objects.filter(pk__in={row[PROCEDURE] for row, _users in told}).values_list("pk", "name"))
    link = reverse("service_center:detail", args=["__code__"])
    messages = []
    for row, users in told:
        key, title, body = make(row, names.get(row[PROCEDURE], ""))
        row_link = link.replace("__code__", quote(row[CODE]))
        messages.extend(Message(user_id, kind, key, title, body, row_link) for user_id in users)
    return messages


def _office_open(work_calendar, at: dt.datetime) -> bool:
    return work_calendar.next_opening(at) <= at


def _running():
    return Dossier.objects.filter(status__in=RUNNING_STATUSES)


@sweep("dossiers_due", cadence=Cadence.OFFICE_HOURS)
def dossiers_due(at: dt.datetime) -> int:
    work_calendar = calendar()
    if not _office_open(work_calendar, at):
        return 0
    horizon = work_calendar.add_office_time(at, work_calendar.day_length)
    today = timezone.localdate(at).isoformat()
    rows = list(_running().filter(due_at__lte=horizon).order_by("due_at", "id").values_list(*COLUMNS))

    when = _formatter()
    due_title = _("Dossier %(code)s is due at %(due)s")
    overdue_title = _("Dossier %(code)s is overdue since %(due)s")
    procedure = _("Procedure: %(procedure)s.")

    bodies: dict[str, str] = {}

    def make(row, name):
        due = row[DUE]
        values = {"code": row[CODE], "due": when(due)}
        body = bodies.get(name) or bodies.setdefault(name, procedure % {"procedure": name})
        if due > at:
            return f"dossier:{row[ID]}:due:{due.isoformat()}", due_title % values, body
        return f"dossier:{row[ID]}:overdue:{due.isoformat()}:{today}", overdue_title % values, body

    return len(notify_many(_messages(rows, Kind.DOSSIER, make)))


@sweep("dossier_apology_deadline", cadence=Cadence.OFFICE_HOURS)
def dossier_apology_deadline(at: dt.datetime) -> int:
    work_calendar = calendar()
    if not _office_open(work_calendar, at):
        return 0
    horizon = work_calendar.add_office_time(at, work_calendar.day_length)
    rows = list(
        _running()
        .filter(apologized_at__isnull=True, due_at__gt=at + APOLOGY_NOTICE, due_at__lte=horizon + APOLOGY_NOTICE)
        .order_by("due_at", "id")
        .values_list(*COLUMNS)
    )

    when = _formatter()
    title = _("Last day to send an apology with a new date for dossier %(code)s")
    body = _(
        "If dossier %(code)s cannot be finished by %(due)s, send the apology with a new date (form 04) "
        "before %(deadline)s."
    )

    def make(row, _name):
        due = row[DUE]
        values = {"code": row[CODE], "due": when(due), "deadline": when(due - APOLOGY_NOTICE)}
        return f"dossier:{row[ID]}:apology:{due.isoformat()}", title % values, body % values

    return len(notify_many(_messages(rows, Kind.APOLOGY, make)))


@sweep("citizen_notices_pending", cadence=Cadence.OFFICE_HOURS)
def citizen_notices_pending(at: dt.datetime) -> int:
    """Notices to citizens still pending a while after they were written (queued while the broker was down, or
    their task lost): queued again after this run's commit; a notice is never sent twice (see ``notices``)."""
    pending = notices.notices_pending(at=at)
    if pending:
        transaction.on_commit(lambda: notices.notices_enqueue(notice_ids=pending), robust=True)
    return 0
