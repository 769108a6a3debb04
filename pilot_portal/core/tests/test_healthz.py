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
