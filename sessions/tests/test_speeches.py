"""Speeches on the running item: services, run-of-show views, the minutes."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from sessions import services
from sessions.models import Session, Speech

from .factories import AgendaItemFactory, ParticipantFactory, SessionFactory
from .test_official_documents import _flat, _text

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(unit):
    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS)
    AgendaItemFactory(session=session, order=1, title="Khai mạc", planned_minutes=5)
    AgendaItemFactory(session=session, order=2, title="Quy chế làm việc", planned_minutes=12)
    ParticipantFactory(session=session, name="Trần Thị Bình")
    ParticipantFactory(session=session, name="Lê Văn Cường", is_member=False)
    return session


def _items(session):
    return list(session.agenda_items.order_by("order"))


def test_speaker_must_be_a_participant_of_the_same_session(unit, unit_official, running):
    first, _second = _items(running)
    services.agenda_item_start(item=first, actor=unit_official)
    stranger = ParticipantFactory(session=SessionFactory(unit=unit))
    with pytest.raises(services.SessionError, match="người tham dự"):
        services.speech_start(item=first, participant=stranger, actor=unit_official)
    assert not Speech.objects.exists()


def test_speeches_only_on_the_running_item(unit_official, running):
    first, second = _items(running)
    bình = running.participants.get(name="Trần Thị Bình")
    with pytest.raises(services.SessionError):
        services.speech_start(item=first, participant=bình, actor=unit_official)  # not started
    services.agenda_item_start(item=first, actor=unit_official)
    with pytest.raises(services.SessionError):
        services.speech_start(item=second, participant=bình, actor=unit_official)
    services.agenda_item_stop(item=first, actor=unit_official)
    with pytest.raises(services.SessionError):
        services.speech_start(item=first, participant=bình, actor=unit_official)  # ended


def test_a_new_speech_ends_the_previous_one_at_the_same_moment(unit_official, running):
    first, _second = _items(running)
    bình, cường = running.participants.order_by("pk")
    with time_machine.travel(dt.datetime(2025, 6, 16, 1, 0, tzinfo=dt.UTC), tick=False) as clock:
        services.agenda_item_start(item=first, actor=unit_official)
        one = services.speech_start(item=first, participant=bình, actor=unit_official)
        clock.shift(dt.timedelta(minutes=3))
        two = services.speech_start(item=first, participant=cường, actor=unit_official)
    one.refresh_from_db()
    assert one.ended_at == two.started_at and one.minutes == 3
    assert two.is_running


def test_inviting_the_speaker_who_is_already_speaking_again_changes_nothing(unit_official, running):
    first, _second = _items(running)
    bình = running.participants.get(name="Trần Thị Bình")
    services.agenda_item_start(item=first, actor=unit_official)
    one = services.speech_start(item=first, participant=bình, actor=unit_official)
    again = services.speech_start(item=first, participant=bình, actor=unit_official)  # a double tap
    assert again.pk == one.pk and again.is_running
    assert first.speeches.count() == 1


def test_stopping_the_item_ends_its_speech(unit_official, running):
    first, second = _items(running)
    bình = running.participants.get(name="Trần Thị Bình")
    services.agenda_item_start(item=first, actor=unit_official)
    speech = services.speech_start(item=first, participant=bình, actor=unit_official)
    services.agenda_item_stop(item=first, actor=unit_official)
    speech.refresh_from_db()
    first.refresh_from_db()
    assert speech.ended_at == first.ended_at
    services.agenda_item_start(item=second, actor=unit_official)
    other = services.speech_start(item=second, participant=bình, actor=unit_official)
    services.speech_stop(speech=other, actor=unit_official)
    other.refresh_from_db()
    assert other.ended_at is not None
    with pytest.raises(services.SessionError):
        services.speech_stop(speech=other, actor=unit_official)


def test_starting_another_item_and_closing_end_the_speech(unit_official, running):
    first, second = _items(running)
    bình = running.participants.get(name="Trần Thị Bình")
    services.agenda_item_start(item=first, actor=unit_official)
    one = services.speech_start(item=first, participant=bình, actor=unit_official)
    services.agenda_item_start(item=second, actor=unit_official)
    one.refresh_from_db()
    second.refresh_from_db()
    assert one.ended_at == second.started_at
    two = services.speech_start(item=second, participant=bình, actor=unit_official)
    services.session_close(session=running, actor=unit_official, minutes_summary="Xong.")
    two.refresh_from_db()
    running.refresh_from_db()
    assert two.ended_at == running.actual_end


def test_refused_when_the_session_is_not_in_progress(unit, unit_official):
    session = SessionFactory(unit=unit, status=Session.Status.PUBLISHED)
    item = AgendaItemFactory(session=session)
    person = ParticipantFactory(session=session)
    with pytest.raises(services.SessionError, match="kỳ họp"):
        services.speech_start(item=item, participant=person, actor=unit_official)


# --- views ----------------------------------------------------------------------------------------------------------


def test_speech_views_404_for_another_unit_and_403_without_the_role(
    client, unit_official, ward_clerk, running, other_unit
):
    from pilot_portal.accounts.tests.factories import UserFactory

    first, _second = _items(running)
    services.agenda_item_start(item=first, actor=unit_official)
    bình = running.participants.get(name="Trần Thị Bình")
    url = reverse("sessions:speech_start", args=[running.pk, first.pk])
    client.force_login(UserFactory(unit_official=True, unit=other_unit))
    assert client.post(url, {"participant": bình.pk}).status_code == 404
    client.force_login(ward_clerk)
    assert client.post(url, {"participant": bình.pk}).status_code == 403
    client.force_login(unit_official)
    assert client.get(url).status_code == 405
    response = client.post(url, {"participant": bình.pk})
    assert response.status_code == 302
    speech = Speech.objects.get()
    assert speech.participant == bình
    stop = reverse("sessions:speech_stop", args=[running.pk, speech.pk])
    client.force_login(ward_clerk)
    assert client.post(stop).status_code == 403
    client.force_login(unit_official)
    assert client.post(stop).status_code == 302
    speech.refresh_from_db()
    assert speech.ended_at is not None


def test_run_of_show_queries_do_not_grow_with_the_speeches(
    client, unit_official, running, django_assert_max_num_queries
):
    first, _second = _items(running)
    services.agenda_item_start(item=first, actor=unit_official)
    people = list(running.participants.all())
    client.force_login(unit_official)
    url = reverse("sessions:run", args=[running.pk])
    services.speech_start(item=first, participant=people[0], actor=unit_official)
    with django_assert_max_num_queries(50) as few:
        client.get(url)
    baseline = len(few.captured_queries)
    for n in range(6):
        services.speech_start(item=first, participant=people[(n + 1) % 2], actor=unit_official)
    with django_assert_max_num_queries(baseline):
        page = client.get(url).content.decode()
    assert page.count('class="speech-row') == 7
    assert "Mời phát biểu" in page and "Dừng phát biểu" in page


def test_the_minutes_list_each_items_speakers_with_their_times(client, unit_official, running):
    first, _second = _items(running)
    bình = running.participants.get(name="Trần Thị Bình")
    # 08:00 and 08:04 in Vietnam (UTC+7).
    with time_machine.travel(dt.datetime(2025, 6, 16, 1, 0, tzinfo=dt.UTC), tick=False) as clock:
        services.agenda_item_start(item=first, actor=unit_official)
        services.speech_start(item=first, participant=bình, actor=unit_official)
        clock.shift(dt.timedelta(minutes=4))
        services.agenda_item_stop(item=first, actor=unit_official)
        services.session_close(session=running, actor=unit_official, minutes_summary="Xong.")
    client.force_login(unit_official)
    for fmt in ("docx", "pdf"):
        response = client.get(reverse(f"sessions:minutes_{fmt}", args=[running.pk]))
        assert response.status_code == 200
        text = _flat(_text(response))
        assert "Trần Thị Bình: 08:00 - 08:04, 4 phút" in text, fmt
    page = client.get(reverse("sessions:minutes", args=[running.pk])).content.decode()
    assert "Trần Thị Bình" in page and "08:00–08:04" in page


def test_the_live_state_shows_the_current_speaker(unit_official, running):
    from sessions import live

    first, _second = _items(running)
    bình = running.participants.get(name="Trần Thị Bình")
    services.agenda_item_start(item=first, actor=unit_official)
    assert live.live_state(running)["speaker"] is None
    before = live.live_state(running)["run_version"]
    speech = services.speech_start(item=first, participant=bình, actor=unit_official)
    state = live.live_state(running)
    assert state["speaker"]["name"] == "Trần Thị Bình" and state["speaker"]["id"] == speech.pk
    assert state["run_version"] != before  # the secretary's other tablets reload
    services.speech_stop(speech=speech, actor=unit_official)
    assert live.live_state(running)["speaker"] is None


def test_a_participant_who_spoke_cannot_be_removed(unit_official, running):
    first, _second = _items(running)
    bình = running.participants.get(name="Trần Thị Bình")
    services.agenda_item_start(item=first, actor=unit_official)
    services.speech_start(item=first, participant=bình, actor=unit_official)
    with pytest.raises(services.SessionError, match="đã phát biểu"):
        services.participant_remove(participant=bình, actor=unit_official)
    assert Speech.objects.filter(participant=bình).exists()
