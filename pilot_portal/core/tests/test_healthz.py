import pytest


@pytest.mark.django_db
def test_health_is_public_and_green_without_a_broker(client, settings):
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "not configured"}


@pytest.mark.django_db
def test_health_reports_a_running_redis_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_health_is_503_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.HEALTHZ_BROKER_TIMEOUT = 0.5
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "ok", "broker": "down"}


def test_health_answers_plain_http_with_production_settings():
    """Behind a load balancer the health check comes over plain HTTP: 200 or 503, never the HTTPS redirect that
    every other page gets."""
    from pilot_portal.core.tests.test_settings import run_python

    result = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='pilot_portal.settings.production'; django.setup();"
        "from django.test import Client; c = Client(SERVER_NAME='portal.example.vn');"
        "print(c.get('/healthz').status_code, c.get('/accounts/login/').status_code)",
        DJANGO_SECRET_KEY="a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="portal.example.vn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        REDIS_URL="redis://127.0.0.1:1/0",
        HEALTHZ_BROKER_TIMEOUT="0.2",
    )
    assert result.returncode == 0, result.stderr
    health, login = result.stdout.split()
    assert health in ("200", "503")
    assert login == "301"
