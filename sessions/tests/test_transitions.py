import pytest

from sessions import services
from sessions.models import ALLOWED_TRANSITIONS, Session, SessionEvent

from .factories import AgendaItemFactory, DocumentFactory, ParticipantFactory, SessionFactory
from .helpers import pdf, publishable

pytestmark = pytest.mark.django_db

S = Session.Status
PAIRS = [(src, dst) for src, targets in ALLOWED_TRANSITIONS.items() for dst in sorted(targets)]


def _session_in(status, unit):
    session = SessionFactory(unit=unit)
    AgendaItemFactory(session=session, planned_minutes=30)
    ParticipantFactory(session=session, attendance="present")
    Session.objects.filter(pk=session.pk).update(status=status)
    session.refresh_from_db()
    return session


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_every_allowed_transition_changes_status_and_writes_an_event(unit, unit_official, source, target):
    session = _session_in(source, unit)
    if target == S.CLOSED:
        services.session_close(session=session, actor=unit_official, minutes_summary="Đã thông qua 4 nghị quyết.")
    else:
        services.session_transition(session=session, to=target, actor=unit_official, note="ghi chú")
    session.refresh_from_db()
    event = SessionEvent.objects.get(session=session)
    assert session.status == target
    assert (event.from_status, event.to_status, event.actor) == (source, target, unit_official)


@pytest.mark.parametrize(
    ("source", "target"),
    [(src, dst) for src in S.values for dst in S.values if dst != src and (src, dst) not in PAIRS],
)
def test_transitions_outside_the_table_are_refused_and_leave_no_event(unit, unit_official, source, target):
    session = _session_in(source, unit)
    with pytest.raises(services.SessionError):
        if target == S.CLOSED:
            services.session_close(session=session, actor=unit_official, minutes_summary="Biên bản")
        else:
            services.session_transition(session=session, to=target, actor=unit_official)
    session.refresh_from_db()
    assert session.status == source
    assert not SessionEvent.objects.filter(session=session).exists()


def test_transition_to_the_same_status_does_nothing(unit, unit_official):
    session = _session_in(S.PUBLISHED, unit)
    services.session_transition(session=session, to=S.PUBLISHED, actor=unit_official)
    assert not SessionEvent.objects.filter(session=session).exists()


def test_closing_goes_through_the_closing_service_only(unit, unit_official):
    session = _session_in(S.IN_PROGRESS, unit)
    with pytest.raises(services.SessionError):
        services.session_transition(session=session, to=S.CLOSED, actor=unit_official)


def test_publish_is_refused_when_the_agenda_is_over_budget(unit, unit_official):
    session = SessionFactory(unit=unit, budget_minutes=45)
    AgendaItemFactory.create_batch(2, session=session, planned_minutes=25)
    with pytest.raises(services.SessionError, match=r"50.*45"):
        services.session_transition(session=session, to=S.PUBLISHED, actor=unit_official)
    session.refresh_from_db()
    assert session.status == S.DRAFT


def test_publish_is_refused_while_a_required_document_is_missing_or_not_ready(unit, unit_official):
    session = SessionFactory(unit=unit)
    ParticipantFactory(session=session)
    AgendaItemFactory(session=session, planned_minutes=40)
    document = DocumentFactory(session=session, title="Tờ trình thành lập các Ban")
    with pytest.raises(services.SessionError, match="Tờ trình thành lập các Ban"):
        services.session_transition(session=session, to=S.PUBLISHED, actor=unit_official)
    services.document_upload_version(document=document, upload=pdf(), actor=unit_official, mark_ready=False)
    with pytest.raises(services.SessionError, match="Tờ trình thành lập các Ban"):
        services.session_transition(session=session, to=S.PUBLISHED, actor=unit_official)
    services.document_set_ready(document=document, ready=True, actor=unit_official)
    services.session_transition(session=session, to=S.PUBLISHED, actor=unit_official)
    session.refresh_from_db()
    assert session.status == S.PUBLISHED


def test_an_optional_document_does_not_block_publishing(unit, unit_official):
    session = SessionFactory(unit=unit)
    ParticipantFactory(session=session)
    AgendaItemFactory(session=session, planned_minutes=40)
    DocumentFactory(session=session, is_required=False)
    services.session_transition(session=session, to=S.PUBLISHED, actor=unit_official)
    assert Session.objects.get(pk=session.pk).status == S.PUBLISHED


def test_a_draft_may_be_saved_over_budget_and_is_flagged(unit, unit_official):
    session = SessionFactory(unit=unit, budget_minutes=45)
    over = services.agenda_save(
        session=session,
        actor=unit_official,
        rows=[
            services.AgendaRowInput(title="Khai mạc", planned_minutes=30),
            services.AgendaRowInput(title="Bế mạc", planned_minutes=20),
        ],
    )
    assert over is True
    assert session.agenda_items.count() == 2


def test_the_budget_of_a_published_session_cannot_drop_below_its_agenda(unit, unit_official):
    session = _session_in(S.PUBLISHED, unit)
    with pytest.raises(services.SessionError):
        services.session_update(session=session, actor=unit_official, budget_minutes=20)
    services.session_update(session=session, actor=unit_official, budget_minutes=30, venue="Hội trường B")
    session.refresh_from_db()
    assert (session.budget_minutes, session.venue) == (30, "Hội trường B")


@pytest.mark.parametrize("field", ["status", "actual_start", "minutes_summary", "unit"])
def test_editing_a_session_cannot_set_its_status_or_any_field_outside_the_form(unit, unit_official, field):
    session = _session_in(S.DRAFT, unit)
    venue = session.venue
    with pytest.raises(TypeError, match=field):
        services.session_update(session=session, actor=unit_official, venue="Hội trường B", **{field: None})
    session.refresh_from_db()
    assert (session.status, session.venue) == (S.DRAFT, venue)
    assert not session.events.exists()


def test_the_agenda_of_a_published_session_cannot_be_edited(unit, unit_official):
    session = _session_in(S.PUBLISHED, unit)
    with pytest.raises(services.SessionError):
        services.agenda_save(session=session, actor=unit_official, rows=[])


def test_template_prefills_the_standard_programme_within_the_budget(unit, unit_official):
    import datetime as dt

    from django.utils import timezone

    start = timezone.make_aware(dt.datetime(2025, 6, 16, 8, 0))
    hdnd = services.session_create_from_template(
        unit=unit, kind=Session.Kind.HDND, scheduled_start=start, actor=unit_official
    )
    ubnd = services.session_create_from_template(
        unit=unit, kind=Session.Kind.UBND, scheduled_start=start, actor=unit_official
    )
    hdnd_titles = [i.title for i in hdnd.agenda_items.order_by("order")]
    assert hdnd.title == f"Kỳ họp thứ nhất HĐND {unit.name}"
    assert any("Quy chế hoạt động" in t for t in hdnd_titles)
    assert any("Trung tâm Phục vụ hành chính công" in t for t in hdnd_titles)
    assert any("Quy chế làm việc" in i.title for i in ubnd.agenda_items.all())
    for session in (hdnd, ubnd):
        assert sum(i.planned_minutes for i in session.agenda_items.all()) <= session.budget_minutes == 45
        assert session.documents.filter(is_required=True).exists()


def test_budget_default_comes_from_the_setting_and_the_campaign_hook(unit, unit_official, settings):
    import datetime as dt

    from django.utils import timezone

    start = timezone.make_aware(dt.datetime(2025, 6, 16, 8, 0))
    settings.SESSIONS_DEFAULT_BUDGET_MINUTES = 60
    assert (
        services.session_create(unit=unit, kind="hdnd", scheduled_start=start, actor=unit_official).budget_minutes == 60
    )
    settings.SESSIONS_BUDGET_RESOLVER = "sessions.tests.test_transitions.thirty_minutes"
    assert (
        services.session_create(unit=unit, kind="ubnd", scheduled_start=start, actor=unit_official).budget_minutes == 30
    )


def thirty_minutes(*, unit, scheduled_start):
    return 30


def test_closing_records_duration_attendance_overruns_and_lessons(unit, unit_official):
    import datetime as dt

    from sessions.models import AgendaItem, Participant

    session = _session_in(S.IN_PROGRESS, unit)
    item = session.agenda_items.get()
    services.participants_add(session=session, actor=unit_official, lines="Nguyễn Văn A\nTrần Thị B\nLê Văn C")
    services.participants_add(session=session, actor=unit_official, lines="Khách mời D", is_member=False)
    marks = {p.pk: ("present", "") for p in Participant.objects.filter(session=session)}
    services.attendance_record(session=session, actor=unit_official, marks=marks)
    services.agenda_item_start(item=item, actor=unit_official)
    started = AgendaItem.objects.get(pk=item.pk).started_at
    AgendaItem.objects.filter(pk=item.pk).update(started_at=started - dt.timedelta(minutes=35))
    Session.objects.filter(pk=session.pk).update(actual_start=started - dt.timedelta(minutes=50))
    services.session_close(
        session=session,
        actor=unit_official,
        minutes_summary="Thông qua quy chế.",
        lessons_good="Gọn",
        lessons_fix="Âm thanh",
    )
    session.refresh_from_db()
    item.refresh_from_db()
    assert session.status == S.CLOSED
    assert session.attendance_count == 4  # the four delegates present; the guest is not counted
    assert session.actual_minutes == 50
    assert item.actual_minutes == 35
    assert item.overrun_minutes == 5
    assert (session.lessons_good, session.lessons_fix) == ("Gọn", "Âm thanh")


def test_closing_needs_a_minutes_summary(unit, unit_official):
    session = _session_in(S.IN_PROGRESS, unit)
    with pytest.raises(services.SessionError):
        services.session_close(session=session, actor=unit_official, minutes_summary="  ")
    assert Session.objects.get(pk=session.pk).status == S.IN_PROGRESS


def test_publishable_helper_makes_template_documents_ready(unit, unit_official):
    import datetime as dt

    from django.utils import timezone

    session = services.session_create_from_template(
        unit=unit, kind="ubnd", scheduled_start=timezone.make_aware(dt.datetime(2025, 6, 16, 15)), actor=unit_official
    )
    publishable(session, unit_official)
    services.session_transition(session=session, to=S.PUBLISHED, actor=unit_official)
    assert Session.objects.get(pk=session.pk).status == S.PUBLISHED
