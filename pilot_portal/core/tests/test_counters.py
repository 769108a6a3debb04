"""The database counters: atomic hits, expiry, the cache interface django-ratelimit uses, and the purge."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from pilot_portal.core import counters
from pilot_portal.core.models import Counter
from pilot_portal.core.tasks import purge_expired_counters

pytestmark = pytest.mark.django_db


def test_a_hit_counts_and_an_expired_counter_starts_again(frozen_now):
    expires = frozen_now + timedelta(minutes=10)
    assert [counters.hit("k", expires_at=expires) for _ in range(3)] == [1, 2, 3]
    assert counters.hit("k", expires_at=expires, amount=-1) == 2
    assert counters.value("k") == 2
    Counter.objects.filter(key="k").update(expires_at=frozen_now)
    assert counters.value("k") == 0
    assert counters.hit("k", expires_at=expires) == 1


def test_the_limits_cache_adds_and_increments_like_a_shared_cache():
    cache = caches["limits"]
    assert cache.add("a", 1, 60) is True
    assert cache.add("a", 1, 60) is False
    assert cache.incr("a") == 2
    assert cache.get("a") == 2
    with pytest.raises(ValueError):
        cache.incr("missing")


def test_expired_counters_are_purged_by_a_beat_task():
    counters.hit("old", expires_at=timezone.now() - timedelta(seconds=1))
    counters.hit("new", expires_at=timezone.now() + timedelta(hours=1))
    assert purge_expired_counters() == 1
    assert list(Counter.objects.values_list("key", flat=True)) == ["new"]
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "pilot_portal.core.tasks.purge_expired_counters" in tasks
