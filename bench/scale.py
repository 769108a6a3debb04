"""A year of the nation's dossiers: does a page cost what it shows, or what is stored?

Imports the real registry (3,321 units) into PostgreSQL databases of its own, one per size, seeds dossiers with
set-based SQL, and measures the same pages at each size, with the same rows on screen:

1. ``--small`` dossiers (default 100,000), among them one ward's year (``--ward-year``, default 3,000 dossiers, a
   dozen a working day) for the measured ward, the first ward of Hồ Chí Minh City (168 units);
2. ``--dossiers`` (default 10,000,000) across all units, the measured ward's rows the same.

At each size: median server time and queries of the clerk's queues (open, overdue, due today, mine), the
dossier page, the applicant search within the ward and across the province, the tracking book's first page,
the 06a statistics of the ward for a month and of the province for a year, the public lookup and the reminder
sweep, next to the bare SQL they are held against: the province-year 06a against a bare ``GROUP BY`` over the
same rows, the sweep against the bare ``SELECT`` of its due rows. Then, at the large size, the time and peak
Python memory of the largest exports (the province-year tracking book, capped, and 06a). Ratios are of this run.

    .venv/bin/python bench/scale.py                          # 100k and 10M (seeding 10M: about 20 minutes)
    .venv/bin/python bench/scale.py --dossiers 1000000       # a quicker run

Each size has its own database, ``<DATABASE_URL>_<size>`` (DATABASE_URL default
postgres://postgres@127.0.0.1:5432/pilot_bench_scale, so ``pilot_bench_scale_100000`` and
``pilot_bench_scale_10000000``), measured in a process of its own; a database is created when missing, its rows
reused when it holds that size (a second run measures at once) and replaced otherwise. The seed's dates are
relative to the day it ran: reseed (drop the database) on another day.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import ensure_database, other_columns, setup_django  # noqa: E402  (after the path)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pilot_bench_scale"
PROVINCE = "79"  # Hồ Chí Minh City: the largest province (168 units)
#: A name no generated applicant has (its words are not in the name lists below): the search finds the
#: same handful of rows at every size, as a clerk looking for one citizen does.
NEEDLE = "Khổng Thị Quyên"
NEEDLE_QUERY = "khong thi quyen"

# Applicants' names built from these lists (a few thousand combinations, as real names repeat).
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Hồng", "Quốc", "Gia"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hiếu", "Hòa", "Hùng", "Lan", "Linh", "Long", "Mai",
         "Nam", "Nga", "Phúc", "Sơn", "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Vy", "Yến"]  # fmt: skip


# --- Seeding -------------------------------------------------------------------------------------------------


SEEDED = {
    "code", "unit_id", "procedure_id", "applicant_name", "applicant_id_number", "applicant_phone",
    "applicant_address", "channel", "received_at", "due_at", "status", "result", "closed_at", "returned_at",
    "assigned_to_id", "is_test", "from_district_backlog", "lookup_secret",
}  # fmt: skip

#: One row per value of ``g``, received at a random moment of the last 365 days, for one of ``units``.
#: Open when received in the last 20 days (2 received, 4 processing, 5 supplement, 6 financial); older ones are
#: closed: mostly done (9) or returned (10), some late, some refused (3), withdrawn (7) or stopped (8).
ROWS_SQL = """
insert into service_center_dossier ({extra_columns}
    code, unit_id, procedure_id, applicant_name, applicant_id_number, applicant_phone, applicant_address,
    channel, received_at, due_at, status, result, closed_at, returned_at, assigned_to_id, is_test,
    from_district_backlog, lookup_secret
)
select {extra_values}
    %(prefix)s || g, unit, (%(procs)s::bigint[])[1 + g %% %(nprocs)s],
    case when g %% 997 = 0 and %(needle)s::bool then %(needle_name)s else
        (%(family)s::text[])[1 + floor(random() * %(nfamily)s)::int] || ' '
        || (%(middle)s::text[])[1 + floor(random() * %(nmiddle)s)::int] || ' '
        || (%(given)s::text[])[1 + floor(random() * %(ngiven)s)::int] end,
    lpad((g %% 1000000000000)::text, 12, '0'), '0912345678', '',
    (array['1', '1', '2', '3'])[1 + g %% 4], received, received + interval '1 day' * due_days,
    st, '',
    case when st in ('9', '10', '3', '7', '8') then received + interval '1 day' * (due_days - 2 + g %% 4) end,
    case when st = '10' then received + interval '1 day' * (due_days - 1 + g %% 4) end,
    case when st in ('2', '4', '5', '6') and g %% 5 = 0 then %(clerk)s::bigint end,
    false, false, '123456'
from (
    select g, unit, received, due_days,
        case when received > now() - interval '20 days' then (array['2', '4', '4', '5', '6'])[1 + g %% 5]
             else (array['10', '10', '10', '10', '9', '9', '3', '7', '8', '10'])[1 + g %% 10] end as st
    from (
        select g, (%(units)s::bigint[])[1 + g %% %(nunits)s] as unit,
            now() - interval '1 day' * (random() * 365) as received, 3 + g %% 12 as due_days
        from generate_series(%(first)s, %(last)s) as g
    ) raw
) rows
"""


def _insert(cursor, *, prefix: str, units: list[int], first: int, last: int, procs, clerk, needle: bool):
    names, values = other_columns(cursor, SEEDED)
    extra_columns = "".join(f"{n}, " for n in names)
    extra_values = "".join(f"%(extra_{i})s, " for i in range(len(values)))
    sql = ROWS_SQL.format(extra_columns=extra_columns, extra_values=extra_values)
    params = {
        "prefix": prefix,
        "units": units,
        "nunits": len(units),
        "procs": procs,
        "nprocs": len(procs),
        "needle": needle,
        "needle_name": NEEDLE,
        "family": FAMILY,
        "nfamily": len(FAMILY),
        "middle": MIDDLE,
        "nmiddle": len(MIDDLE),
        "given": GIVEN,
        "ngiven": len(GIVEN),
        "clerk": clerk,
        "first": first,
        "last": last,
        **{f"extra_{i}": v for i, v in enumerate(values)},
    }
    cursor.execute(sql, params)


def _secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "select i.indexname, i.indexdef from pg_indexes i where i.tablename = %s and i.indexname not in "
        "(select conname from pg_constraint where conrelid = %s::regclass)",
        [table, table],
    )
    return cursor.fetchall()


def seed(*, total: int, ward_year: int, small: int, ward, others: list[int], clerk, step: int) -> None:
    """Grow the bench rows to ``total``: the measured ward's year first (with the needle), then other units."""
    from django.db import connection

    from service_center.models import Dossier, DossierEvent, Procedure

    procs = list(Procedure.objects.order_by("id").values_list("id", flat=True))
    bench = Dossier.objects.filter(code__startswith="S")
    current = bench.count()
    if current > total or (current and current < small and total > small):
        print(f"Dropping {current:,} bench dossiers of another size.")
        with connection.cursor() as cursor:
            cursor.execute("delete from service_center_dossierevent where dossier_id in "
                           "(select id from service_center_dossier where code like 'S%%')")  # fmt: skip
            cursor.execute("delete from service_center_dossier where code like 'S%%'")
        current = 0
    if current == total:
        print(f"Reusing {current:,} bench dossiers.")
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("set maintenance_work_mem = '1GB'")
        cursor.execute("set synchronous_commit = off")
        # The rows are consistent by construction (units, procedures and the clerk exist): no foreign-key trigger
        # per row while loading (the bench database's user is a superuser).
        cursor.execute("set session_replication_role = replica")
        cursor.execute("select setseed(0.42)")
        # Bulk load: drop the secondary indexes, insert, build them again (each in one pass).
        dropped = []
        if total - current > 500_000:
            for table in ("service_center_dossier", "service_center_dossierevent"):
                for name, definition in _secondary_indexes(cursor, table):
                    cursor.execute(f'drop index "{name}"')
                    dropped.append((name, definition))
        if current == 0:
            _insert(cursor, prefix="SW-", units=[ward.id], first=1, last=ward_year, procs=procs, clerk=clerk.id,
                    needle=True)  # fmt: skip
            current = ward_year
        first = current - ward_year + 1
        while current < total:
            last = min(total, current + step) - ward_year
            _insert(cursor, prefix="SO-", units=others, first=first, last=last, procs=procs, clerk=None, needle=False)
            current = last + ward_year
            first = last + 1
            print(f"  {current:,} dossiers ({time.perf_counter() - started:.0f} s)", flush=True)
        # One "received" event per dossier, as the intake writes.
        names, values = other_columns(
            cursor, {"dossier_id", "at", "actor_id", "kind", "from_status", "to_status", "note"}, DossierEvent
        )
        cursor.execute(
            "insert into service_center_dossierevent (dossier_id, at, actor_id, kind, from_status, to_status, note"
            + "".join(f", {n}" for n in names)
            + ") select d.id, d.received_at, null, 'received', '', '2', ''"
            + ", %s" * len(names)
            + " from service_center_dossier d where d.code like 'S%%' and not exists "
            "(select 1 from service_center_dossierevent e where e.dossier_id = d.id)",
            values,
        )
        for name, definition in dropped:
            index_started = time.perf_counter()
            cursor.execute(definition)
            print(f"  index {name}: {time.perf_counter() - index_started:.0f} s", flush=True)
        cursor.execute("set session_replication_role = origin")
        # Hint bits and the visibility map set once here, not by the first pages measured.
        cursor.execute("vacuum (analyze) service_center_dossier")
        cursor.execute("vacuum (analyze) service_center_dossierevent")
    assert DossierEvent.objects.exists()
    print(f"Seeded up to {total:,} dossiers in {time.perf_counter() - started:.0f} s.")


# --- Measuring -----------------------------------------------------------------------------------------------


def measure(call, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
    return statistics.median(timings), max(queries)


def get(client, url: str, *, method: str = "get", data=None):
    def call():
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: status {response.status_code}")
        return response

    return call


def bare_sql(sql: str, params):
    from django.db import connection

    def call():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return call


def pages(*, ward, province, clerk, staff) -> list[tuple[str, object]]:
    from django.test import Client
    from django.utils import timezone

    from service_center.models import Dossier, Status
    from service_center.reminders import RUNNING_STATUSES

    clerk_client, staff_client, citizen = Client(), Client(), Client()
    clerk_client.force_login(clerk)
    staff_client.force_login(staff)
    today = timezone.localdate()
    month_start = today.replace(day=1)
    year_start = today - dt.timedelta(days=364)
    dossier = Dossier.objects.filter(unit=ward, status=Status.PROCESSING).order_by("id").first()
    now = timezone.now()
    sweep_at = timezone.localtime(now).replace(hour=9, minute=0, second=0, microsecond=0)
    from service_center.calendar import calendar

    work_calendar = calendar()
    while work_calendar.next_opening(sweep_at) > sweep_at:
        sweep_at += dt.timedelta(days=1)
    horizon = work_calendar.add_office_time(sweep_at, work_calendar.day_length)
    from pilot_portal.notifications import sweeps

    begin = dt.datetime.combine(year_start, dt.time.min, tzinfo=timezone.get_current_timezone())
    finish = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone())
    return [
        ("queue: open", get(clerk_client, "/service-center/?queue=open")),
        ("queue: overdue", get(clerk_client, "/service-center/?queue=overdue")),
        ("queue: due today", get(clerk_client, "/service-center/?queue=today")),
        ("queue: mine", get(clerk_client, "/service-center/?queue=mine")),
        ("dossier page", get(clerk_client, f"/service-center/dossiers/{dossier.code}/")),
        ("search: ward", get(clerk_client, f"/service-center/?q={NEEDLE_QUERY.replace(' ', '+')}")),
        ("search: province", get(staff_client, f"/service-center/?q={NEEDLE_QUERY.replace(' ', '+')}")),
        ("tracking book p.1", get(clerk_client, f"/service-center/book/?start={month_start}&end={today}")),
        ("06a ward-month", get(clerk_client, f"/service-center/statistics/?start={month_start}&end={today}")),
        ("06a province-year", get(staff_client, f"/service-center/statistics/?start={year_start}&end={today}")),
        (
            "  bare GROUP BY",
            bare_sql(
                "select d.unit_id, count(*) filter (where d.received_at >= %s), count(*) filter (where d.status in "
                "('9', '10') and d.closed_at >= %s and d.closed_at < %s), count(*) filter (where d.closed_at is null "
                "or d.closed_at >= %s) from service_center_dossier d join units_unit u on u.id = d.unit_id "
                "where u.province_id = %s and d.received_at < %s and (d.closed_at is null or d.closed_at >= %s) "
                "group by d.unit_id",
                [begin, begin, finish, finish, province.id, finish, begin],
            ),
        ),
        (
            "public lookup",
            get(citizen, "/tra-cuu/", method="post", data={"code": dossier.code, "secret": dossier.lookup_secret}),
        ),
        ("reminder sweep", lambda: sweeps.run("dossiers_due", at=sweep_at)),
        (
            "  bare SELECT",
            bare_sql(
                "select id, code, unit_id, assigned_to_id, due_at, procedure_id from service_center_dossier "
                "where status = any(%s) and due_at <= %s order by due_at, id",
                [list(RUNNING_STATUSES), horizon],
            ),
        ),
    ]


def export_memory(*, staff) -> list[tuple[str, float, int]]:
    from django.test import Client
    from django.utils import timezone

    client = Client()
    client.force_login(staff)
    today = timezone.localdate()
    year_start = today - dt.timedelta(days=364)
    month_start = today.replace(day=1)
    rows = []
    for name, url in (
        ("book xlsx, province-month", f"/service-center/book/?start={month_start}&end={today}&format=xlsx"),
        ("book xlsx, province-year", f"/service-center/book/?start={year_start}&end={today}&format=xlsx"),
        ("06a xlsx, province-year", f"/service-center/statistics/?start={year_start}&end={today}&format=xlsx"),
    ):
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response) if getattr(response, "streaming", False) else response.content
        elapsed = (time.perf_counter() - started) * 1000
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        kind = "file" if response.get("Content-Disposition") else "page (capped)"
        rows.append((f"{name} [{kind}, {len(body) // 1024} KiB]", elapsed, peak))
    return rows


def measure_size(*, url: str, size: int, args) -> dict:
    """Seed (or reuse) the database of one size and measure its pages (and, with ``args.exports``, the exports)."""
    ensure_database(url)
    # The lookup is measured many times from one address: its per-address limit is not what is measured.
    setup_django(url, SERVICE_CENTER_LOOKUP_LIMIT=10**9)
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)

    from django.core.management import call_command

    from pilot_portal.accounts.models import Role, User
    from service_center.procedures import DEMO_CSV, procedures_import
    from units.models import Province, Unit

    call_command("migrate", verbosity=0)
    if Unit.objects.count() < 3000:
        call_command("import_units", verbosity=0)
    procedures_import(text=DEMO_CSV)
    province = Province.objects.get(code=PROVINCE)
    ward = Unit.objects.filter(province=province).order_by("code").first()
    others = list(Unit.objects.exclude(pk=ward.pk).order_by("id").values_list("id", flat=True))
    clerk, _ = User.objects.update_or_create(
        username="bench.clerk", defaults={"role": Role.WARD_CLERK, "unit": ward, "province": None}
    )
    staff, _ = User.objects.update_or_create(
        username="bench.province", defaults={"role": Role.PROVINCE_STAFF, "province": province, "unit": None}
    )
    print(
        f"{url.rsplit('/', 1)[1]}: {Unit.objects.count():,} units; measured ward: {ward.name} ({province.name}, "
        f"{province.units.count()} units).",
        flush=True,
    )
    seed(total=size, ward_year=args.ward_year, small=args.small, ward=ward, others=others, clerk=clerk,
         step=args.step)  # fmt: skip
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("analyze")  # statistics for every table, whatever autovacuum has done since the seed
    pages_measured = [(name, *measure(call, args.repeat)) for name, call in pages(
        ward=ward, province=province, clerk=clerk, staff=staff)]  # fmt: skip
    return {"pages": pages_measured, "exports": export_memory(staff=staff) if args.exports else []}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=10_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--ward-year", type=int, default=3_000)
    parser.add_argument("--step", type=int, default=2_000_000, help="rows per INSERT while seeding")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # a child run: one size, one database
    parser.add_argument("--exports", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if args.size:
        result = measure_size(url=f"{base}_{args.size}", size=args.size, args=args)
        print(RESULT + json.dumps(result), flush=True)
        return

    # Each size in its own database (kept for the next run) and its own process: a second run reuses both.
    results = {}
    for size in (args.small, args.dossiers):
        command = [sys.executable, __file__, "--size", str(size), "--small", str(args.small), "--ward-year",
                   str(args.ward_year), "--step", str(args.step), "--repeat", str(args.repeat)]  # fmt: skip
        if size == args.dossiers:
            command.append("--exports")
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
            for line in child.stdout:
                if line.startswith(RESULT):
                    results[size] = json.loads(line[len(RESULT) :])
                else:
                    print(line, end="", flush=True)
        if child.returncode:
            sys.exit(child.returncode)
    small, large = results[args.small]["pages"], results[args.dossiers]["pages"]
    print(f"\n{'page':<22} {f'{args.small:,} ms':>12} {'q':>3} {f'{args.dossiers:,} ms':>14} {'q':>3} {'ratio':>7}")
    for (name, small_ms, small_q), (_, large_ms, large_q) in zip(small, large, strict=True):
        print(f"{name:<22} {small_ms:>12.1f} {small_q:>3} {large_ms:>14.1f} {large_q:>3} {large_ms / small_ms:>6.2f}x")
    by_name = {name: ms for name, ms, _ in large}
    print(
        f"\nAt {args.dossiers:,}: 06a province-year / bare GROUP BY = "
        f"{by_name['06a province-year'] / by_name['  bare GROUP BY']:.2f}x; "
        f"reminder sweep / bare SELECT = {by_name['reminder sweep'] / by_name['  bare SELECT']:.2f}x"
    )
    print(f"\nExports at {args.dossiers:,} dossiers (Python peak memory, tracemalloc):")
    for name, ms, peak in results[args.dossiers]["exports"]:
        print(f"  {name:<52} {ms:>9.0f} ms  peak {peak / 2**20:>7.1f} MiB")


RESULT = "RESULT "

if __name__ == "__main__":
    main()
