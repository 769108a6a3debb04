"""Benchmark of one reminder sweep (``dossiers_due``) over the 3,321 units of the national registry and N dossiers.

Imports the registry, gives every unit one official, seeds N dossiers (default 1,000,000) with one set-based
INSERT (received over the 400 days before the sweep, due three days later; the finished ones closed, a small
backlog left open and overdue, the recent ones open), then times at a fixed office-hours moment:

- the bare SQL that selects the due rows (the sweep's own filter, run through a cursor, nothing else);
- the sweep, first run (stores and queues e-mails for every due dossier) and second run (everything is a duplicate),
  with its query count.

    .venv/bin/python bench/reminders.py [--dossiers 1000000] [--repeat 5]

DATABASE_URL selects the database (default postgres://postgres@127.0.0.1:5432/pilot_bench_reminders; created when
missing; its bench dossiers are replaced when the requested size differs). The e-mail tasks are queued on Celery's
in-memory transport, as a sweep queues them for the workers in production.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import ensure_database  # noqa: E402  (after the path)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pilot_bench_reminders"
AT = dt.datetime(2025, 6, 17, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Tuesday, in office hours
CODE_PREFIX = "BR-"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot_portal.settings.test")
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    settings.DEBUG = False
    # As in production, the sweep only queues its e-mail tasks (here on Celery's in-memory transport).
    from pilot_portal.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    import logging

    logging.getLogger("celery").setLevel(logging.WARNING)


def seed(*, dossiers: int) -> int:
    from django.core.management import call_command
    from django.db import connection, transaction

    from pilot_portal.accounts.models import Role, User
    from service_center.models import Dossier, Procedure
    from service_center.procedures import DEMO_CSV, procedures_import
    from units.models import Unit

    call_command("migrate", verbosity=0)
    if Unit.objects.count() < 3321:
        call_command("import_units", verbosity=0)
    procedures_import(text=DEMO_CSV)
    unit_ids = list(Unit.objects.order_by("id").values_list("id", flat=True))
    existing = set(User.objects.filter(username__startswith="bench.official.").values_list("unit_id", flat=True))
    User.objects.bulk_create(
        [
            User(username=f"bench.official.{uid}", role=Role.UNIT_OFFICIAL, unit_id=uid, email=f"o{uid}@bench.local")
            for uid in unit_ids
            if uid not in existing
        ]
    )
    bench = Dossier.objects.filter(code__startswith=CODE_PREFIX)
    current = bench.count()
    if current == dossiers:
        print(f"Reusing {current:,} bench dossiers.")
        return len(unit_ids)
    started = time.perf_counter()
    procedure_ids = list(Procedure.objects.values_list("id", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("delete from notifications_notification")
        cursor.execute(
            "delete from service_center_dossierevent where dossier_id in "
            "(select id from service_center_dossier where code like %s)",
            [CODE_PREFIX + "%"],
        )
        cursor.execute("delete from service_center_dossier where code like %s", [CODE_PREFIX + "%"])
        # Due three days after receipt. Due more than a day before the sweep: finished (10), except one in a
        # thousand left open (overdue backlog). The rest: open (2, 4, 6) or awaiting a supplement (5).
        cursor.execute(
            """
            insert into service_center_dossier (
                code, unit_id, procedure_id, applicant_name, applicant_id_number, applicant_phone,
                applicant_address, channel, received_at, due_at, status, result, closed_at, returned_at,
                is_test, from_district_backlog, lookup_secret
            )
            select
                %(prefix)s || g, (%(units)s)[1 + g %% %(nunits)s], (%(procs)s)[1 + g %% %(nprocs)s],
                'Công dân ' || g, '031190' || lpad((g %% 1000000)::text, 6, '0'), '0912345678', '',
                (1 + g %% 3)::text, r, r + interval '3 days',
                case
                    when r + interval '3 days' < %(at)s - interval '1 day' and g %% 1000 <> 0 then '10'
                    else (array['2', '4', '5', '6'])[1 + g %% 4]
                end,
                '', null, null, false, false, '000000'
            from (
                select g, %(at)s - interval '400 days' * (g::float / %(n)s) as r
                from generate_series(1, %(n)s) as g
            ) s
            """,
            {
                "prefix": CODE_PREFIX,
                "units": unit_ids,
                "nunits": len(unit_ids),
                "procs": procedure_ids,
                "nprocs": len(procedure_ids),
                "n": dossiers,
                "at": AT,
            },
        )
    with connection.cursor() as cursor:
        cursor.execute("analyze service_center_dossier")
    print(f"Seeded {dossiers:,} dossiers across {len(unit_ids):,} units in {time.perf_counter() - started:.1f} s.")
    return len(unit_ids)


def bare_sql_ms(horizon: dt.datetime, repeat: int) -> tuple[float, int]:
    """The due rows with the sweep's filter and columns, fetched through a plain cursor."""
    from django.db import connection

    from service_center.reminders import RUNNING_STATUSES

    sql = (
        "select d.id, d.code, d.unit_id, d.assigned_to_id, u.is_active, d.due_at, p.name "
        "from service_center_dossier d join service_center_procedure p on p.id = d.procedure_id "
        "left join accounts_user u on u.id = d.assigned_to_id "
        "where d.status = any(%s) and d.due_at <= %s order by d.due_at, d.id"
    )
    timings, rows = [], 0
    for _ in range(repeat):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql, [list(RUNNING_STATUSES), horizon])
            rows = len(cursor.fetchall())
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), rows


def sweep_ms(repeat: int, *, fresh: bool) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pilot_portal.notifications import sweeps
    from pilot_portal.notifications.models import Notification

    timings, queries, sent = [], 0, 0
    for _ in range(repeat):
        if fresh:
            Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            sent = sweeps.run("dossiers_due", at=AT)
            timings.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured.captured_queries))
    return statistics.median(timings), queries, sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup_django(url)
    units = seed(dossiers=args.dossiers)

    from service_center.calendar import calendar

    work_calendar = calendar()
    horizon = work_calendar.add_office_time(AT, work_calendar.day_length)
    bare, due_rows = bare_sql_ms(horizon, args.repeat)
    first, first_q, sent = sweep_ms(args.repeat, fresh=True)
    again, again_q, resent = sweep_ms(args.repeat, fresh=False)
    print(f"\nsweep dossiers_due at {AT:%Y-%m-%d %H:%M %Z}: {units:,} units, {args.dossiers:,} dossiers, ")
    print(f"{due_rows:,} due or overdue dossiers -> {sent:,} notifications (second run: {resent})\n")
    print(f"{'what':<34} {'ms':>9} {'queries':>8} {'x bare SQL':>11}")
    print(f"{'bare SQL selecting the due rows':<34} {bare:>9.1f} {1:>8} {1:>11.2f}")
    print(f"{'sweep, first run (stores, queues)':<34} {first:>9.1f} {first_q:>8} {first / bare:>11.2f}")
    print(f"{'sweep, second run (all duplicates)':<34} {again:>9.1f} {again_q:>8} {again / bare:>11.2f}")


if __name__ == "__main__":
    main()
