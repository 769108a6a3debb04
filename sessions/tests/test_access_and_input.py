"""Scope of the actions (POSTs and files) and bad input: refused with a message, never a server error."""

import pytest
from django.urls import reverse

from pilot_portal.accounts.tests.factories import UserFactory
from sessions import services
from sessions.models import AgendaItem, Comment, Document, DocumentVersion, Participant, Session, SessionEvent
from units.tests.factories import ProvinceFactory

from .factories import AgendaItemFactory, DocumentFactory, ParticipantFactory, SessionFactory
from .helpers import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(unit):
    session = SessionFactory(unit=unit)
    AgendaItemFactory(session=session, order=1, title="Khai mạc", planned_minutes=5)
    AgendaItemFactory(session=session, order=2, title="Quy chế hoạt động", planned_minutes=30)
    DocumentFactory(session=session, title="Dự thảo Quy chế")
    return session


def _actions(session):
    """(method, url, data) of every action on ``session``."""
    item = session.agenda_items.get(order=1)
    document = session.documents.get()
    return {
        "transition": ("post", reverse("sessions:transition", args=[session.pk]), {"to": "cancelled"}),
        "document_ready": (
            "post",
            reverse("sessions:document_ready", args=[session.pk, document.pk]),
            {"ready": "1"},
        ),
        "document_version_add": (
            "post",
            reverse("sessions:document_version_add", args=[session.pk, document.pk]),
            {"upload": pdf(), "mark_ready": "on"},
        ),
        "document_version_form": ("get", reverse("sessions:document_version_add", args=[session.pk, document.pk]), {}),
        "comment_add": ("post", reverse("sessions:comment_add", args=[session.pk]), {"body": "Ý kiến"}),
        "item_timer": ("post", reverse("sessions:item_timer", args=[session.pk, item.pk, "start"]), {}),
        "minutes_download": ("get", reverse("sessions:minutes_download", args=[session.pk]), {}),
        "participants_add": (
            "post",
            reverse("sessions:participants", args=[session.pk]),
            {"add": "1", "lines": "Nguyễn Văn An", "is_member": "on"},
        ),
        "outcome_add": (
            "post",
            reverse("sessions:outcome_add", args=[session.pk]),
            {"title": "Nghị quyết", "votes_for": 3, "votes_against": 0, "votes_abstain": 0},
        ),
        "viewers": ("post", reverse("sessions:viewers", args=[session.pk]), {"names": ""}),
        "close": ("post", reverse("sessions:close", args=[session.pk]), {"minutes_summary": "Tóm tắt"}),
    }


ACTIONS = [
    "transition",
    "document_ready",
    "document_version_add",
    "document_version_form",
    "comment_add",
    "item_timer",
    "minutes_download",
    "participants_add",
    "outcome_add",
    "viewers",
    "close",
]


def _nothing_changed(session):
    session.refresh_from_db()
    assert session.status == Session.Status.DRAFT
    assert not SessionEvent.objects.exists()
    assert not Comment.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert not Participant.objects.exists()
    assert not session.outcomes.exists()
    assert not Document.objects.filter(is_ready=True).exists()
    assert not AgendaItem.objects.filter(started_at__isnull=False).exists()


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_on_a_session_of_another_unit_are_not_found(client, other_unit, session, action):
    client.force_login(UserFactory(unit_official=True, unit=other_unit))
    method, url, data = _actions(session)[action]
    assert getattr(client, method)(url, data).status_code == 404
    _nothing_changed(session)


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_of_a_user_without_role_are_refused(client, user_without_role, session, action):
    client.force_login(user_without_role)
    method, url, data = _actions(session)[action]
    assert getattr(client, method)(url, data).status_code == 403
    _nothing_changed(session)


def test_province_staff_of_another_province_cannot_comment(client, session):
    client.force_login(UserFactory(province_staff=True, province=ProvinceFactory()))
    assert client.post(reverse("sessions:comment_add", args=[session.pk]), {"body": "Ý kiến"}).status_code == 404
    assert not Comment.objects.exists()


def test_a_document_of_another_session_of_the_same_unit_is_not_found(client, unit_official, session):
    elsewhere = DocumentFactory(session=SessionFactory(unit=session.unit))
    client.force_login(unit_official)
    url = reverse("sessions:document_version_add", args=[session.pk, elsewhere.pk])
    assert client.post(url, {"upload": pdf(), "mark_ready": "on"}).status_code == 404
    assert not DocumentVersion.objects.exists()


def test_an_unknown_timer_action_is_not_found(client, unit_official, session):
    item = session.agenda_items.get(order=1)
    client.force_login(unit_official)
    assert client.post(reverse("sessions:item_timer", args=[session.pk, item.pk, "reset"])).status_code == 404


@pytest.mark.usefixtures("frozen_now")  # 15/7/2025: nothing upcoming, the calendar falls back to June 2025
@pytest.mark.parametrize("month", ["0001-01", "9999-12", "1899-12", "2025-13", "abcd"])
def test_calendar_month_out_of_range_falls_back_to_a_valid_month(client, unit_official, session, month):
    client.force_login(unit_official)
    response = client.get(reverse("sessions:calendar"), {"month": month})
    assert response.status_code == 200
    assert response.context["month"] == session.scheduled_start.date().replace(day=1)


@pytest.mark.parametrize("start", ["0001-01-01T08:00", "9999-12-31T23:30", "1999-12-31T08:00"])
def test_a_start_in_an_impossible_year_is_refused_with_a_message(client, unit_official, start):
    client.force_login(unit_official)
    response = client.post(
        reverse("sessions:create"),
        {"kind": "hdnd", "number": 1, "scheduled_start": start, "venue": "Hội trường B", "stream_access": "province"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Hãy nhập ngày trong khoảng từ 01/01/2000 đến 31/12/2100." in content
    assert "Hội trường B" in content
    assert not Session.objects.exists()


def test_an_agenda_row_deleted_after_clearing_its_fields_is_deleted(client, unit_official, session):
    first, second = session.agenda_items.order_by("order")
    data = {
        "agenda-TOTAL_FORMS": 2,
        "agenda-INITIAL_FORMS": 2,
        "agenda-MIN_NUM_FORMS": 0,
        "agenda-MAX_NUM_FORMS": 60,
        "agenda-0-pk": first.pk,
        "agenda-0-order": 1,
        "agenda-0-title": "",
        "agenda-0-planned_minutes": "abc",
        "agenda-0-DELETE": "on",
        "agenda-1-pk": second.pk,
        "agenda-1-order": 2,
        "agenda-1-title": "Quy chế hoạt động",
        "agenda-1-planned_minutes": 30,
    }
    client.force_login(unit_official)
    response = client.post(reverse("sessions:agenda", args=[session.pk]), data)
    assert response.status_code == 302
    assert list(session.agenda_items.values_list("order", "title")) == [(1, "Quy chế hoạt động")]


def test_an_invalid_agenda_keeps_the_typed_rows_and_explains(client, unit_official, session):
    first, second = session.agenda_items.order_by("order")
    data = {
        "agenda-TOTAL_FORMS": 3,
        "agenda-INITIAL_FORMS": 2,
        "agenda-MIN_NUM_FORMS": 0,
        "agenda-MAX_NUM_FORMS": 60,
        "agenda-0-pk": first.pk,
        "agenda-0-title": "Khai mạc kỳ họp",
        "agenda-0-planned_minutes": 5,
        "agenda-1-pk": second.pk,
        "agenda-1-title": "Quy chế hoạt động",
        "agenda-1-planned_minutes": 0,
        "agenda-2-title": "Thảo luận tổ",
        "agenda-2-planned_minutes": "",
    }
    client.force_login(unit_official)
    response = client.post(reverse("sessions:agenda", args=[session.pk]), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Khai mạc kỳ họp" in content and "Thảo luận tổ" in content
    assert "invalid-feedback" in content
    assert list(session.agenda_items.order_by("order").values_list("title", flat=True)) == [
        "Khai mạc",
        "Quy chế hoạt động",
    ]


def test_a_tampered_management_form_is_refused_without_an_error(client, unit_official, session):
    client.force_login(unit_official)
    response = client.post(reverse("sessions:agenda", args=[session.pk]), {"agenda-TOTAL_FORMS": "x"})
    assert response.status_code == 200
    assert session.agenda_items.count() == 2


def test_a_document_marked_ready_without_a_file_is_explained_and_kept(client, unit_official, session):
    client.force_login(unit_official)
    response = client.post(
        reverse("sessions:document_add", args=[session.pk]),
        {"kind": "bao_cao", "title": "Báo cáo chuẩn bị kỳ họp", "is_required": "on", "is_ready": "on"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Hãy tải tệp lên trước" in content
    assert "Báo cáo chuẩn bị kỳ họp" in content
    assert session.documents.count() == 1


def test_an_over_long_absence_reason_is_shown_on_its_row(client, unit, unit_official):
    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS)
    person = ParticipantFactory(session=session)
    client.force_login(unit_official)
    data = {"attendance": "1", f"p{person.pk}-attendance": "absent", f"p{person.pk}-absence_reason": "x" * 300}
    response = client.post(reverse("sessions:participants", args=[session.pk]), data)
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    person.refresh_from_db()
    assert person.attendance == ""


def test_participant_lines_too_long_are_refused_and_nothing_is_added(client, unit_official, session):
    client.force_login(unit_official)
    lines = "Nguyễn Văn An\n" + "Trần " * 60
    response = client.post(
        reverse("sessions:participants", args=[session.pk]), {"add": "1", "lines": lines, "is_member": "on"}
    )
    assert response.status_code == 200
    assert "Nguyễn Văn An" in response.content.decode()
    assert not Participant.objects.exists()


def test_invitation_list_shows_the_invited_people(client, ward_clerk, session):
    services.participants_add(session=session, actor=None, lines="Nguyễn Văn An; Chủ tịch HĐND; Tổ 1")
    services.participants_add(session=session, actor=None, lines="Lê Thị Bích; Phóng viên", is_member=False)
    ParticipantFactory(session=session, name="Không được mời", is_invited=False)
    client.force_login(ward_clerk)
    content = client.get(reverse("sessions:invitations", args=[session.pk])).content.decode()
    assert "Danh sách mời dự" in content
    assert "Nguyễn Văn An" in content and "Chủ tịch HĐND" in content and "Tổ 1" in content
    assert "Lê Thị Bích" in content and "khách mời" in content
    assert "Không được mời" not in content


def test_reopening_a_cancelled_session_whose_number_is_taken_is_explained(client, unit_official, session):
    services.session_transition(session=session, to="cancelled", actor=unit_official)
    SessionFactory(unit=session.unit, kind=session.kind, number=session.number)
    client.force_login(unit_official)
    response = client.post(reverse("sessions:transition", args=[session.pk]), {"to": "draft"}, follow=True)
    assert response.status_code == 200
    assert "Đơn vị đã có kỳ họp, phiên họp cùng loại với số thứ tự này." in response.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED


def test_editing_a_session_to_a_taken_number_keeps_the_input_and_explains(client, unit_official, session):
    taken = SessionFactory(unit=session.unit, kind=session.kind)
    client.force_login(unit_official)
    response = client.post(
        reverse("sessions:edit", args=[session.pk]),
        {
            "kind": session.kind,
            "number": taken.number,
            "title": session.title,
            "scheduled_start": "2025-06-16T08:00",
            "venue": "Hội trường mới",
            "budget_minutes": 45,
            "stream_access": "province",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Đơn vị đã có kỳ họp, phiên họp cùng loại với số thứ tự này." in content
    assert "Hội trường mới" in content
    session.refresh_from_db()
    assert session.venue == "Hội trường UBND"
