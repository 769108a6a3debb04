"""The rules of a session hold whoever writes: the province's time limit, the quorum at the opening, and vote results
computed from the counts (figures at the edge of each rule)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions import services
from sessions.models import Outcome, Session, SessionEvent

from .factories import AgendaItemFactory, ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db

S = Session.Status
START = timezone.make_aware(dt.datetime(2025, 6, 16, 8, 0))


def forty_five_minutes(*, unit, scheduled_start):
    """What the campaign app answers for a province whose limit is 45 minutes (the seeds)."""
    return 45


@pytest.fixture
def limit_45(settings):
    settings.SESSIONS_BUDGET_RESOLVER = "sessions.tests.test_rules.forty_five_minutes"


def _with_members(session, *, present, absent=0, guests=0):
    for _ in range(present):
        ParticipantFactory(session=session, attendance="present")
    for _ in range(absent):
        ParticipantFactory(session=session, attendance="absent")
    for _ in range(guests):
        ParticipantFactory(session=session, attendance="present", is_member=False)
    return session


# --- the time limit ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rehearsal", [False, True])
def test_a_session_may_plan_the_limit_or_less_never_more(unit, unit_official, limit_45, rehearsal):
    create = {"unit": unit, "kind": "ubnd", "scheduled_start": START, "actor": unit_official, "is_rehearsal": rehearsal}
    with pytest.raises(services.SessionError, match="45 phút") as refused:
        services.session_create(**create, number=1, budget_minutes=46)
    assert "46" in str(refused.value)
    assert services.session_create(**create, number=1, budget_minutes=45).budget_minutes == 45
    assert services.session_create(**create, number=2, budget_minutes=30).budget_minutes == 30
    assert services.session_create(**create, number=3).budget_minutes == 45


def test_the_official_cannot_raise_the_budget_over_the_limit_in_the_edit_form(client, unit, unit_official, limit_45):
    session = SessionFactory(unit=unit, kind="ubnd", budget_minutes=45)
    client.force_login(unit_official)
    form = {
        "kind": "ubnd",
        "number": session.number,
        "title": session.title,
        "scheduled_start": "16/06/2025 08:00",
        "venue": "Hội trường B",
        "chair": session.chair,
        "budget_minutes": 60,
        "stream_url": "",
        "stream_access": session.stream_access,
    }
    page = client.post(reverse("sessions:edit", args=[session.pk]), form)
    assert page.status_code == 200
    assert "45 phút" in page.content.decode()
    assert 'value="Hội trường B"' in page.content.decode()  # what was typed stays
    session.refresh_from_db()
    assert (session.budget_minutes, session.venue) == (45, "Hội trường UBND")


def test_a_session_over_a_limit_lowered_later_cannot_be_published(unit, unit_official, limit_45):
    session = SessionFactory(unit=unit, budget_minutes=60)
    AgendaItemFactory(session=session, planned_minutes=40)
    ParticipantFactory(session=session)
    with pytest.raises(services.SessionError, match="60 phút"):
        services.session_transition(session=session, to=S.PUBLISHED, actor=unit_official)
    services.session_update(session=session, actor=unit_official, budget_minutes=45)
    services.session_transition(session=session, to=S.PUBLISHED, actor=unit_official)
    assert Session.objects.get(pk=session.pk).status == S.PUBLISHED


# --- quorum -----------------------------------------------------------------------------------------------------


def test_a_session_with_no_delegate_cannot_be_published(unit, unit_official):
    session = SessionFactory(unit=unit)
    AgendaItemFactory(session=session, planned_minutes=30)
    ParticipantFactory(session=session, is_member=False)  # a guest only
    with pytest.raises(services.SessionError, match="khách mời"):
        services.session_transition(session=session, to=S.PUBLISHED, actor=unit_official)


def test_opening_without_two_thirds_present_is_refused_with_the_figures(unit, unit_official):
    session = _with_members(SessionFactory(unit=unit, status=S.PUBLISHED), present=13, absent=8, guests=5)
    with pytest.raises(services.SessionError) as refused:
        services.session_transition(session=session, to=S.IN_PROGRESS, actor=unit_official)
    assert all(figure in str(refused.value) for figure in ("13", "21", "14"))
    assert Session.objects.get(pk=session.pk).status == S.PUBLISHED


def test_two_thirds_present_opens_the_session(unit, unit_official):
    session = _with_members(SessionFactory(unit=unit, status=S.PUBLISHED), present=14, absent=7)
    services.session_transition(session=session, to=S.IN_PROGRESS, actor=unit_official)
    assert Session.objects.get(pk=session.pk).status == S.IN_PROGRESS


def test_the_chair_may_open_without_the_quorum_with_a_recorded_reason(unit, unit_official):
    session = _with_members(SessionFactory(unit=unit, status=S.PUBLISHED), present=1, absent=2)
    reason = "Đại biểu vắng do mưa lũ, Thường trực HĐND cho phép khai mạc"
    services.session_transition(session=session, to=S.IN_PROGRESS, actor=unit_official, note=reason)
    event = SessionEvent.objects.get(session=session, to_status=S.IN_PROGRESS)
    assert reason in event.note and "1" in event.note and "3" in event.note


def test_nobody_on_the_list_never_opens_even_with_a_reason(unit, unit_official):
    session = SessionFactory(unit=unit, status=S.PUBLISHED)
    with pytest.raises(services.SessionError):
        services.session_transition(session=session, to=S.IN_PROGRESS, actor=unit_official, note="Vẫn họp")


def test_the_start_button_asks_for_the_reason_when_there_is_no_quorum(client, unit, unit_official):
    session = _with_members(SessionFactory(unit=unit, status=S.PUBLISHED), present=1, absent=2)
    client.force_login(unit_official)
    page = client.get(session.get_absolute_url()).content.decode()
    assert 'name="note"' in page
    refused = client.post(reverse("sessions:transition", args=[session.pk]), {"to": "in_progress"}, follow=True)
    assert "Chưa đủ" in refused.content.decode() or "chưa đủ" in refused.content.decode()
    assert Session.objects.get(pk=session.pk).status == S.PUBLISHED


def test_the_minutes_count_delegates_present_not_guests(unit, unit_official):
    session = _with_members(SessionFactory(unit=unit, status=S.IN_PROGRESS), present=5, absent=1, guests=3)
    services.session_close(session=session, actor=unit_official, minutes_summary="Hoàn thành chương trình.")
    assert Session.objects.get(pk=session.pk).attendance_count == 5


# --- votes ------------------------------------------------------------------------------------------------------


def _outcome(session, actor, **votes):
    return services.outcome_add(session=session, actor=actor, title="Nghị quyết về Quy chế làm việc", **votes)


def test_more_votes_than_members_present_are_refused(unit, unit_official):
    session = _with_members(SessionFactory(unit=unit, kind="ubnd", status=S.IN_PROGRESS), present=7)
    with pytest.raises(services.SessionError, match="10"):
        _outcome(session, unit_official, votes_for=10)
    with pytest.raises(services.SessionError):
        _outcome(session, unit_official, votes_for=5, votes_against=2, votes_abstain=1)
    assert not Outcome.objects.filter(session=session).exists()
    assert _outcome(session, unit_official, votes_for=5, votes_against=1, votes_abstain=1).adopted


@pytest.mark.parametrize(("votes_for", "adopted"), [(3, False), (4, True)])
def test_a_ubnd_decision_needs_more_than_half_of_all_its_members(unit, unit_official, votes_for, adopted):
    session = _with_members(SessionFactory(unit=unit, kind="ubnd", status=S.IN_PROGRESS), present=7)
    outcome = _outcome(session, unit_official, votes_for=votes_for, votes_against=7 - votes_for)
    assert outcome.adopted is adopted


@pytest.mark.parametrize(("votes_for", "adopted"), [(10, False), (11, True)])
def test_an_hdnd_resolution_needs_more_than_half_of_all_delegates_not_of_those_present(
    unit, unit_official, votes_for, adopted
):
    # 21 delegates, 15 present: 10 for is a majority of those present but not of the council.
    session = _with_members(SessionFactory(unit=unit, kind="hdnd", status=S.IN_PROGRESS), present=15, absent=6)
    assert _outcome(session, unit_official, votes_for=votes_for, votes_against=15 - votes_for).adopted is adopted


def test_the_adoption_rule_is_configurable_per_kind(unit, unit_official, settings):
    settings.SESSIONS_ADOPTION = {"ubnd": "2/3"}
    session = _with_members(SessionFactory(unit=unit, kind="ubnd", status=S.IN_PROGRESS), present=6)
    assert not _outcome(session, unit_official, votes_for=4).adopted  # 4 of 6 is not more than two thirds
    assert _outcome(session, unit_official, votes_for=5).adopted


def test_correcting_the_votes_recomputes_the_result(unit, unit_official):
    session = _with_members(SessionFactory(unit=unit, kind="ubnd", status=S.IN_PROGRESS), present=7)
    outcome = _outcome(session, unit_official, votes_for=3, votes_against=4)
    assert not outcome.adopted
    outcome = services.outcome_update(outcome=outcome, actor=unit_official, votes_for=5, votes_against=2)
    assert Outcome.objects.get(pk=outcome.pk).adopted
    with pytest.raises(TypeError):
        services.outcome_update(outcome=outcome, actor=unit_official, adopted=False)


def test_the_outcome_form_has_no_adopted_box_and_a_typed_one_is_ignored(client, unit, unit_official):
    session = _with_members(SessionFactory(unit=unit, kind="ubnd", status=S.IN_PROGRESS), present=7)
    client.force_login(unit_official)
    url = reverse("sessions:outcome_add", args=[session.pk])
    assert 'name="adopted"' not in client.get(url).content.decode()
    client.post(
        url,
        {
            "title": "Quyết định ban hành Quy chế",
            "votes_for": 3,
            "votes_against": 4,
            "votes_abstain": 0,
            "adopted": "on",
        },
    )
    assert Outcome.objects.get(session=session).adopted is False


def test_the_admin_cannot_change_the_budget_or_type_a_result(admin_client, unit):
    session = SessionFactory(unit=unit)
    page = admin_client.get(reverse("admin:council_sessions_session_change", args=[session.pk])).content.decode()
    assert 'name="budget_minutes"' not in page
    outcome = Outcome.objects.create(session=session, title="Nghị quyết", votes_for=1)
    change = admin_client.post(reverse("admin:council_sessions_outcome_change", args=[outcome.pk]), {"adopted": "on"})
    assert change.status_code == 403
    assert Outcome.objects.get(pk=outcome.pk).adopted is False
