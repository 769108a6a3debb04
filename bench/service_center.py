"""Benchmark of the service centre's clerk pages against the Django admin changelist.

Seeds N dossiers (default 1,000,000) across 100 units in its own PostgreSQL database with one set-based INSERT,
then requests, as the clerk of one unit, the queue (overdue) and the statistics page, and as a superuser the
admin changelist of the same dossiers with the same filter, and prints median server time and query count with
the ratios measured in this run.

    .venv/bin/python bench/service_center.py [--dossiers 1000000] [--units 100] [--repeat 15]

DATABASE_URL selects the database (default postgres://postgres@127.0.0.1:5432/pilot_bench_service_center; it is
created when missing, and its bench data is replaced when the requested size differs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import ensure_database, setup_django  # noqa: E402  (after the path)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pilot_bench_service_center"
BENCH_PROVINCE = "99"


def seed(*, dossiers: int, units: int) -> tuple[list, object, object]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from pilot_portal.accounts.models import Role, User
    from service_center.models import Dossier, Procedure
    from service_center.procedures import DEMO_CSV, procedures_import
    from units.models import Province, Unit

    call_command("migrate", verbosity=0)
    procedures_import(text=DEMO_CSV)
    province, _ = Province.objects.get_or_create(
        code=BENCH_PROVINCE, defaults={"name": "Tỉnh Đo Tải", "short_name": "Đo Tải", "kind": "tinh"}
    )
    unit_objs = []
    for i in range(units):
        unit, _ = Unit.objects.get_or_create(
            code=f"9{i:04d}",
            defaults={
                "name": f"Phường Đo Tải {i}",
                "short_name": f"Đo Tải {i}",
                "kind": "phuong",
                "province": province,
                "agency_code": f"B99.{i:03d}",
            },
        )
        unit_objs.append(unit)
    clerk, _ = User.objects.get_or_create(username="bench.clerk", defaults={"role": Role.WARD_CLERK})
    clerk.unit = unit_objs[0]
    clerk.role = Role.WARD_CLERK
    clerk.save()
    admin_user, _ = User.objects.get_or_create(
        username="bench.admin", defaults={"is_superuser": True, "is_staff": True}
    )
    bench_qs = Dossier.objects.filter(unit__province=province)
    current = bench_qs.count()
    if current == dossiers:
        print(f"Reusing {current:,} bench dossiers.")
        return unit_objs, clerk, admin_user
    started = time.perf_counter()
    unit_ids = [u.id for u in unit_objs]
    procedure_ids = list(Procedure.objects.values_list("id", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "delete from service_center_dossierevent where dossier_id in "
            "(select d.id from service_center_dossier d join units_unit u on u.id = d.unit_id "
            "where u.province_id = %s)",
            [province.id],
        )
        cursor.execute(
            "delete from service_center_dossier where unit_id in (select id from units_unit where province_id = %s)",
            [province.id],
        )
        # Statuses: 2,4,5,6 open; 9,10 finished; 3,7,8 closed. Received over the 400 days before now.
        cursor.execute(
            """
            insert into service_center_dossier (
                code, unit_id, procedure_id, applicant_name, applicant_id_number, applicant_phone,
                applicant_address, channel, received_at, due_at, status, result, closed_at, returned_at,
                is_test, from_district_backlog, lookup_secret
            )
            select
                'B99-' || g, (%(units)s)[1 + g %% %(nunits)s], (%(procs)s)[1 + g %% %(nprocs)s],
                'Công dân ' || g, '031190' || lpad((g %% 1000000)::text, 6, '0'), '0912345678', '',
                (1 + g %% 3)::text, r, r + interval '3 days',
                (array['2','4','5','6','9','10','10','10','10','3','7','8'])[1 + (g / %(nunits)s) %% 12],
                '',
                case when (g / %(nunits)s) %% 12 >= 4 then r + interval '1 day' * (1 + g %% 4) end,
                case when (g / %(nunits)s) %% 12 between 5 and 8 then r + interval '1 day' * (2 + g %% 4) end,
                false, false, '000000'
            from (
                select g, now() - interval '400 days' * (g::float / %(n)s) as r
                from generate_series(1, %(n)s) as g
            ) s
            """,
            {
                "units": unit_ids,
                "nunits": len(unit_ids),
                "procs": procedure_ids,
                "nprocs": len(procedure_ids),
                "n": dossiers,
            },
        )
    with connection.cursor() as cursor:
        cursor.execute("analyze service_center_dossier")
    print(f"Seeded {dossiers:,} dossiers across {units} units in {time.perf_counter() - started:.1f} s.")
    return unit_objs, clerk, admin_user


def measure(client, url: str, repeat: int) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], []
    status = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        status = response.status_code
        queries.append(len(captured.captured_queries))
    return statistics.median(timings), max(queries), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup_django(url)

    from django.test import Client
    from django.utils import timezone

    units, clerk, admin_user = seed(dossiers=args.dossiers, units=args.units)
    unit = units[0]
    clerk_client, admin_client = Client(), Client()
    clerk_client.force_login(clerk)
    admin_client.force_login(admin_user)
    today = timezone.localdate()
    start = today.replace(day=1)
    tz_now = timezone.localtime()
    now_text = quote(tz_now.isoformat(timespec="seconds"))
    start_text = quote(tz_now.replace(day=1, hour=0, minute=0, second=0, microsecond=0).isoformat())
    end_text = quote(tz_now.replace(hour=23, minute=59, second=59, microsecond=0).isoformat())
    pairs = [
        (
            "queue (overdue)",
            "/service-center/?queue=overdue",
            f"/admin/service_center/dossier/?unit__id__exact={unit.id}&status__in=2,4,6&due_at__lt={now_text}",
        ),
        (
            "statistics (month)",
            f"/service-center/statistics/?start={start}&end={today}",
            f"/admin/service_center/dossier/?unit__id__exact={unit.id}"
            f"&received_at__gte={start_text}&received_at__lte={end_text}",
        ),
    ]
    print(f"\n{'page':<20} {'ours ms':>9} {'q':>3} {'admin ms':>9} {'q':>3} {'time ratio':>11}")
    for name, ours, admin in pairs:
        ours_ms, ours_q, ours_status = measure(clerk_client, ours, args.repeat)
        admin_ms, admin_q, admin_status = measure(admin_client, admin, args.repeat)
        if ours_status != 200 or admin_status != 200:
            print(f"{name}: unexpected status {ours_status} / {admin_status}")
        print(f"{name:<20} {ours_ms:>9.1f} {ours_q:>3} {admin_ms:>9.1f} {admin_q:>3} {ours_ms / admin_ms:>10.2f}x")
    print("\nRatio < 1 means the clerk's page is faster than the admin changelist with the same filter.")


if __name__ == "__main__":
    main()
