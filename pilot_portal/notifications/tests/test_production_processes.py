"""Smoke test of the production process set: gunicorn, one celery worker and one beat, on PostgreSQL and Redis.

Production settings (DJANGO_SECRET_KEY, ALLOWED_HOSTS, SECURE_SSL_REDIRECT=false) on the temporary test database:
collectstatic, then /healthz green and the login page served by gunicorn (with uvicorn's workers and a pool of
connections, as the README starts it: ``celery_processes.web_server``); the beat queues every sweep every two
seconds (REMINDERS_BEAT_SECONDS) and the worker runs them until a reminder is stored and e-mailed; all three stop
cleanly on SIGTERM.
"""

import json
import urllib.error
import urllib.request

import pytest

from pilot_portal.notifications.models import Notification
from pilot_portal.notifications.tests import celery_processes as proc


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.process, pytest.mark.slow]


def test_gunicorn_worker_and_beat_run_a_sweep_and_stop_cleanly(tmp_path, unit_official):
    from pilot_portal.notifications.tests.sweep_fixtures import reminder_due_now

    reminder_due_now(unit_official)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    proc.redis_reset()  # nothing left over from an earlier run
    # The HTTPS redirect on, as in production: the load balancer's plain-HTTP health check still gets its answer.
    env = proc.production_env(mail_dir=mail_dir, REMINDERS_BEAT_SECONDS="2", SECURE_SSL_REDIRECT="true")
    proc.collect_static(env)
    port = proc.free_port()
    logs = {name: tmp_path / f"{name}.log" for name in ("gunicorn", "worker", "beat")}
    processes = {
        "gunicorn": proc.start(
            proc.web_server(port, workers=2), env=dict(env, **proc.WEB_SERVER_ENV), log=logs["gunicorn"]
        ),
        "worker": proc.start(
            proc.celery("worker", "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle"),
            env=env,
            log=logs["worker"],
        ),
        "beat": proc.start(
            proc.celery("beat", "--loglevel=INFO", "-s", str(tmp_path / "celerybeat-schedule")),
            env=env,
            log=logs["beat"],
        ),
    }
    try:

        def health():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    return response.status, json.loads(response.read())
            except OSError:
                return None

        status, body = proc.wait_for(health, timeout=60, what="gunicorn /healthz", logs=logs.values())
        assert (status, body) == (200, {"status": "ok", "database": "ok", "broker": "ok"})
        # Every other page is sent to HTTPS; behind the proxy (X-Forwarded-Proto) it is served.
        plain = urllib.request.build_opener(NoRedirect).open
        with pytest.raises(urllib.error.HTTPError) as redirected:
            plain(f"http://127.0.0.1:{port}/accounts/login/", timeout=10)
        assert redirected.value.code == 301
        assert redirected.value.headers["Location"].startswith("https://")
        login = urllib.request.Request(
            f"http://127.0.0.1:{port}/accounts/login/", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(login, timeout=10) as response:
            assert response.status == 200
            assert "Đăng nhập" in response.read().decode()
        proc.wait_for(
            lambda: (
                "pilot_portal.notifications.tasks.run_sweep[" in logs["worker"].read_text(errors="replace")
                and "succeeded" in logs["worker"].read_text(errors="replace")
            ),
            timeout=90,
            what="a sweep sent by beat and executed by the worker",
            logs=logs.values(),
        )
        proc.wait_for(
            lambda: Notification.objects.filter(recipient=unit_official, emailed_at__isnull=False).exists(),
            timeout=60,
            what="the reminder stored and e-mailed",
            logs=logs.values(),
        )
        assert proc.read_emails(mail_dir)[0]["To"] == unit_official.email
    finally:
        codes = {name: proc.stop(process) for name, process in processes.items()}
    assert codes == {"gunicorn": 0, "worker": 0, "beat": 0}, {n: logs[n].read_text()[-2000:] for n in logs}
    assert "Traceback" not in logs["worker"].read_text(errors="replace")
