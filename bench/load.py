"""Load test of the counter: the production process set on this machine, driven by Locust.

Builds its own PostgreSQL database (``pilot_bench_load``: migrate, the demo, ``--clerks`` clerks of phường Lê Đại
Hành), collects the static files, starts one gunicorn per worker model of ``--worker-class`` (``sync``, ``gthread``
with ``--threads``, ``uvicorn``: uvicorn's ASGI worker; ``--workers`` each, on ports of their own), one Celery worker
and one beat on Redis; then for each number of clients it runs Locust headless (``bench/locustfile.py``: clerks
with the seconds a counter takes between screens, citizens, one ``/healthz`` probe a second) against each model in
turn, so that the models compared meet the same load from the machine's other users. The clients start
``--spawn-rate`` a second and sign in once; the sign-ins are reported apart, the pages over the ``--run-time``
seconds of steady state that follow. Prints per page requests, errors, requests per second, median and 95th
percentile, and the page's p95 over the probe's; then the README's table (with the load average, before / after).

    .venv/bin/python bench/load.py --clients 10,50,100 --run-time 40 --clerks 100 --worker-class sync,gthread,uvicorn

Everything listens on 127.0.0.1. ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/pilot_bench_load)
and ``REDIS_URL`` (default redis://127.0.0.1:6379/12) choose the services.
"""

from __future__ import annotations

import argparse
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


#: The worker models bench/load.py can start, each a production command line (bind 127.0.0.1 behind the proxy).
MODELS = ("sync", "gthread", "uvicorn")


def server_command(model: str, args, port: int) -> list[str]:
    """gunicorn with sync workers, with threaded workers (``--threads``), or with uvicorn's ASGI worker (the pinned
    uvicorn still ships ``uvicorn.workers.UvicornWorker``): the same process manager for the three."""
    command = [PYTHON, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
    if model == "uvicorn":
        return [*command, "--worker-class", "uvicorn.workers.UvicornWorker", "pilot_portal.asgi:application"]
    command += ["--worker-class", model, "pilot_portal.wsgi"]
    if model == "gthread":
        command += ["--threads", str(args.threads)]
    return command


def server_env(model: str, env: dict[str, str], pool: int) -> dict[str, str]:
    """Under ASGI Django runs each request's sync code in a thread of its own, so a kept connection (CONN_MAX_AGE)
    would be a new one per request: the ASGI server takes its connections from a pool (``DATABASE_POOL_SIZE``)."""
    return dict(env, DATABASE_POOL_SIZE=str(pool)) if model == "uvicorn" and pool else env


def locust(*, clients: int, spawn_rate: float, seconds: int, port: int, env: dict[str, str], prefix: Path) -> dict:
    """One Locust run; returns its record (``bench/locustfile.py``): every request with its time, and when spawning
    finished. The run lasts the spawning plus ``seconds`` of steady state."""
    spawning = int(clients / spawn_rate + 0.999)
    record = Path(f"{prefix}_record.json")
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
            f"{spawning + seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            f"http://127.0.0.1:{port}",
            "--exit-code-on-error",
            "0",
        ],
        dict(env, LOAD_RECORD=str(record)),
    )
    return json.loads(record.read_text())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summary(record: dict) -> tuple[list[dict], float]:
    """Per page over the steady state (after the last client started), the sign-ins over the whole run (they all
    happen while the clients start); errors over the whole run. Returns the rows and the steady seconds."""
    spawned = record["spawned"] or 0.0
    requests = record["requests"]
    end = max((t for _, t, _, _ in requests), default=spawned)
    steady = max(end - spawned, 1e-9)
    rows = []
    for name in sorted({r[0] for r in requests}, key=lambda n: (n.startswith("login"), n == "/healthz", n)):
        sign_in = name.startswith("login")
        times = [ms for n, t, ms, _ in requests if n == name and (sign_in or t >= spawned)]
        errors = sum(1 for n, _, _, failed in requests if n == name and failed)
        rows.append(
            {
                "page": name + (" (start)" if sign_in else ""),
                "requests": len(times),
                "errors": errors,
                "rps": len(times) / (spawned if sign_in else steady) if (spawned or not sign_in) else 0.0,
                "median": percentile(times, 0.5),
                "p95": percentile(times, 0.95),
            }
        )
    return rows, steady


def failures(record: dict) -> list[str]:
    """The distinct failures of a run, each with its page and how many times."""
    seen: dict[str, int] = {}
    for name, _, _, failure in record["requests"]:
        if failure:
            seen[f"{name}: {failure}"] = seen.get(f"{name}: {failure}", 0) + 1
    return [f"{count} x {text}" for text, count in sorted(seen.items())]


def print_table(*, model: str, clients: int, rows: list[dict], steady: float, load: tuple) -> None:
    health = next((r for r in rows if r["page"] == "/healthz"), None)
    pages = [r for r in rows if r["page"] != "/healthz" and not r["page"].startswith("login")]
    total = sum(r["requests"] for r in pages) / steady
    errors = sum(r["errors"] for r in rows)
    print(
        f"{model}, {clients} clients: {total:.1f} req/s over {steady:.0f} s of steady state, {errors} errors; "
        f"load average before/after {load[0]:.2f} / {load[1]:.2f}"
    )
    heading = ("page", "requests", "errors", "req/s", "median ms", "p95 ms", "p95/healthz")
    print("  {:<20} {:>8} {:>6} {:>6} {:>9} {:>7} {:>11}".format(*heading))
    for row in rows:
        ratio = row["p95"] / health["p95"] if health and health["p95"] else 0.0
        print(
            f"  {row['page']:<20} {row['requests']:>8} {row['errors']:>6} {row['rps']:>6.1f} "
            f"{row['median']:>9.0f} {row['p95']:>7.0f} {ratio:>11.1f}"
        )
    print(flush=True)


def serve(models: list[str], args, env: dict[str, str], load_env: dict[str, str], work: Path) -> list[str]:
    """Start one server per worker model (each on a port of its own, all idle but the one under load), one Celery
    worker and one beat; for each number of clients run Locust against each model in turn, so that the models of
    one number of clients meet the same load from the machine's other users. Returns the README's table rows."""
    ports = {model: free_port() for model in models}
    logs = {name: work / f"{name}.log" for name in (*models, "worker", "beat")}
    celery = [PYTHON, "-m", "celery", "-A", "pilot_portal"]
    processes = [start(server_command(m, args, ports[m]), server_env(m, env, args.pool), logs[m]) for m in models]
    processes += [
        start([*celery, "worker", "--loglevel=WARNING", "--concurrency=1"], env, logs["worker"]),
        start([*celery, "beat", "--loglevel=WARNING", "-s", str(work / "celerybeat-schedule")], env, logs["beat"]),
    ]
    lines = []
    try:
        for model in models:
            wait_healthy(ports[model], list(logs.values()))
        print(
            f"Servers: gunicorn, {args.workers} workers each ({', '.join(models)}; gthread with {args.threads} "
            f"threads); {args.run_time} s of steady state a run, clients started {args.spawn_rate:g} a second.\n"
        )
        for clients in (int(n) for n in args.clients.split(",")):
            for model in models:
                before = os.getloadavg()[0]
                record = locust(
                    clients=clients,
                    spawn_rate=args.spawn_rate,
                    seconds=args.run_time,
                    port=ports[model],
                    env=load_env,
                    prefix=work / f"{model}-c{clients}",
                )
                rows, steady = summary(record)
                after = os.getloadavg()[0]
                print_table(model=model, clients=clients, rows=rows, steady=steady, load=(before, after))
                for line in failures(record):
                    print(f"  failed: {line}")
                lines.append(readme_row(model=model, clients=clients, rows=rows, steady=steady, load=(before, after)))
    finally:
        for process in processes:
            stop(process)
    for model in models:
        tracebacks = [line for line in logs[model].read_text(errors="replace").splitlines() if "Traceback" in line]
        print(f"Server log of {model}: {len(tracebacks)} tracebacks ({logs[model]}).")
    return lines


def readme_row(*, model: str, clients: int, rows: list[dict], steady: float, load: tuple) -> str:
    get = {row["page"]: row for row in rows}
    pages = [r for r in rows if r["page"] != "/healthz" and not r["page"].startswith("login")]
    health, login = get.get("/healthz"), get.get("login (start)")
    cells = [
        model,
        str(clients),
        f"{sum(r['requests'] for r in pages) / steady:.1f}",
        str(sum(r["errors"] for r in rows)),
        *(f"{get[n]['median']:.0f} / {get[n]['p95']:.0f}" if n in get else "–" for n in PAGES),
        f"{get['queue']['p95'] / health['p95']:.1f}" if health and health["p95"] and "queue" in get else "–",
        f"{login['median']:.0f} / {login['p95']:.0f}" if login else "–",
        f"{load[0]:.2f} / {load[1]:.2f}",
    ]
    return "| " + " | ".join(cells) + " |"


#: The pages of the summary table, each as median / p95.
PAGES = ("queue", "dossier page", "intake (confirm)", "lookup", "/healthz")
HEADER = (
    "| model | clients | req/s | errors | queue ms | dossier page ms | intake (confirm) ms | lookup ms | /healthz ms "
    "| queue p95 / healthz p95 | login ms (start) | load average before / after |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="10,50,100")
    parser.add_argument("--run-time", type=int, default=60, help="seconds of steady state, after the clients started")
    parser.add_argument(
        "--worker-class",
        default="uvicorn",
        help=f"comma-separated, of {', '.join(MODELS)}: all start, and take the load in turn for each --clients",
    )
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--pool", type=int, default=10, help="uvicorn: DATABASE_POOL_SIZE per process (0: none)")
    parser.add_argument("--clerks", type=int, default=30)
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="clients started (and signed in) per second")
    args = parser.parse_args()
    if unknown := set(args.worker_class.split(",")) - set(MODELS):
        parser.error(f"unknown worker class: {', '.join(sorted(unknown))}")
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
    print(f"Machine: {os.cpu_count()} CPUs; Locust runs on the same machine.\n", flush=True)
    lines = serve(args.worker_class.split(","), args, env, load_env, work)
    command = " ".join(["bench/load.py", *sys.argv[1:]])
    print(f"Summary (median / p95; `{command}`):\n\n{HEADER}\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
