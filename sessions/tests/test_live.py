"""The live follow page: who may open it, its JSON state (content and query count), the units it records as
following, and the "session changed" signal the services publish after the commit."""

import datetime as dt

import pytest
import redis
from django.urls import reverse

from pilot_portal.accounts.tests.factories import UserFactory
from sessions import push, services
from sessions.models import Outcome, Participant, Session, StreamViewer
from units.tests.factories import UnitFactory

from .factories import AgendaItemFactory, ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(unit, frozen_now):
    session = SessionFactory(
        unit=unit,
        status=Session.Status.IN_PROGRESS,
        actual_start=frozen_now - dt.timedelta(minutes=50),
        stream_url="https://stream.example.vn/ky-hop-1",
    )
    first = AgendaItemFactory(session=session, order=1, title="Khai mạc", planned_minutes=5)
    second = AgendaItemFactory(session=session, order=2, title="Thông qua quy chế", planned_minutes=20)
    first.started_at, first.ended_at = frozen_now - dt.timedelta(minutes=50), frozen_now - dt.timedelta(minutes=30)
    first.save()
    second.started_at = frozen_now - dt.timedelta(minutes=30)
    second.save()
    ParticipantFactory(session=session, attendance=Participant.Attendance.PRESENT)
    ParticipantFactory(session=session, attendance=Participant.Attendance.PRESENT)
    ParticipantFactory(session=session, attendance=Participant.Attendance.ABSENT)
    ParticipantFactory(session=session, is_member=False, attendance=Participant.Attendance.PRESENT)
    Outcome.objects.create(session=session, number="01/NQ-HĐND", title="Quy chế", votes_for=2, adopted=True)
    return session


def _neighbour_clerk(unit):
    return UserFactory(ward_clerk=True, unit=UnitFactory(province=unit.province))


def urls(session):
    return [reverse(name, args=[session.pk]) for name in ("sessions:live", "sessions:live_state")]


def test_the_province_follows_and_other_provinces_get_404(client, running, province_staff, clerk_of_other_unit):
    neighbour = _neighbour_clerk(running.unit)
    for user, expected in [
        (province_staff, 200),
        (neighbour, 200),
        (UserFactory(unit_official=True, unit=running.unit), 200),
        (UserFactory(national_viewer=True), 200),
        (UserFactory(is_superuser=True), 200),
        (clerk_of_other_unit, 404),
        (UserFactory(province_staff=True, province=clerk_of_other_unit.unit.province), 404),
        (UserFactory(), 403),
    ]:
        client.force_login(user)
        for url in urls(running):
            assert client.get(url).status_code == expected, (user.role, url)


def test_anonymous_visitors_log_in_unless_the_stream_is_public(client, running):
    for url in urls(running):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    running.stream_access = Session.StreamAccess.PUBLIC
    running.save()
    for url in urls(running):
        assert client.get(url).status_code == 200
    client.force_login(UserFactory())  # a public stream is open to a user without a role too
    assert client.get(urls(running)[0]).status_code == 200


def test_a_draft_is_not_followed_outside_its_unit(client, unit):
    draft = SessionFactory(unit=unit, stream_access=Session.StreamAccess.PUBLIC)
    client.force_login(_neighbour_clerk(unit))
    assert client.get(urls(draft)[0]).status_code == 404
    client.logout()
    assert client.get(urls(draft)[1]).status_code == 302


def test_the_state_shows_the_programme_timers_quorum_and_outcomes(client, running, province_staff, frozen_now):
    client.force_login(province_staff)
    state = client.get(urls(running)[1]).json()
    items = state["items"]
    assert [i["title"] for i in items] == ["Khai mạc", "Thông qua quy chế"]
    assert state["current"] == items[1]["id"] and items[1]["running"] and not items[0]["running"]
    at = dt.datetime.fromisoformat
    assert at(items[1]["started_at"]) == frozen_now - dt.timedelta(minutes=30)
    assert at(state["session"]["actual_start"]) == frozen_now - dt.timedelta(minutes=50)
    assert state["session"]["budget_minutes"] == 45 and state["session"]["planned_minutes"] == 25
    assert state["session"]["status_label"] == "Đang họp"
    assert at(state["now"]) == frozen_now
    quorum = state["quorum"]  # the guest does not count
    assert (quorum["present"], quorum["members"], quorum["reached"]) == (2, 3, True)
    assert [(o["number"], o["adopted"]) for o in state["outcomes"]] == [("01/NQ-HĐND", True)]
    page = client.get(urls(running)[0]).content.decode()
    assert 'src="https://stream.example.vn/ky-hop-1"' in page and 'id="live-state"' in page
    assert "Đang cập nhật định kỳ" in page  # the label of the polling mode (no push channel here)


def test_the_version_changes_with_a_change_only(client, running, province_staff, unit):
    client.force_login(province_staff)
    before = client.get(urls(running)[1]).json()
    assert client.get(urls(running)[1]).json()["version"] == before["version"]
    official = UserFactory(unit_official=True, unit=unit)
    services.agenda_item_stop(item=running.agenda_items.get(order=2), actor=official)
    after = client.get(urls(running)[1]).json()
    assert after["version"] != before["version"] and after["run_version"] != before["run_version"]
    assert after["current"] is None


@pytest.mark.parametrize("rows", [2, 20])
def test_the_state_takes_the_same_queries_whatever_the_rows(
    client, unit, province_staff, django_assert_max_num_queries, rows
):
    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS)
    AgendaItemFactory.create_batch(rows, session=session)
    ParticipantFactory.create_batch(rows, session=session, attendance=Participant.Attendance.PRESENT)
    for n in range(rows):
        Outcome.objects.create(session=session, number=f"{n}/NQ", title=f"Nghị quyết {n}")
        StreamViewer.objects.create(session=session, unit=UnitFactory(province=unit.province))
    client.force_login(province_staff)
    with django_assert_max_num_queries(7):  # auth (2), session, items, participants, outcomes, viewers
        assert client.get(urls(session)[1]).status_code == 200


def test_opening_the_page_records_the_followers_unit_once(client, running, province_staff, unit):
    neighbour = _neighbour_clerk(unit)
    client.force_login(neighbour)
    client.get(urls(running)[0])
    client.get(urls(running)[0])
    client.force_login(UserFactory(unit_official=True, unit=neighbour.unit))
    client.get(urls(running)[0])
    client.force_login(UserFactory(ward_clerk=True, unit=unit))  # the session's own unit does not follow itself
    client.get(urls(running)[0])
    client.force_login(province_staff)  # nor does the province
    client.get(urls(running)[0])
    assert list(StreamViewer.objects.filter(session=running).values_list("unit_id", flat=True)) == [neighbour.unit_id]


def test_followers_are_recorded_only_while_the_session_runs(client, unit):
    published = SessionFactory(unit=unit, status=Session.Status.PUBLISHED)
    client.force_login(_neighbour_clerk(unit))
    assert client.get(urls(published)[0]).status_code == 200
    assert not StreamViewer.objects.filter(session=published).exists()


def test_stream_viewer_add_is_idempotent_and_stays_in_the_province(running, unit, other_unit):
    neighbour = UnitFactory(province=unit.province)
    assert services.stream_viewer_add(session=running, unit=neighbour) is True
    assert services.stream_viewer_add(session=running, unit=neighbour) is False
    assert services.stream_viewer_add(session=running, unit=unit) is False
    assert services.stream_viewer_add(session=running, unit=other_unit) is False
    assert list(running.stream_viewers.values_list("unit_id", flat=True)) == [neighbour.pk]


def test_without_a_push_channel_the_events_answer_204(client, running, province_staff):
    client.force_login(province_staff)
    assert client.get(reverse("sessions:live_events", args=[running.pk])).status_code == 204


def test_the_session_page_links_to_the_live_page(client, running, province_staff):
    client.force_login(province_staff)
    assert reverse("sessions:live", args=[running.pk]) in client.get(running.get_absolute_url()).content.decode()


# --- the signal -----------------------------------------------------------------------------------------------------


@pytest.fixture
def redis_channel(settings):
    import os

    settings.REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/10")
    settings.REDIS_KEY_PREFIX = f"pytest-live-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}:"
    client = redis.Redis.from_url(settings.REDIS_URL)
    pubsub = client.pubsub(ignore_subscribe_messages=True)

    def listen(session):
        pubsub.subscribe(push.channel(session.pk))
        pubsub.get_message(timeout=1)  # the subscription's confirmation

    def messages():
        got = []
        while (message := pubsub.get_message(timeout=0.5)) is not None:
            got.append(message["data"])
        return got

    yield listen, messages
    pubsub.close()
    client.close()


@pytest.mark.django_db(transaction=True)
def test_the_services_publish_after_the_commit(redis_channel, unit, unit_official):
    listen, messages = redis_channel
    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS)
    item = AgendaItemFactory(session=session)
    listen(session)
    services.agenda_item_start(item=item, actor=unit_official)
    assert messages() == [b"changed"]
    with pytest.raises(services.SessionError):  # a refused action publishes nothing
        services.agenda_item_start(item=item, actor=unit_official)
    assert messages() == []


@pytest.mark.django_db(transaction=True)
def test_nothing_is_published_before_the_commit(redis_channel, unit, unit_official):
    from django.db import transaction

    listen, messages = redis_channel
    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS)
    item = AgendaItemFactory(session=session)
    listen(session)
    with transaction.atomic():
        services.agenda_item_start(item=item, actor=unit_official)
        assert messages() == []
    assert messages() == [b"changed"]


@pytest.mark.django_db(transaction=True)
def test_redis_down_never_breaks_the_secretarys_action(settings, unit, unit_official, caplog):
    from pilot_portal.notifications.tests.celery_processes import free_port

    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS)
    item = AgendaItemFactory(session=session)
    services.agenda_item_start(item=item, actor=unit_official)
    item.refresh_from_db()
    assert item.is_running
    assert "Could not publish the change" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_under_asgi_with_redis_the_page_streams_the_changes(redis_channel, unit, province_staff, unit_official):
    """Django's AsyncClient sends ASGI requests, as uvicorn does: the page then offers its events, which say
    ``ready`` once subscribed and ``changed`` when a service commits."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import sync_to_async
    from django.test import AsyncClient

    client = AsyncClient()
    client.force_login(province_staff)
    running = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS)  # the real clock: asyncio's timeouts
    item = AgendaItemFactory(session=running)

    async def scenario():
        page = (await client.get(urls(running)[0])).content.decode()
        events_url = reverse("sessions:live_events", args=[running.pk])
        assert f'data-events-url="{events_url}"' in page
        response = await client.get(events_url)
        assert response["Content-Type"] == "text/event-stream"
        chunks = aiter(response.streaming_content)
        assert "event: ready" in (await anext(chunks)).decode()
        await sync_to_async(services.agenda_item_start)(item=item, actor=unit_official)
        assert (await anext(chunks)).decode() == "event: changed\ndata: \n\n"
        await chunks.aclose()

    # Its own thread and loop: after a browser test, Playwright's loop may still run in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result(timeout=30)
