from fractions import Fraction

import pytest
from django.urls import reverse

from sessions import services
from sessions.models import AgendaItem, Session
from sessions.selectors import Quorum, quorum_of

from .factories import AgendaItemFactory, ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(unit):
    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS)
    AgendaItemFactory(session=session, order=1, title="Khai mạc", planned_minutes=5)
    AgendaItemFactory(session=session, order=2, title="Quy chế làm việc", planned_minutes=12)
    return session


def test_item_times_are_stored_on_the_server_and_survive_a_reload(client, unit_official, running):
    first = running.agenda_items.get(order=1)
    client.force_login(unit_official)
    response = client.post(reverse("sessions:item_timer", args=[running.pk, first.pk, "start"]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.started_at is not None and first.ended_at is None
    for _reload in range(2):
        page = client.get(reverse("sessions:run", args=[running.pk])).content.decode()
        assert f'data-started="{first.started_at.astimezone().isoformat()}"' in page or 'data-started="20' in page
        assert "Khai mạc" in page and 'id="current-timer"' in page


def test_starting_the_next_item_stops_the_running_one(unit_official, running):
    first, second = running.agenda_items.order_by("order")
    services.agenda_item_start(item=first, actor=unit_official)
    services.agenda_item_start(item=second, actor=unit_official)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.ended_at == second.started_at
    assert second.is_running


def test_stopping_an_item_records_its_end(unit_official, running):
    first = running.agenda_items.get(order=1)
    services.agenda_item_start(item=first, actor=unit_official)
    services.agenda_item_stop(item=first, actor=unit_official)
    first.refresh_from_db()
    assert first.ended_at >= first.started_at


def test_items_cannot_be_timed_before_the_session_starts(client, unit, unit_official):
    session = SessionFactory(unit=unit, status=Session.Status.PUBLISHED)
    item = AgendaItemFactory(session=session)
    client.force_login(unit_official)
    response = client.post(reverse("sessions:item_timer", args=[session.pk, item.pk, "start"]), follow=True)
    assert "Hãy bắt đầu kỳ họp trước khi bấm giờ" in response.content.decode()
    assert AgendaItem.objects.get(pk=item.pk).started_at is None


def test_an_item_already_run_cannot_be_started_again(unit_official, running):
    first = running.agenda_items.get(order=1)
    services.agenda_item_start(item=first, actor=unit_official)
    services.agenda_item_stop(item=first, actor=unit_official)
    with pytest.raises(services.SessionError):
        services.agenda_item_start(item=first, actor=unit_official)


def test_starting_the_session_records_its_actual_start_on_the_server(client, unit, unit_official):
    session = SessionFactory(unit=unit, status=Session.Status.PUBLISHED)
    ParticipantFactory(session=session, attendance="present")
    client.force_login(unit_official)
    response = client.post(reverse("sessions:transition", args=[session.pk]), {"to": "in_progress"})
    assert response["Location"] == reverse("sessions:run", args=[session.pk])
    session.refresh_from_db()
    assert session.status == Session.Status.IN_PROGRESS and session.actual_start is not None


@pytest.mark.parametrize(
    ("present", "members", "needed", "reached"),
    [
        (14, 21, 14, True),  # two thirds of 21 is exactly 14: "at least" two thirds
        (13, 21, 14, False),
        (2, 3, 2, True),
        (1, 3, 2, False),
        (4, 5, 4, True),
        (3, 5, 4, False),
        (0, 0, 1, False),  # nobody to count: never a quorum
        (1, 1, 1, True),
    ],
)
def test_quorum_needs_at_least_two_thirds_of_the_members(present, members, needed, reached):
    quorum = Quorum(present=present, members=members, share=Fraction(2, 3))
    assert (quorum.needed, quorum.reached) == (needed, reached)


def test_the_quorum_rule_is_configurable_per_kind(settings, unit):
    hdnd = SessionFactory(unit=unit, kind=Session.Kind.HDND)
    ubnd = SessionFactory(unit=unit, kind=Session.Kind.UBND)
    for session in (hdnd, ubnd):
        for attendance in ("present", "present", "absent", "absent"):
            ParticipantFactory(session=session, attendance=attendance)
    assert not quorum_of(hdnd.participants.all(), kind=hdnd.kind).reached  # 2 of 4 < two thirds
    settings.SESSIONS_QUORUM = {"ubnd": "1/2"}
    assert quorum_of(ubnd.participants.all(), kind=ubnd.kind).reached  # at least half
    assert not quorum_of(hdnd.participants.all(), kind=hdnd.kind).reached  # HĐND keeps its two thirds


def test_guests_do_not_count_for_the_quorum(unit):
    session = SessionFactory(unit=unit)
    ParticipantFactory(session=session, attendance="present")
    ParticipantFactory(session=session, attendance="absent")
    ParticipantFactory(session=session, attendance="present", is_member=False)
    quorum = quorum_of(session.participants.all(), kind=session.kind)
    assert (quorum.present, quorum.members, quorum.reached) == (1, 2, False)


def test_attendance_page_shows_the_quorum_live(client, unit, unit_official):
    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS)
    people = [ParticipantFactory(session=session) for _ in range(3)]
    client.force_login(unit_official)
    data = {"attendance": "1"}
    for person, mark in zip(people, ("present", "present", "absent"), strict=True):
        data[f"p{person.pk}-attendance"] = mark
        data[f"p{person.pk}-absence_reason"] = "Ốm" if mark == "absent" else ""
    response = client.post(reverse("sessions:participants", args=[session.pk]), data, follow=True)
    content = response.content.decode()
    assert "Có mặt: 2 / 3" in content
    assert "đủ số lượng" in content
    assert people[2].__class__.objects.get(pk=people[2].pk).absence_reason == "Ốm"
