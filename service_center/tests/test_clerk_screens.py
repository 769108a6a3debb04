import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from service_center.models import Dossier, Status

from .factories import DossierFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def intake_data(procedure, **overrides):
    data = {
        "token": str(uuid.uuid4()),
        "procedure": procedure.pk,
        "applicant_name": "Trần Văn Bình",
        "applicant_id_number": "031190123456",
        "applicant_phone": "0912 345 678",
        "applicant_address": "Số 3 Hùng Vương",
        "channel": "1",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(overrides)
    return data


def confirmed(client, data):
    """The intake as a clerk does it: show the due date, then confirm the date shown."""
    preview = client.post(reverse("service_center:intake"), data | {"preview": "1"})
    return data | {"confirm": "1", "previewed_due": preview.context["due_at"].isoformat()}


def test_intake_shows_the_due_date_before_saving(client, ward_clerk):
    procedure = ProcedureFactory(time_limit=3)
    client.force_login(ward_clerk)
    data = intake_data(procedure, received_at="2025-06-16T08:00")
    response = client.post(reverse("service_center:intake"), data | {"preview": "1"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "08:00 ngày 19/06/2025" in content
    assert "Xác nhận tiếp nhận" in content
    assert not Dossier.objects.exists()


def test_a_back_dated_intake_whose_due_date_has_passed_warns_before_saving(client, ward_clerk):
    # The clock is frozen at 15/07/2025 09:30: a receipt typed as 16/06 was due on 19/06.
    procedure = ProcedureFactory(time_limit=3)
    client.force_login(ward_clerk)
    late = client.post(
        reverse("service_center:intake"), intake_data(procedure, received_at="2025-06-16T08:00") | {"preview": "1"}
    ).content.decode()
    assert 'id="already-due"' in late and "quá hạn" in late
    today = client.post(
        reverse("service_center:intake"), intake_data(procedure, received_at="2025-07-15T08:00") | {"preview": "1"}
    ).content.decode()
    assert 'id="due-preview"' in today and 'id="already-due"' not in today
    assert not Dossier.objects.exists()


def test_confirmed_intake_creates_the_dossier_and_opens_its_page(client, ward_clerk):
    procedure = ProcedureFactory()
    client.force_login(ward_clerk)
    data = confirmed(client, intake_data(procedure))
    response = client.post(reverse("service_center:intake"), data, follow=True)
    dossier = Dossier.objects.get()
    assert response.redirect_chain[-1][0] == dossier.get_absolute_url()
    assert dossier.unit == ward_clerk.unit
    assert dossier.applicant_phone == "0912345678"
    assert f"Đã tiếp nhận hồ sơ {dossier.code}." in response.content.decode()


def test_double_submit_of_the_intake_form_creates_one_dossier(client, ward_clerk):
    client.force_login(ward_clerk)
    data = confirmed(client, intake_data(ProcedureFactory()))
    first = client.post(reverse("service_center:intake"), data)
    second = client.post(reverse("service_center:intake"), data)
    assert Dossier.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_used_intake_form_sent_again_for_another_citizen_is_refused_and_keeps_the_typing(client, ward_clerk):
    client.force_login(ward_clerk)
    procedure = ProcedureFactory()
    first = confirmed(client, intake_data(procedure))
    client.post(reverse("service_center:intake"), first)
    # Back in the browser, another citizen typed over the same form.
    second = first | {"applicant_name": "Lê Thị Hoa", "applicant_id_number": "031190654321"}
    response = client.post(reverse("service_center:intake"), second)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Không có gì được lưu cho công dân này" in content
    assert "Lê Thị Hoa" in content
    assert Dossier.objects.count() == 1
    fresh_token = response.context["form"]["token"].value()
    assert fresh_token != first["token"]
    again = client.post(reverse("service_center:intake"), second | {"token": fresh_token})
    assert again.status_code == 302
    assert sorted(Dossier.objects.values_list("applicant_name", flat=True)) == ["Lê Thị Hoa", "Trần Văn Bình"]


def test_confirming_a_due_date_that_was_not_shown_saves_nothing(client, ward_clerk):
    procedure = ProcedureFactory(time_limit=3)
    client.force_login(ward_clerk)
    data = confirmed(client, intake_data(procedure, received_at="2025-06-16T08:00"))
    data["received_at"] = "2025-06-17T08:00"
    response = client.post(reverse("service_center:intake"), data)
    content = response.content.decode()
    assert "Ngày hẹn trả đã thay đổi" in content
    assert "08:00 ngày 20/06/2025" in content
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("applicant_id_number", "12345", "12 chữ số"),
        ("applicant_id_number", "999190123456", "mã tỉnh"),
        ("applicant_phone", "12345", "số điện thoại Việt Nam"),
        ("procedure", "999999", "Hãy chọn một thủ tục trong danh mục."),
        ("received_at", "2099-01-01T08:00", "không được ở tương lai"),
    ],
)
def test_bad_intake_input_shows_a_field_error_and_keeps_the_input(client, ward_clerk, field, value, message):
    data = intake_data(ProcedureFactory()) | {field: value, "confirm": "1"}
    client.force_login(ward_clerk)
    response = client.post(reverse("service_center:intake"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert "Trần Văn Bình" in content
    assert not Dossier.objects.exists()


def test_province_staff_and_national_viewers_cannot_receive(client, province_staff, national_viewer):
    for user in (province_staff, national_viewer):
        client.force_login(user)
        assert client.get(reverse("service_center:intake")).status_code == 403


def test_user_without_role_is_refused_every_screen(client, user_without_role):
    dossier = DossierFactory()
    client.force_login(user_without_role)
    for url in (
        reverse("service_center:queue"),
        reverse("service_center:intake"),
        reverse("service_center:statistics"),
        reverse("service_center:book"),
        dossier.get_absolute_url(),
        reverse("service_center:print", args=[dossier.code, "01"]),
    ):
        assert client.get(url).status_code == 403, url


def test_clerk_cannot_open_or_move_a_dossier_of_another_unit(client, clerk_of_other_unit, unit):
    dossier = DossierFactory(unit=unit)
    client.force_login(clerk_of_other_unit)
    assert client.get(dossier.get_absolute_url()).status_code == 404
    assert client.get(reverse("service_center:print", args=[dossier.code, "01"])).status_code == 404
    response = client.post(reverse("service_center:transition", args=[dossier.code]), {"to": Status.PROCESSING})
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_queue_of_a_clerk_lists_only_the_unit_dossiers(client, ward_clerk, other_unit):
    mine = DossierFactory(unit=ward_clerk.unit)
    DossierFactory(unit=other_unit)
    client.force_login(ward_clerk)
    response = client.get(reverse("service_center:queue"))
    assert [d.code for d in response.context["page"].object_list] == [mine.code]


def test_queues_split_due_today_overdue_supplement_and_mine(client, ward_clerk):
    now = timezone.now()
    unit = ward_clerk.unit
    today = DossierFactory(unit=unit, due_at=timezone.localtime(now).replace(hour=23, minute=58))
    overdue = DossierFactory(unit=unit, status=Status.PROCESSING, due_at=now - dt.timedelta(hours=1))
    supplement = DossierFactory(unit=unit, status=Status.SUPPLEMENT, due_at=now - dt.timedelta(hours=1))
    mine = DossierFactory(unit=unit, assigned_to=ward_clerk, due_at=now + dt.timedelta(days=5))
    DossierFactory(unit=unit, status=Status.RETURNED, due_at=now - dt.timedelta(days=1))
    client.force_login(ward_clerk)

    def codes(queue):
        return {d.code for d in client.get(reverse("service_center:queue"), {"queue": queue}).context["page"]}

    assert codes("today") == {today.code}
    assert codes("overdue") == {overdue.code}
    assert codes("supplement") == {supplement.code}
    assert codes("mine") == {mine.code}
    assert codes("open") == {today.code, overdue.code, supplement.code, mine.code}


@pytest.mark.parametrize(
    "query", ["TEST-250616-77", "Lê Thị Tìm", "le thi tim", "tìm thấy LÊ", "  LE   THI ", "031188000777"]
)
def test_search_finds_by_code_applicant_or_identity_number(client, ward_clerk, query):
    wanted = DossierFactory(
        unit=ward_clerk.unit,
        code="TEST-250616-7777",
        applicant_name="Lê Thị Tìm Thấy",
        applicant_id_number="031188000777",
    )
    DossierFactory(unit=ward_clerk.unit)
    client.force_login(ward_clerk)
    response = client.get(reverse("service_center:queue"), {"q": query})
    assert [d.code for d in response.context["page"].object_list] == [wanted.code]


@pytest.mark.parametrize("rows", [3, 30])
def test_queue_query_count_does_not_grow_with_rows(client, ward_clerk, django_assert_max_num_queries, rows):
    DossierFactory.create_batch(rows, unit=ward_clerk.unit, assigned_to=ward_clerk)
    client.force_login(ward_clerk)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("service_center:queue"))
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("events", [1, 20])
def test_dossier_page_query_count_does_not_grow_with_events(client, ward_clerk, django_assert_max_num_queries, events):
    from .factories import DossierEventFactory

    dossier = DossierFactory(unit=ward_clerk.unit)
    DossierEventFactory.create_batch(events, dossier=dossier, actor=ward_clerk)
    client.force_login(ward_clerk)
    with django_assert_max_num_queries(10):
        response = client.get(dossier.get_absolute_url())
    assert response.content.decode().count('class="list-group-item"') == events


def test_dossier_page_offers_only_the_allowed_actions(client, ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.DONE)
    client.force_login(ward_clerk)
    content = client.get(dossier.get_absolute_url()).content.decode()
    assert "Chuyển sang: Đã trả kết quả" in content
    assert "Chuyển sang: Đang xử lý" not in content


def test_province_staff_reads_the_dossier_without_actions(client, province_staff):
    dossier = DossierFactory(unit=province_staff.province.units.first())
    client.force_login(province_staff)
    response = client.get(dossier.get_absolute_url())
    assert response.status_code == 200
    assert "Chuyển sang" not in response.content.decode()
    post = client.post(reverse("service_center:transition", args=[dossier.code]), {"to": Status.PROCESSING})
    assert post.status_code == 403


def test_a_refused_transition_shows_a_message_not_an_error(client, ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RETURNED)
    client.force_login(ward_clerk)
    response = client.post(
        reverse("service_center:transition", args=[dossier.code]), {"to": Status.PROCESSING}, follow=True
    )
    assert response.status_code == 200
    assert "không thể chuyển sang" in response.content.decode()


def test_clerk_moves_a_dossier_and_the_timeline_shows_it(client, ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    client.force_login(ward_clerk)
    response = client.post(
        reverse("service_center:transition", args=[dossier.code]),
        {"to": Status.PROCESSING, "note": "Chuyển phòng chuyên môn"},
        follow=True,
    )
    content = response.content.decode()
    assert "Hồ sơ đã chuyển sang “Đang xử lý”." in content
    assert "Chuyển phòng chuyên môn" in content


def test_apology_and_hand_over_through_the_page(client, ward_clerk, unit_official):
    due = timezone.now() + dt.timedelta(days=4)
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING, due_at=due)
    client.force_login(ward_clerk)
    new_due = timezone.localtime(due + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("service_center:apology", args=[dossier.code]),
        {"new_due_at": new_due, "reason": "Chờ xác minh"},
        follow=True,
    )
    assert "Đã ghi nhận xin lỗi" in response.content.decode()
    response = client.post(
        reverse("service_center:handover", args=[dossier.code]),
        {"to_user": unit_official.pk, "note": "Trình ký"},
        follow=True,
    )
    assert "Đã ghi nhận việc bàn giao." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.apologized_at is not None and dossier.assigned_to == unit_official


def test_hand_over_to_a_user_of_another_unit_is_a_message(client, ward_clerk, clerk_of_other_unit):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING)
    client.force_login(ward_clerk)
    response = client.post(
        reverse("service_center:handover", args=[dossier.code]), {"to_user": clerk_of_other_unit.pk}, follow=True
    )
    assert "Hãy chọn một cán bộ của đơn vị." in response.content.decode()


@pytest.mark.parametrize(
    ("due_in", "apologized", "offered"),
    [(dt.timedelta(days=3), False, True), (dt.timedelta(hours=20), False, False), (dt.timedelta(days=3), True, False)],
)
def test_the_apology_form_is_offered_only_while_the_apology_is_possible(
    client, ward_clerk, due_in, apologized, offered
):
    dossier = DossierFactory(
        unit=ward_clerk.unit,
        status=Status.PROCESSING,
        due_at=timezone.now() + due_in,
        apologized_at=timezone.now() if apologized else None,
    )
    client.force_login(ward_clerk)
    content = client.get(dossier.get_absolute_url()).content.decode()
    assert ("Ghi nhận xin lỗi" in content) is offered


def test_the_national_status_code_stands_beside_each_status_label(client, ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING)
    client.force_login(ward_clerk)
    queue = client.get(reverse("service_center:queue")).content.decode()
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "4 · Đang xử lý" in queue and "4 · Đang xử lý" in page


@pytest.mark.parametrize("target", [Status.REFUSED, Status.WITHDRAWN, Status.STOPPED])
def test_refusing_withdrawing_or_stopping_asks_for_confirmation_and_keeps_the_reason(client, ward_clerk, target):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING)
    client.force_login(ward_clerk)
    url = reverse("service_center:transition", args=[dossier.code])
    asked = client.post(url, {"to": target, "note": "Công dân đề nghị rút"})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "không thể hoàn tác" in page and "Công dân đề nghị rút" in page and 'name="confirmed"' in page
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and not dossier.events.exists()
    done = client.post(url, {"to": target, "note": "Công dân đề nghị rút", "confirmed": "1"})
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == target


def test_forms_02_03_and_04_print_only_when_the_record_calls_for_them(client, ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING)
    client.force_login(ward_clerk)
    page = client.get(dossier.get_absolute_url()).content.decode()
    for number in ("02", "03", "04"):
        url = reverse("service_center:print", args=[dossier.code, number])
        assert url not in page
        refused = client.get(url, follow=True)
        assert refused.redirect_chain[-1][0] == dossier.get_absolute_url()
        assert "không áp dụng" in refused.content.decode()
    assert reverse("service_center:print", args=[dossier.code, "01"]) in page
