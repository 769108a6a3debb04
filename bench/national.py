"""Benchmark of the national overview, the largest province's dashboard and its review report.

Seeds its own PostgreSQL database with the national registry (34 provinces, 3,321 units), one campaign per
province over all its units (every unit gets the readiness checklist: about 60,000 items), a first HĐND session
and a first UBND meeting for some units, a few critical issues, and N dossiers (default 1,000,000) across all the
units, with set-based SQL; then requests, as a national viewer, the national overview, and as Hồ Chí Minh City's
staff (168 units) its dashboard and review report, and prints the median server time, the query count and the
size of the HTML.

    .venv/bin/python bench/national.py [--dossiers 1000000] [--repeat 7]

DATABASE_URL selects the database (default postgres://postgres@127.0.0.1:5432/pilot_bench_national; it is
created when missing; the bench data is rebuilt when the requested number of dossiers differs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import ensure_database, other_columns, setup_django  # noqa: E402  (after the path)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pilot_bench_national"
HCMC = "79"
#: The seeds' milestones: the pages are read on 20/6/2025 (the pilot running, items late).
MILESTONES = {
    "pilot_start": dt.date(2025, 6, 16),
    "review_meeting": dt.date(2025, 6, 25),
    "old_procedure_cutoff": dt.date(2025, 6, 30),
    "go_live": dt.date(2025, 7, 1),
}


def _execute(sql: str, params=None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params if params is not None else [])


def seed(*, dossiers: int):
    from django.core.management import call_command
    from django.db import transaction

    from pilot_portal.accounts.models import Role, User
    from pilot_portal.campaigns.models import Campaign, ChecklistItem, Milestone
    from pilot_portal.campaigns.services import checklist_templates_ensure_defaults
    from service_center.models import Dossier
    from service_center.procedures import DEMO_CSV, procedures_import
    from units.models import Province, Unit

    call_command("migrate", verbosity=0)
    if Unit.objects.count() < 3321:
        call_command("import_units", verbosity=0)
    procedures_import(text=DEMO_CSV)
    checklist_templates_ensure_defaults()
    viewer, _ = User.objects.get_or_create(username="bench.national", defaults={"role": Role.NATIONAL_VIEWER})
    hcmc = Province.objects.get(code=HCMC)
    staff, _ = User.objects.get_or_create(
        username="bench.hcmc", defaults={"role": Role.PROVINCE_STAFF, "province": hcmc}
    )
    if Dossier.objects.count() == dossiers and ChecklistItem.objects.exists():
        print(f"Reusing the bench data ({dossiers:,} dossiers, {ChecklistItem.objects.count():,} checklist items).")
        return viewer, staff, hcmc

    started = time.perf_counter()
    with transaction.atomic():
        for table in (
            "service_center_dossierevent",
            "service_center_dossier",
            "council_sessions_sessionevent",
            "council_sessions_session",
            "units_pilotissueevent",
            "units_pilotissue",
            "units_checklistitemevent",
            "units_checklistitem",
            "units_campaignunitevent",
            "units_campaignunit",
            "units_wave",
            "units_milestone",
            "units_campaign",
        ):
            _execute(f"delete from {table}")
        for province in Province.objects.all():
            campaign = Campaign.objects.create(province=province, name=f"Vận hành thử nghiệm {province.name}")
            Milestone.objects.bulk_create(
                Milestone(campaign=campaign, kind=kind, date=day) for kind, day in MILESTONES.items()
            )
        # Every unit in its province's campaign; pilot statuses spread by the unit's id.
        _execute(
            """
            insert into units_campaignunit (campaign_id, unit_id, status, live_override_reason)
            select c.id, u.id, (array['not_started','piloting','piloting','reviewed','live'])[1 + u.id %% 5], ''
            from units_unit u join units_campaign c on c.province_id = u.province_id
            """
        )
        # The checklist of every unit from the active templates, a share of the hand items done.
        _execute(
            """
            insert into units_checklistitem (
                campaign_unit_id, template_id, block, position, title, owner, milestone_id, offset_days,
                is_critical, derived_source, status, evidence_note, evidence_file, updated_at, version
            )
            select cu.id, t.id, t.block, t.position, t.title, t.owner, m.id, t.offset_days, t.is_critical,
                t.derived_source,
                case when t.derived_source = '' and (cu.id + t.id) %% 3 <> 0 then 'done' else 'todo' end,
                '', '', now(), 0
            from units_campaignunit cu
            join units_milestone m on m.campaign_id = cu.campaign_id
            join units_checklisttemplateitem t on t.milestone = m.kind and t.is_active
            """
        )
        # First HĐND session and first UBND meeting, closed, for two units in three.
        _execute(
            """
            insert into council_sessions_session (
                unit_id, kind, number, title, is_rehearsal, scheduled_start, venue, chair, secretary,
                budget_minutes, stream_url, stream_access, status, actual_start, actual_end, minutes_file,
                minutes_file_name, minutes_summary, lessons_good, lessons_fix, created_at
            )
            select cu.unit_id, k.kind, 1, k.title, false, timestamptz '2025-06-16 08:00+07', '', '', '', 45, '',
                'province', 'closed', timestamptz '2025-06-16 08:00+07',
                timestamptz '2025-06-16 08:00+07' + interval '1 minute' * (35 + cu.id %% 20), '', '', '',
                'Chuẩn bị tài liệu chu đáo.', '', now()
            from units_campaignunit cu
            cross join (values ('hdnd', 'Kỳ họp thứ nhất HĐND'), ('ubnd', 'Phiên họp thứ nhất UBND')) k(kind, title)
            where cu.id %% 3 <> 0
            """
        )
        # A critical issue, not closed, for one unit in twenty.
        _execute(
            """
            insert into units_pilotissue (
                campaign_unit_id, category, severity, title, description, proposed_fix, status, raised_by_id,
                raised_at, answer, block
            )
            select cu.id, 'obstacle', 'critical', 'Đường truyền mất kết nối', '', '', 'open', %s,
                timestamptz '2025-06-17 09:00+07', '', 'it'
            from units_campaignunit cu where cu.id %% 20 = 0
            """,
            [viewer.id],
        )
        _seed_dossiers(dossiers)
    for table in ("service_center_dossier", "units_checklistitem", "units_campaignunit", "council_sessions_session"):
        _execute(f"analyze {table}")
    print(
        f"Seeded {Campaign.objects.count()} campaigns, {ChecklistItem.objects.count():,} checklist items and "
        f"{dossiers:,} dossiers in {time.perf_counter() - started:.1f} s."
    )
    return viewer, staff, hcmc


def _seed_dossiers(n: int) -> None:
    from service_center.models import Procedure
    from units.models import Unit

    unit_ids = list(Unit.objects.order_by("id").values_list("id", flat=True))
    procedure_ids = list(Procedure.objects.values_list("id", flat=True))
    from django.db import connection

    seeded = {
        "code", "unit_id", "procedure_id", "applicant_name", "applicant_id_number", "applicant_phone",
        "applicant_address", "channel", "received_at", "due_at", "status", "result", "closed_at", "returned_at",
        "is_test", "from_district_backlog", "lookup_secret",
    }  # fmt: skip
    with connection.cursor() as cursor:
        names, values = other_columns(cursor, seeded=seeded)  # the columns added since, at their defaults
    extra_columns = "".join(f"{name}, " for name in names)
    extra_values = "".join(f"%(extra_{i})s, " for i in range(len(values)))
    # Received over the 30 days before 20/6/2025; statuses 2,4,5,6 open, 9,10 finished, 3,7,8 closed; one in
    # fifty a test dossier.
    _execute(
        f"""
        insert into service_center_dossier (
            {extra_columns}code, unit_id, procedure_id, applicant_name, applicant_id_number, applicant_phone,
            applicant_address, channel, received_at, due_at, status, result, closed_at, returned_at,
            is_test, from_district_backlog, lookup_secret
        )
        select
            {extra_values}'N-' || g, (%(units)s)[1 + g %% %(nunits)s], (%(procs)s)[1 + g %% %(nprocs)s],
            'Công dân ' || g, '031190' || lpad((g %% 1000000)::text, 6, '0'), '0912345678', '',
            (1 + g %% 3)::text, r, r + interval '3 days',
            (array['2','4','5','6','9','10','10','10','10','3','7','8'])[1 + (g / %(nunits)s) %% 12],
            '',
            case when (g / %(nunits)s) %% 12 >= 4 then r + interval '1 day' * (1 + g %% 4) end,
            case when (g / %(nunits)s) %% 12 between 5 and 8 then r + interval '1 day' * (2 + g %% 4) end,
            g %% 50 = 0, false, '000000'
        from (
            select g, timestamptz '2025-06-20 17:00+07' - interval '30 days' * (g::float / %(n)s) as r
            from generate_series(1, %(n)s) as g
        ) s
        """,
        {
            **{f"extra_{i}": value for i, value in enumerate(values)},
            "units": unit_ids,
            "nunits": len(unit_ids),
            "procs": procedure_ids,
            "nprocs": len(procedure_ids),
            "n": n,
        },
    )


def measure(client, url: str, repeat: int) -> tuple[float, float, float, int, int, int]:
    """(median wall ms, median CPU ms of this process, median ms spent waiting for the database, queries, bytes,
    status). On a shared machine the wall time includes waiting for a core; CPU + database is the work."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, cpu, db, queries = [], [], [], []
    response = None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries.append(len(captured.captured_queries))
        db.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    return (
        statistics.median(timings),
        statistics.median(cpu),
        statistics.median(db),
        max(queries),
        len(response.content),
        response.status_code,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--on", default="2025-06-20", help="the day the pages look at (?on=), default 20/6/2025")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup_django(url, CAMPAIGNS_OVERVIEW_CACHE_SECONDS=300)  # as in production (the test settings turn it off)

    from django.test import Client
    from django.urls import reverse

    from pilot_portal.campaigns.models import Campaign

    viewer, staff, hcmc = seed(dossiers=args.dossiers)
    campaign = Campaign.objects.get(province=hcmc)
    national, province = Client(), Client()
    national.force_login(viewer)
    province.force_login(staff)
    query = f"?on={args.on}" if args.on else ""
    pages = [
        ("national overview", national, reverse("campaigns:national") + query),
        ("national map (SVG)", national, reverse("campaigns:national_map") + query),
        (f"dashboard ({campaign.units.count()} units)", province, reverse("campaigns:dashboard", args=[campaign.pk])),
        ("dashboard as of", province, reverse("campaigns:dashboard", args=[campaign.pk]) + query),
        ("review report", province, reverse("campaigns:report", args=[campaign.pk])),
    ]
    from django.core.cache import cache

    cache.clear()
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'page':<28} {'wall ms':>9} {'cpu ms':>8} {'db ms':>8} {'queries':>8} {'KiB':>8}")
    rows = [("national overview (cold)", national, pages[0][2], 1)] + [(n, c, p, args.repeat) for n, c, p in pages]
    for name, client, page, repeat in rows:
        ms, cpu, db, queries, size, status = measure(client, page, repeat)
        flag = "" if status == 200 else f"  (status {status})"
        print(f"{name:<28} {ms:>9.1f} {cpu:>8.1f} {db:>8.1f} {queries:>8} {size / 1024:>8.1f}{flag}")
    print("\nTargets: national overview and the 168-unit dashboard under 150 ms and 200 KiB, queries constant.")
    print("On a loaded machine compare cpu + db ms (the work) rather than the wall time (which waits for a core).")


if __name__ == "__main__":
    main()
