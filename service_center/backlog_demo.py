"""Demo backlog: a few dossiers the abolished district level had not finished, handed over on 01/07/2025 to the
first pilot unit of each province (their history says so: received that morning). Idempotent (a unit has one
backlog dossier per old file number)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pilot_portal.accounts.models import Role, User
from units.demo import pilot_units

from .backlog import BacklogAlreadyReceived, BacklogEntry, backlog_receive, district_index
from .models import DossierEvent, Procedure
from .services import Applicant

HANDED_OVER_ON = dt.date(2025, 7, 1)
#: (old number suffix, applicant, CCCD after the province code, receipt, due or None for the procedure's)
SAMPLES = (
    ("0412", "Đỗ Thị Lan", "185004512", dt.datetime(2025, 6, 9, 8, 40), dt.datetime(2025, 6, 12, 8, 40)),
    ("0437", "Ngô Quang Hải", "076011823", dt.datetime(2025, 6, 20, 14, 5), None),
    ("0451", "Bùi Thanh Hương", "192003377", dt.datetime(2025, 6, 27, 9, 15), dt.datetime(2025, 7, 25, 17, 0)),
)


def seed(*, stdout) -> None:
    if timezone.localdate() < HANDED_OVER_ON:
        return
    procedures = list(Procedure.objects.filter(is_active=True).order_by("code")[:3])
    if not procedures:
        return
    tz = timezone.get_default_timezone()
    handed_over_at = dt.datetime.combine(HANDED_OVER_ON, dt.time(8), tzinfo=tz)
    created = 0
    for groups in pilot_units().values():
        unit = groups[0] if groups else None
        if unit is None:
            continue
        districts = district_index(unit)
        district = next(iter(districts.values()), ("Huyện cũ", ""))[0]
        clerk = User.objects.filter(unit=unit, role=Role.WARD_CLERK).first()
        for index, (suffix, name, cccd, received, due) in enumerate(SAMPLES):
            entry = BacklogEntry(
                old_number=f"{unit.province.code}-UBND-H-2025-{suffix}",
                old_district=district,
                procedure=procedures[index % len(procedures)],
                applicant=Applicant(name=name, id_number=f"0{unit.province.code}{cccd}"),
                received_at=received.replace(tzinfo=tz),
                due_at=due.replace(tzinfo=tz) if due else None,
                handed_over_on=HANDED_OVER_ON,
            )
            try:
                dossier = backlog_receive(unit=unit, entry=entry, actor=clerk, districts=districts)
            except BacklogAlreadyReceived:
                continue
            # The service logs the hand-over "now": it happened on the hand-over day.
            DossierEvent.objects.filter(dossier=dossier).update(at=handed_over_at)
            created += 1
    stdout.write(f"Service centre: {created} district backlog dossiers created.")
