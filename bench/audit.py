"""A rerun of the security and reliability audit (issue 16), on PostgreSQL and on SQLite, with figures.

    .venv/bin/python bench/audit.py [--quick] [--databases postgresql,sqlite] [--only access,uploads,races,redis,fuzz]

Each database is audited in a child process of its own (Django is set up once per process): a fresh database
(``DATABASE_URL``, default postgres://postgres@127.0.0.1:5432/pp_audit, dropped and created again; SQLite in a
temporary file), migrated, seeded by ``bench/_audit_world.py``, then:

- access (``_audit_access``): every URL pattern x 9 roles x objects of the own unit, of another unit of the
  province and of another province, GET and POST: requests, 5xx, leaks (another unit's marker in a 200),
  the status codes;
- fuzz (``_audit_fuzz``): the hostile values of ``test_hostile_requests`` and Hypothesis-generated text into every
  query parameter and form field of every page each role reaches: requests, 5xx;
- uploads (``_audit_uploads``): about 120 hostile files into every upload field: accepted bad files, 5xx;
- races (``_audit_races``, PostgreSQL only): two clerks at once on the same dossier, two users on the same
  checklist item, through the pages, each thread with its own connection: rounds, wrong outcomes, lost updates,
  events out of order;
- redis (``_audit_redis``): the lookup with Redis closed and with Redis hung: wrong codes evaluated after the
  limit, the slowest answer, whether the page answers.

Every 5xx, leak and wrong outcome is listed with its URL and role. The exit status is 1 when one was found.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import setup_django  # noqa: E402  (after the path)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pp_audit"
#: The fuzzing goes last: its hostile posts change the world (documents removed, sessions closed).
SECTIONS = ("access", "uploads", "races", "redis", "fuzz")


def fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')


def child(args) -> dict:
    """Audit one database (this process's), return the figures."""
    private = Path(tempfile.mkdtemp(prefix="pp_audit_files_"))
    if args.child == "postgresql":
        url = os.environ.get("DATABASE_URL", DEFAULT_URL)
        fresh_database(url)
    else:
        url = f"sqlite:///{private / 'audit.sqlite3'}"
    setup_django(url, PRIVATE_FILES_ROOT=private / "private", MEDIA_ROOT=private / "media")
    import logging

    from django.core.management import call_command

    logging.disable(logging.WARNING)  # the 404s and 400s the audit asks for; the 5xx are counted from responses

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    from bench import _audit_world

    world = _audit_world.seed()
    result = {"database": args.child, "seconds": {"setup": round(time.monotonic() - started)}}
    for section in args.only:
        if section == "races" and args.child != "postgresql":
            continue
        module = __import__(f"bench._audit_{section}", fromlist=["run"])
        started = time.monotonic()
        result[section] = module.run(world, quick=args.quick, private_root=private / "private")
        result["seconds"][section] = round(time.monotonic() - started)
        print(f"  {args.child}: {section} done in {result['seconds'][section]} s", file=sys.stderr, flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer values, files and rounds (about a tenth)")
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--only", default=",".join(SECTIONS), type=lambda s: s.split(","))
    parser.add_argument("--child", choices=("postgresql", "sqlite"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        Path(args.out).write_text(json.dumps(child(args)))
        return 0
    from bench._audit_report import print_report

    command = " ".join([".venv/bin/python", "bench/audit.py", *sys.argv[1:]])
    # One child per database, side by side (one core each).
    children = []
    for database in args.databases.split(","):
        handle, out = tempfile.mkstemp(suffix=".json", prefix="pp_audit_")
        os.close(handle)
        run = [sys.executable, __file__, "--child", database, "--out", out, "--only", ",".join(args.only)]
        children.append((subprocess.Popen(run + (["--quick"] if args.quick else [])), Path(out)))
    results = []
    for process, out in children:
        if process.wait() != 0:
            raise SystemExit(f"the audit of one database failed (exit status {process.returncode})")
        results.append(json.loads(out.read_text()))
        out.unlink()
    return print_report(command, results)


if __name__ == "__main__":
    sys.exit(main())
