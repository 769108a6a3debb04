"""The "session changed" signal of the live pages, over Redis pub/sub (redis-py, sync to publish, asyncio to listen).

Services call :func:`changed` inside their transaction; the message goes out after the commit, and a failure to
publish (Redis down, slow) is logged and never reaches the secretary's action. Without ``REDIS_URL`` (the embedded
default) nothing is published: the pages poll the state endpoint instead.
"""

from __future__ import annotations

import asyncio
import logging

import redis
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

MESSAGE = "changed"
#: Seconds the publisher waits for Redis before giving up (the secretary's request waits at most this long).
PUBLISH_TIMEOUT = 0.5
_clients: dict[str, redis.Redis] = {}


def enabled() -> bool:
    return bool(settings.REDIS_URL)


def channel(session_id: int) -> str:
    return f"{settings.REDIS_KEY_PREFIX}sessions:live:{session_id}"


def _client() -> redis.Redis:
    url = settings.REDIS_URL
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(
            url, socket_timeout=PUBLISH_TIMEOUT, socket_connect_timeout=PUBLISH_TIMEOUT
        )
    return _clients[url]


def publish(session_id: int) -> None:
    """Tell the open live pages of the session that it changed; never raises."""
    if not enabled():
        return
    try:
        _client().publish(channel(session_id), MESSAGE)
    except Exception:  # the push is a convenience: the pages also poll when it is down
        logger.warning("Could not publish the change of session %s", session_id, exc_info=True)


def changed(session_id: int) -> None:
    """Publish the change once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: publish(session_id), robust=True)


def _event(name: str, data: str = "") -> str:
    return f"event: {name}\ndata: {data}\n\n"


async def events(session_id: int, *, heartbeat: float = 15, lifetime: float = 600):
    """The server-sent events of one page: ``ready`` once subscribed, ``changed`` on every change, a comment line
    as heartbeat, ``down`` when Redis fails (the page then polls). Ends after ``lifetime`` seconds; the browser's
    EventSource reconnects by itself (and the view checks access again)."""
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2)
    pubsub = client.pubsub()
    try:
        try:
            await pubsub.subscribe(channel(session_id))
        except (redis.RedisError, OSError):
            logger.warning("Live stream of session %s: Redis is unreachable", session_id, exc_info=True)
            yield _event("down")
            return
        yield "retry: 2000\n" + _event("ready")
        loop = asyncio.get_running_loop()
        last = loop.time()
        deadline = last + lifetime
        while loop.time() < deadline:
            try:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=heartbeat)
            except (redis.RedisError, OSError):
                logger.warning("Live stream of session %s: Redis went away", session_id, exc_info=True)
                yield _event("down")
                return
            if message:  # None: the heartbeat's time, or a subscription's confirmation (skipped)
                yield _event(MESSAGE)
                last = loop.time()
            elif loop.time() - last >= heartbeat:
                yield ": ping\n\n"
                last = loop.time()
    finally:
        try:
            await pubsub.aclose()
            await client.aclose()
        except Exception:  # closing a broken connection
            pass
