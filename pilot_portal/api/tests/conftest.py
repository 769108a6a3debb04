import json

import pytest
from django.test import Client

from pilot_portal.api.tokens import token_create


@pytest.fixture(autouse=True)
def _frozen_clock(request):
    """The API's dossiers hang on office hours and the day: every test here runs on the frozen clock, except the
    browser and process tests (Chromium and the worker keep the real one)."""
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("process"):
        yield None
    else:
        yield request.getfixturevalue("frozen_now")


@pytest.fixture(autouse=True)
def _clear_cache():
    """The rate limit counts in the cache: every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class ApiClient:
    """Django's test client with a user's bearer token on every request; answers are (status, JSON)."""

    def __init__(self, raw_token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {raw_token}"} if raw_token else {}

    def get(self, path, params=None):
        response = self.client.get(path, params or {}, headers=self.headers)
        return response.status_code, response.json()

    def post(self, path, data=None, *, raw: bytes | str | None = None):
        body = raw if raw is not None else json.dumps(data)
        response = self.client.post(path, body, content_type="application/json", headers=self.headers)
        return response.status_code, response.json()


@pytest.fixture
def api_as():
    """``api_as(user)``: an API client with a fresh token of ``user``."""

    def make(user):
        return ApiClient(token_create(user=user, name="Hệ thống một cửa").raw)

    return make


@pytest.fixture
def anonymous_api():
    return ApiClient(None)


@pytest.fixture
def broker_down(settings):
    """Redis unreachable (nothing listens on port 1) and tasks sent to it, not run in-process."""
    from pilot_portal.celery import app as celery_app

    dead = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = dead
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = dead, False
    celery_app._pool = celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
    celery_app._pool = celery_app.amqp._producer_pool = None
