"""Load test of the counter: the production process set on this machine, driven by Locust.

Builds its own PostgreSQL database (``pilot_bench_load``: migrate, the demo, ``--clerks`` clerks of phường Lê Đại
Hành), collects the static files, starts gunicorn (``--worker-class``, ``--workers``, ``--threads``), one Celery
worker and one beat on Redis, then for each number of clients runs Locust headless for ``--run-time`` seconds
(clerks: queue, dossier page, intake, transitions; citizens: the lookup; one ``/healthz`` probe a second) and
prints requests per second, median and 95th-percentile latency per page, and errors.

    .venv/bin/python bench/load.py --clients 10,50,100 --run-time 60 --worker-class gthread --workers 3 --threads 8

Everything listens on 127.0.0.1. ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/pilot_bench_load)
and ``REDIS_URL`` (default redis://127.0.0.1:6379/12) choose the services.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import ensure_database  # noqa: E402  (after the path)

PYTHON = sys.executable
SETUP = """
import json, sys
import django
django.setup()
from pilot_portal.accounts.models import Role, User
from service_center.models import Dossier
from units.models import Unit
unit = Unit.objects.get(pk=User.objects.get(username="motcua.ledaihanh").unit_id)
names = []
for i in range(int(sys.argv[1])):
    user, _ = User.objects.get_or_create(username=f"tai.motcua{i:03d}", defaults={"role": Role.WARD_CLERK})
    user.role, user.unit = Role.WARD_CLERK, unit
    user.set_password(sys.argv[2])
    user.save()
    names.append(user.username)
lookups = list(Dossier.objects.filter(unit__province=unit.province).values_list("code", "lookup_secret")[:500])
json.dump({"clerks": names, "lookups": lookups}, open(sys.argv[3], "w"))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(*, database_url: str, redis_url: str, mail_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        DJANGO_SECRET_KEY="load-test-secret-key-not-for-real-use-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        REDIS_KEY_PREFIX="bench-load:",
        EMAIL_URL=f"filemail:///{mail_dir}",
        CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_healthy(port: int, logs: list[Path]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    tails = "\n".join(f"--- {log}\n{log.read_text(errors='replace')[-2000:]}" for log in logs)
    raise SystemExit(f"the server did not become healthy\n{tails}")


def server_command(args, port: int) -> list[str]:
    if args.worker_class == "uvicorn":
        return [
            PYTHON,
            "-m",
            "uvicorn",
            "pilot_portal.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--no-access-log",
        ]
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "pilot_portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
    ]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    return command


def locust(*, clients: int, seconds: int, port: int, env: dict[str, str], prefix: Path) -> list[dict]:
    spawn_rate = max(1, clients // 5)
    run(
        [
            PYTHON,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(clients),
            "-r",
            str(spawn_rate),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--exit-code-on-error",
            "0",
        ],
        env,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="10,50,100")
    parser.add_argument("--run-time", type=int, default=60)
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread", "uvicorn"])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--clerks", type=int, default=30)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pilot_bench_load")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")
    ensure_database(database_url)
    work = Path(tempfile.mkdtemp(prefix="pilot-load-"))
    (work / "mail").mkdir()
    env = environment(database_url=database_url, redis_url=redis_url, mail_dir=work / "mail")
    print("Preparing the database (migrate, demo, clerks) and the static files…", flush=True)
    run([PYTHON, "manage.py", "migrate", "--noinput"], env)
    run([PYTHON, "manage.py", "seed_demo", "--allow-demo-users"], env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput"], env)
    password = "thidiem-2025"
    run([PYTHON, "-c", SETUP, str(args.clerks), password, str(work / "setup.json")], env)
    setup = json.loads((work / "setup.json").read_text())
    lookups = work / "lookups.json"
    lookups.write_text(json.dumps(setup["lookups"]))
    load_env = dict(env, LOAD_CLERKS=",".join(setup["clerks"]), LOAD_PASSWORD=password, LOAD_LOOKUPS=str(lookups))

    port = free_port()
    logs = {name: work / f"{name}.log" for name in ("server", "worker", "beat")}
    processes = [
        start(server_command(args, port), env, logs["server"]),
        start(
            [PYTHON, "-m", "celery", "-A", "pilot_portal", "worker", "--loglevel=WARNING", "--concurrency=1"],
            env,
            logs["worker"],
        ),
        start(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "pilot_portal",
                "beat",
                "--loglevel=WARNING",
                "-s",
                str(work / "celerybeat-schedule"),
            ],
            env,
            logs["beat"],
        ),
    ]
    try:
        wait_healthy(port, list(logs.values()))
        model = args.worker_class + (f" x{args.threads} threads" if args.worker_class == "gthread" else "")
        print(f"Server: {args.workers} {model} workers; Locust {args.run_time} s per run.\n")
        for clients in (int(n) for n in args.clients.split(",")):
            rows = locust(clients=clients, seconds=args.run_time, port=port, env=load_env, prefix=work / f"c{clients}")
            print(f"{clients} clients")
            print(f"  {'page':<20} {'requests':>9} {'errors':>7} {'req/s':>7} {'median ms':>10} {'p95 ms':>8}")
            for row in rows:
                print(
                    f"  {row['Name']:<20} {row['Request Count']:>9} {row['Failure Count']:>7} "
                    f"{float(row['Requests/s']):>7.1f} {row['50%']:>10} {row['95%']:>8}"
                )
            print(flush=True)
    finally:
        for process in processes:
            stop(process)
    errors = [line for line in logs["server"].read_text(errors="replace").splitlines() if "Traceback" in line]
    print(f"Server log: {len(errors)} tracebacks ({logs['server']}).")


if __name__ == "__main__":
    main()
