import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import Comment, Session
from units.tests.factories import ProvinceFactory, UnitFactory

from .factories import AgendaItemFactory, DocumentFactory, ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(unit):
    session = SessionFactory(unit=unit)
    AgendaItemFactory(session=session, order=1, title="Khai mạc", planned_minutes=5)
    AgendaItemFactory(session=session, order=2, title="Quy chế hoạt động", planned_minutes=30)
    return session


EDIT_PAGES = ["edit", "agenda", "participants", "viewers", "run", "close", "document_add", "outcome_add"]
READ_PAGES = ["detail", "programme", "minutes", "invitations"]


@pytest.mark.parametrize("name", EDIT_PAGES + READ_PAGES)
def test_session_of_another_unit_is_not_found(client, clerk_of_other_unit, session, name):
    from pilot_portal.accounts.tests.factories import UserFactory

    official = UserFactory(unit_official=True, unit=clerk_of_other_unit.unit)
    client.force_login(official)
    assert client.get(reverse(f"sessions:{name}", args=[session.pk])).status_code == 404


@pytest.mark.parametrize("name", EDIT_PAGES + READ_PAGES)
def test_user_without_role_is_refused_session_pages(client, user_without_role, session, name):
    client.force_login(user_without_role)
    assert client.get(reverse(f"sessions:{name}", args=[session.pk])).status_code == 403


def test_user_without_role_is_refused_the_list_and_calendar(client, user_without_role):
    client.force_login(user_without_role)
    assert client.get(reverse("sessions:list")).status_code == 403
    assert client.get(reverse("sessions:calendar")).status_code == 403


@pytest.mark.parametrize("who", ["province_staff", "national_viewer", "ward_clerk"])
def test_readers_open_the_session_but_not_its_edit_pages(client, request, session, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(session.get_absolute_url()).status_code == 200
    assert client.get(reverse("sessions:edit", args=[session.pk])).status_code == 403
    assert client.post(reverse("sessions:transition", args=[session.pk]), {"to": "published"}).status_code == 403


def test_province_staff_of_another_province_do_not_find_the_session(client, session):
    from pilot_portal.accounts.tests.factories import UserFactory

    elsewhere = UserFactory(province_staff=True, province=ProvinceFactory())
    client.force_login(elsewhere)
    assert client.get(session.get_absolute_url()).status_code == 404


def test_province_staff_comment_on_a_session(client, province_staff, session):
    client.force_login(province_staff)
    response = client.post(reverse("sessions:comment_add", args=[session.pk]), {"body": "Cần rút gọn phần khai mạc."})
    assert response.status_code == 302
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Cần rút gọn phần khai mạc." in page
    assert Comment.objects.get().author == province_staff


def test_national_viewer_cannot_comment(client, national_viewer, session):
    client.force_login(national_viewer)
    assert client.post(reverse("sessions:comment_add", args=[session.pk]), {"body": "x"}).status_code == 403


def test_detail_shows_running_total_and_estimated_end(client, unit_official, session):
    client.force_login(unit_official)
    content = client.get(session.get_absolute_url()).content.decode()
    assert "Cộng dồn" in content
    assert "35 / 45" in content
    assert "Dự kiến kết thúc: 08:35" in content


def test_publishing_over_budget_shows_a_clear_message_and_keeps_the_draft(client, unit_official, session):
    AgendaItemFactory(session=session, order=3, planned_minutes=20)
    client.force_login(unit_official)
    response = client.post(reverse("sessions:transition", args=[session.pk]), {"to": "published"}, follow=True)
    content = response.content.decode()
    assert "Chưa thể công bố kỳ họp" in content
    assert "Chương trình dài 55 phút, vượt thời lượng tối đa 45 phút." in content
    assert Session.objects.get(pk=session.pk).status == Session.Status.DRAFT


def test_publishing_with_a_missing_document_names_it(client, unit_official, session):
    DocumentFactory(session=session, title="Dự thảo Quy chế hoạt động")
    client.force_login(unit_official)
    response = client.post(reverse("sessions:transition", args=[session.pk]), {"to": "published"}, follow=True)
    assert "Tài liệu bắt buộc “Dự thảo Quy chế hoạt động” còn thiếu hoặc chưa sẵn sàng." in response.content.decode()


def test_unknown_status_is_refused_without_an_error(client, unit_official, session):
    client.force_login(unit_official)
    response = client.post(reverse("sessions:transition", args=[session.pk]), {"to": "bogus"}, follow=True)
    assert response.status_code == 200
    assert "Trạng thái không hợp lệ." in response.content.decode()


def test_official_plans_a_session_from_the_template(client, unit_official, unit):
    client.force_login(unit_official)
    response = client.post(
        reverse("sessions:create"),
        {
            "kind": "ubnd",
            "number": 1,
            "scheduled_start": "2025-06-16T15:00",
            "stream_access": "province",
            "use_template": "on",
        },
    )
    session = Session.objects.get()
    assert response["Location"] == session.get_absolute_url()
    assert session.unit == unit
    assert session.title == f"Phiên họp thứ nhất UBND {unit.name}"
    assert session.budget_minutes == 45
    assert session.agenda_items.count() == 5


def test_invalid_session_form_keeps_the_input_and_explains(client, unit_official):
    client.force_login(unit_official)
    response = client.post(reverse("sessions:create"), {"kind": "hdnd", "number": 1, "venue": "Hội trường A"})
    assert response.status_code == 200
    assert "Hội trường A" in response.content.decode()
    assert not Session.objects.exists()


def test_agenda_edit_saves_a_draft_over_budget_with_a_warning(client, unit_official, session):
    first, second = session.agenda_items.order_by("order")
    data = {
        "agenda-TOTAL_FORMS": 3,
        "agenda-INITIAL_FORMS": 2,
        "agenda-MIN_NUM_FORMS": 0,
        "agenda-MAX_NUM_FORMS": 60,
        "agenda-0-pk": first.pk,
        "agenda-0-order": 2,
        "agenda-0-title": "Khai mạc",
        "agenda-0-planned_minutes": 10,
        "agenda-1-pk": second.pk,
        "agenda-1-order": 1,
        "agenda-1-title": "Quy chế",
        "agenda-1-planned_minutes": 30,
        "agenda-2-order": 3,
        "agenda-2-title": "Thảo luận",
        "agenda-2-planned_minutes": 15,
    }
    client.force_login(unit_official)
    response = client.post(reverse("sessions:agenda", args=[session.pk]), data, follow=True)
    assert "vượt thời lượng tối đa" in response.content.decode()
    assert list(session.agenda_items.order_by("order").values_list("title", "planned_minutes")) == [
        ("Quy chế", 30),
        ("Khai mạc", 10),
        ("Thảo luận", 15),
    ]


def test_list_filters_by_kind_status_date_and_over_budget(client, national_viewer, unit):
    may = timezone.make_aware(dt.datetime(2025, 5, 20, 8))
    june = timezone.make_aware(dt.datetime(2025, 6, 16, 8))
    over = SessionFactory(unit=unit, kind="hdnd", scheduled_start=june, title="Vượt")
    AgendaItemFactory(session=over, planned_minutes=60)
    SessionFactory(unit=unit, kind="ubnd", scheduled_start=june, status="published", title="UBND")
    early = SessionFactory(unit=unit, kind="hdnd", scheduled_start=may, title="Sớm")
    client.force_login(national_viewer)

    def titles(**params):
        return [s.title for s in client.get(reverse("sessions:list"), params).context["page"].object_list]

    assert titles() == ["Sớm", "Vượt", "UBND"]
    assert titles(kind="ubnd") == ["UBND"]
    assert titles(status="published") == ["UBND"]
    assert titles(date_from="2025-06-01") == ["Vượt", "UBND"]
    assert titles(date_to="2025-05-31") == [early.title]
    assert titles(over_budget="on") == ["Vượt"]
    assert titles(unit=unit.code) == ["Sớm", "Vượt", "UBND"]
    SessionFactory(title="Tỉnh khác")
    assert titles(province=unit.province.code) == ["Sớm", "Vượt", "UBND"]


def test_list_is_scoped_to_the_province_of_province_staff(client, province_staff, session):
    SessionFactory(unit=UnitFactory(province=ProvinceFactory()))
    client.force_login(province_staff)
    response = client.get(reverse("sessions:list"))
    assert [s.pk for s in response.context["page"].object_list] == [session.pk]


def test_calendar_places_sessions_on_their_day(client, unit_official, session):
    client.force_login(unit_official)
    response = client.get(reverse("sessions:calendar"), {"month": "2025-06"})
    content = response.content.decode()
    assert "Tháng 06/2025" in content
    day = next(d for week in response.context["weeks"] for d in week if d.date == dt.date(2025, 6, 16))
    assert [s.pk for s in day.sessions] == [session.pk]


@pytest.mark.usefixtures("frozen_now")  # 15/7/2025, after the session of 16/6/2025
def test_calendar_opens_on_the_latest_session_when_nothing_is_upcoming(client, unit_official, session):
    client.force_login(unit_official)
    response = client.get(reverse("sessions:calendar"), {"month": "not-a-month"})
    assert response.context["month"] == dt.date(2025, 6, 1)


@pytest.mark.parametrize("rows", [2, 30])
def test_list_and_calendar_query_counts_do_not_grow_with_rows(
    client, national_viewer, django_assert_max_num_queries, rows
):
    for unit in UnitFactory.create_batch(rows):
        session = SessionFactory(unit=unit)
        AgendaItemFactory.create_batch(3, session=session)
    client.force_login(national_viewer)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("sessions:list")).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("sessions:calendar"), {"month": "2025-06"}).status_code == 200


@pytest.mark.parametrize("rows", [2, 25])
def test_detail_query_count_does_not_grow_with_rows(client, unit_official, unit, django_assert_max_num_queries, rows):
    session = SessionFactory(unit=unit)
    AgendaItemFactory.create_batch(rows, session=session, planned_minutes=1)
    DocumentFactory.create_batch(rows, session=session)
    ParticipantFactory.create_batch(rows, session=session)
    client.force_login(unit_official)
    with django_assert_max_num_queries(20):
        assert client.get(session.get_absolute_url()).status_code == 200


def test_printable_programme_and_minutes_list_the_items(client, ward_clerk, session):
    client.force_login(ward_clerk)
    programme = client.get(reverse("sessions:programme", args=[session.pk])).content.decode()
    minutes = client.get(reverse("sessions:minutes", args=[session.pk])).content.decode()
    # The time column is when each item starts: the first one at the session's start.
    assert "Quy chế hoạt động" in programme and '<td class="text-nowrap">08:00</td>' in programme
    assert "Quy chế hoạt động" in minutes and "Bài học kinh nghiệm" in minutes


def test_viewers_are_units_of_the_same_province(client, unit_official, session):
    neighbour = UnitFactory(province=session.unit.province)
    client.force_login(unit_official)
    response = client.post(reverse("sessions:viewers", args=[session.pk]), {"units": [neighbour.pk]}, follow=True)
    assert "1 đơn vị đã theo dõi trực tuyến." in response.content.decode()
    elsewhere = UnitFactory()
    response = client.post(reverse("sessions:viewers", args=[session.pk]), {"units": [elsewhere.pk]})
    assert response.status_code == 200
    assert list(session.stream_viewers.values_list("unit_id", flat=True)) == [neighbour.pk]


def test_participants_are_added_from_lines(client, unit_official, session):
    client.force_login(unit_official)
    client.post(
        reverse("sessions:participants", args=[session.pk]),
        {"add": "1", "lines": "Nguyễn Văn An; Chủ tịch HĐND; Tổ 1\n\nTrần Thị Bình", "is_member": "on"},
    )
    assert list(session.participants.values_list("name", "position", "delegate_group")) == [
        ("Nguyễn Văn An", "Chủ tịch HĐND", "Tổ 1"),
        ("Trần Thị Bình", "", ""),
    ]


def test_viewers_can_be_pasted_as_a_list_of_names(client, unit_official, session):
    tan_an = UnitFactory(province=session.unit.province, name="Phường Tân An", short_name="Tân An")
    kim_thanh = UnitFactory(province=session.unit.province, name="Xã Kim Thành", short_name="Kim Thành")
    client.force_login(unit_official)
    client.post(reverse("sessions:viewers", args=[session.pk]), {"names": "tan an\nXã Kim Thành\n"})
    assert set(session.stream_viewers.values_list("unit_id", flat=True)) == {tan_an.pk, kim_thanh.pk}


def test_unknown_names_in_the_viewer_list_are_explained(client, unit_official, session):
    client.force_login(unit_official)
    response = client.post(reverse("sessions:viewers", args=[session.pk]), {"names": "Phường Không Có"})
    assert "Không phải đơn vị của tỉnh này: phuong khong co." in response.content.decode()
    assert not session.stream_viewers.exists()


def test_a_document_is_linked_to_agenda_items(client, unit_official, session):
    item = session.agenda_items.get(order=2)
    client.force_login(unit_official)
    client.post(
        reverse("sessions:document_add", args=[session.pk]),
        {"kind": "du_thao_nq", "title": "Dự thảo Quy chế", "is_required": "on", "agenda_items": [item.pk]},
    )
    assert list(item.documents.values_list("title", flat=True)) == ["Dự thảo Quy chế"]
    assert "› Dự thảo Quy chế" in client.get(session.get_absolute_url()).content.decode()


def test_a_second_active_session_with_the_same_number_is_refused_with_a_message(client, unit_official, session):
    client.force_login(unit_official)
    response = client.post(
        reverse("sessions:create"),
        {"kind": "hdnd", "number": session.number, "scheduled_start": "2025-06-17T08:00", "stream_access": "province"},
    )
    assert response.status_code == 200
    assert "Đơn vị đã có kỳ họp, phiên họp cùng loại với số thứ tự này." in response.content.decode()
    assert Session.objects.count() == 1


def test_history_and_comments_without_a_known_author_still_render(client, unit_official, session):
    from sessions import services

    services.session_transition(session=session, to="cancelled", actor=None)
    Comment.objects.create(session=session, author=None, body="Ý kiến từ hệ thống cũ")  # author's account deleted
    client.force_login(unit_official)
    content = client.get(session.get_absolute_url()).content.decode()
    assert "Ý kiến từ hệ thống cũ" in content
    assert "Đã hủy" in content
