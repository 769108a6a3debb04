import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from pilot_portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[3]


def run_python(code: str, **env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY"}}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_interface_defaults_to_vietnamese_in_ho_chi_minh_time():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]
    assert settings.USE_TZ is True


def test_celery_reads_its_settings_from_django():
    assert celery_app.conf.task_serializer == "json"
    assert celery_app.conf.accept_content == ["json"]
    assert celery_app.conf.timezone == settings.TIME_ZONE
    assert celery_app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT


def test_embedded_default_uses_sqlite_eager_tasks_and_console_mail():
    result = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='pilot_portal.settings.local'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "pilot_portal.core.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='pilot_portal.settings.production'; django.setup()",
        ALLOWED_HOSTS="portal.example.vn",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_deploy_check_has_no_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "pilot_portal.settings.production",
            "DJANGO_SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "portal.example.vn",
            "PORTAL_BASE_URL": "https://portal.example.vn",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_deploy_check_warns_without_a_public_origin():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "PORTAL_BASE_URL"}},
            "DJANGO_SETTINGS_MODULE": "pilot_portal.settings.production",
            "DJANGO_SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "portal.example.vn",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "core.W001" in result.stdout + result.stderr


def test_embedded_default_puts_email_links_on_the_development_server():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='pilot_portal.settings.local'; django.setup();"
        "from pilot_portal.core.links import public_url; print(public_url('/campaigns/units/1/'))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "PORTAL_BASE_URL"}}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8000/campaigns/units/1/"
