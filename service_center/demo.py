"""Demo data of the service centre: the procedure catalogue and a few hundred dossiers around the June 2025 pilot.

Idempotent: procedures are upserted by code; dossiers are only created for pilot units that have none yet.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from pilot_portal.accounts.models import Role, User
from units.demo import pilot_units

from . import backlog_demo
from .calendar import calendar
from .models import (
    Channel,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierPaper,
    Procedure,
    ResultDelivery,
    Status,
)
from .procedures import DEMO_CSV, procedures_import
from .services import unit_prefix

DOSSIERS_PER_UNIT = 24
FIRST_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE_NAMES = ["Văn", "Thị", "Minh", "Thu", "Quang", "Ngọc", "Đức", "Thanh"]
GIVEN_NAMES = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan", "Long", "Mai", "Nam"]
STREETS = ["Trần Hưng Đạo", "Lê Lợi", "Nguyễn Trãi", "Hùng Vương", "Quang Trung", "Phú Riềng Đỏ"]
# Where each demo dossier ends up, with weights: every status appears in every unit's share.
FATES = [
    (Status.RECEIVED, 3),
    (Status.PROCESSING, 4),
    (Status.SUPPLEMENT, 2),
    (Status.FINANCIAL, 1),
    (Status.DONE, 3),
    (Status.RETURNED, 8),
    (Status.REFUSED, 1),
    (Status.WITHDRAWN, 1),
    (Status.STOPPED, 1),
]


def _cccd(rng: random.Random, province_code: str) -> str:
    year = rng.randint(1950, 2006)
    century_gender = (0 if year < 2000 else 2) + rng.randint(0, 1)
    return f"0{province_code}{century_gender}{year % 100:02d}{rng.randint(0, 999_999):06d}"


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    minutes = rng.choice([rng.randint(7 * 60, 11 * 60 + 20), rng.randint(13 * 60 + 30, 16 * 60 + 50)])
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=timezone.get_default_timezone())


def _demo_dossiers(unit, procedures, clerk, rng, cal, counters, extras):
    statuses = [s for s, w in FATES for _ in range(w)]
    dossiers, events, papers = [], [], []
    start = dt.date(2025, 6, 16)
    for i in range(DOSSIERS_PER_UNIT):
        fate = statuses[i % len(statuses)]
        day = cal.next_working_day(start + dt.timedelta(days=rng.randint(0, 20)))
        received_at = _at(day, rng)
        procedure = rng.choice(procedures)
        due_at = cal.due_at(received_at=received_at, time_limit=procedure.time_limit, time_unit=procedure.time_unit)
        counters[day] = counters.get(day, 0) + 1
        dossier = Dossier(
            code=f"{unit_prefix(unit)}-{day:%y%m%d}-{counters[day]:04d}",
            unit=unit,
            procedure=procedure,
            applicant_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}",
            applicant_id_number=_cccd(rng, rng.choice(["30", "31", "70", "75"])),
            applicant_phone=f"09{rng.randint(10_000_000, 99_999_999)}",
            applicant_address=f"Số {rng.randint(1, 200)} đường {rng.choice(STREETS)}, {unit.name}",
            channel=rng.choice([Channel.DIRECT, Channel.DIRECT, Channel.ONLINE, Channel.POST]),
            received_at=received_at,
            due_at=due_at,
            status=fate,
            received_by=clerk,
            assigned_to=clerk,
            is_test=i < 2,
            from_district_backlog=i == 3,
        )
        # Every required paper, and the optional ones about half the time; the fee set, with its receipt; one
        # result in five sent by public post to the applicant's address (drawn from ``extras``, so that the rest of
        # the demo stays what it was).
        listed = list(procedure.papers.all())
        papers.append([p for p in listed if p.is_required or extras.random() < 0.5])
        if procedure.fee:
            dossier.fee_collected = procedure.fee
            dossier.fee_receipt_number = f"BL-{day:%y%m%d}-{counters[day]:04d}"
        if extras.random() < 0.2:
            dossier.result_delivery = ResultDelivery.POST
            dossier.delivery_address = dossier.applicant_address
        trail = [(received_at, "", Status.RECEIVED, "Tiếp nhận hồ sơ")]
        moment = cal.next_opening(received_at + dt.timedelta(hours=1))
        if fate not in (Status.RECEIVED, Status.REFUSED, Status.WITHDRAWN):
            trail.append((moment, Status.RECEIVED, Status.PROCESSING, "Chuyển xử lý"))
        if fate == Status.REFUSED:
            trail.append((moment, Status.RECEIVED, Status.REFUSED, "Hồ sơ không thuộc thẩm quyền"))
        elif fate == Status.WITHDRAWN:
            trail.append((moment, Status.RECEIVED, Status.WITHDRAWN, "Công dân xin rút hồ sơ"))
        elif fate == Status.SUPPLEMENT:
            dossier.paused_at = moment + dt.timedelta(hours=2)
            dossier.supplement_papers = [listed[-1].name] if listed else []
            trail.append((dossier.paused_at, Status.PROCESSING, Status.SUPPLEMENT, "Giấy tờ nộp chưa hợp lệ"))
        elif fate == Status.FINANCIAL:
            trail.append((moment + dt.timedelta(hours=3), Status.PROCESSING, Status.FINANCIAL, "Nộp lệ phí"))
        elif fate == Status.STOPPED:
            trail.append((moment + dt.timedelta(days=1), Status.PROCESSING, Status.STOPPED, "Có tranh chấp"))
        elif fate in (Status.DONE, Status.RETURNED):
            # Most finish early or on time, about one in six late.
            late = rng.random() < 0.17
            local_due = timezone.localtime(due_at)
            if late:
                finish_day = cal.next_working_day(local_due.date() + dt.timedelta(days=rng.randint(1, 3)))
            else:
                finish_day = max(received_at.date(), local_due.date() - dt.timedelta(days=rng.randint(0, 1)))
            finished = max(moment, _at(cal.next_working_day(finish_day), rng))
            trail.append((finished, Status.PROCESSING, Status.DONE, "Đã giải quyết xong"))
            if fate == Status.RETURNED:
                dossier.returned_at = cal.next_opening(finished + dt.timedelta(hours=2))
                trail.append((dossier.returned_at, Status.DONE, Status.RETURNED, "Đã trả kết quả"))
        if fate not in (Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.FINANCIAL):
            dossier.closed_at = trail[2][0] if fate in (Status.DONE, Status.RETURNED, Status.STOPPED) else trail[1][0]
        dossiers.append(dossier)
        events.append(trail)
    return dossiers, events, papers


@transaction.atomic
def seed(*, stdout) -> None:
    result = procedures_import(text=DEMO_CSV)
    stdout.write(f"Procedures: {result.created} created, {result.updated} updated, {result.unchanged} unchanged.")
    procedures = list(Procedure.objects.filter(is_active=True).prefetch_related("papers").order_by("code"))
    cal = calendar()
    rng = random.Random(2025)
    extras = random.Random(2026)
    created = 0
    for groups in pilot_units().values():
        for index, unit in enumerate(groups, start=1):
            if not unit.agency_code:
                unit.agency_code = f"H{unit.province.code}.{index:02d}"
                unit.save(update_fields=["agency_code"])
            if Dossier.objects.filter(unit=unit).exists():
                continue
            clerk = User.objects.filter(unit=unit, role=Role.WARD_CLERK).first()
            counters: dict[dt.date, int] = {}
            dossiers, trails, papers = _demo_dossiers(unit, procedures, clerk, rng, cal, counters, extras)
            Dossier.objects.bulk_create(dossiers)
            DossierEvent.objects.bulk_create(
                DossierEvent(
                    dossier=dossier,
                    at=at,
                    actor=clerk,
                    kind=DossierEvent.Kind.RECEIVED if not from_status else DossierEvent.Kind.TRANSITION,
                    from_status=from_status,
                    to_status=to_status,
                    note=note,
                    papers=dossier.supplement_papers if to_status == Status.SUPPLEMENT else [],
                )
                for dossier, trail in zip(dossiers, trails, strict=True)
                for at, from_status, to_status, note in trail
            )
            DossierPaper.objects.bulk_create(
                DossierPaper(dossier=dossier, name=p.name, kind=p.kind, copies=p.copies, position=position)
                for dossier, received in zip(dossiers, papers, strict=True)
                for position, p in enumerate(received, start=1)
            )
            DossierCounter.objects.bulk_create(DossierCounter(unit=unit, day=d, last=n) for d, n in counters.items())
            created += len(dossiers)
    stdout.write(f"Service centre: {created} demo dossiers created.")
    backlog_demo.seed(stdout=stdout)
