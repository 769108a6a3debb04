"""Dossiers through the API: the same scope, roles and services as the clerk's screens."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pilot_portal.accounts.tests.factories import UserFactory
from service_center.models import Dossier, DossierEvent, Status
from service_center.tests.factories import DossierFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

HCM = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def procedure():
    return ProcedureFactory(code="1.001234", fee=50_000)


def intake(proc, **extra):
    return {
        "procedure": proc.code,
        "applicant": {"name": "Lê Thị Hoa", "id_number": "031090123456", "phone": "0912345678"},
        "channel": 2,
        "source_system": "motcua-haiphong",
        "source_number": "HP-2025-000123",
        **extra,
    }


def test_a_clerk_receives_a_dossier_through_the_intake_service(api_as, ward_clerk, procedure):
    status, body = api_as(ward_clerk).post("/api/v1/dossiers", intake(procedure))
    assert status == 201, body
    dossier = Dossier.objects.get()
    assert body["code"] == dossier.code
    assert body["unit"]["code"] == ward_clerk.unit.code
    assert body["status"] == 2
    assert body["channel"] == 2
    assert body["procedure"]["fee"] == 50_000
    assert body["source_number"] == "HP-2025-000123"
    assert body["received_at"].endswith("+07:00")
    assert body["due_at"] == timezone.localtime(dossier.due_at).isoformat()
    assert [e["kind"] for e in body["events"]] == [DossierEvent.Kind.RECEIVED]
    assert dossier.received_by == ward_clerk


def test_the_papers_received_are_those_of_the_procedure_and_every_required_one_is_needed(api_as, ward_clerk, procedure):
    procedure.papers.create(name="Tờ khai đăng ký khai sinh", is_required=True, position=1)
    procedure.papers.create(name="Giấy chứng sinh", is_required=True, position=2)
    api = api_as(ward_clerk)
    status, body = api.post("/api/v1/dossiers", intake(procedure, papers=["Tờ khai đăng ký khai sinh"]))
    assert status == 409
    assert "Giấy chứng sinh" in body["detail"]
    status, body = api.post("/api/v1/dossiers", intake(procedure, papers=["Sổ hộ khẩu"]))
    assert (status, body["errors"][0]["field"]) == (400, "papers")
    papers = ["Giấy chứng sinh", "Tờ khai đăng ký khai sinh"]
    status, body = api.post("/api/v1/dossiers", intake(procedure, papers=papers))
    assert status == 201, body
    assert [p["name"] for p in body["papers"]] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]


def test_the_same_source_number_returns_the_existing_dossier_with_200(api_as, ward_clerk, procedure):
    api = api_as(ward_clerk)
    first_status, first = api.post("/api/v1/dossiers", intake(procedure))
    second_status, second = api.post("/api/v1/dossiers", intake(procedure))
    assert (first_status, second_status) == (201, 200)
    assert second["code"] == first["code"]
    assert Dossier.objects.count() == 1


def test_the_same_source_number_for_another_citizen_is_a_conflict(api_as, ward_clerk, procedure):
    api = api_as(ward_clerk)
    api.post("/api/v1/dossiers", intake(procedure))
    other = intake(procedure, applicant={"name": "Trần Văn Bình", "id_number": "031090999999"})
    status, body = api.post("/api/v1/dossiers", other)
    assert status == 409
    assert "HP-2025-000123" in body["detail"]
    assert Dossier.objects.count() == 1


def test_the_dossier_received_through_the_api_is_in_the_clerk_s_queue(api_as, client, ward_clerk, procedure):
    _status, body = api_as(ward_clerk).post("/api/v1/dossiers", intake(procedure))
    client.force_login(ward_clerk)
    page = client.get(reverse("service_center:queue"), {"queue": "open"})
    assert body["code"] in page.content.decode()


def test_readers_cannot_receive_and_a_clerk_cannot_receive_for_another_unit(
    api_as, ward_clerk, province_staff, national_viewer, other_unit, procedure
):
    for reader in (province_staff, national_viewer):
        assert api_as(reader).post("/api/v1/dossiers", intake(procedure, unit=ward_clerk.unit.code))[0] == 403
    assert api_as(ward_clerk).post("/api/v1/dossiers", intake(procedure, unit=other_unit.code))[0] == 404
    assert not Dossier.objects.exists()


def test_an_unknown_procedure_is_a_field_error(api_as, ward_clerk, procedure):
    status, body = api_as(ward_clerk).post("/api/v1/dossiers", intake(procedure, procedure="9.999999"))
    assert status == 400
    assert body["errors"][0]["field"] == "procedure"


def test_a_receipt_in_the_future_is_refused_with_the_service_s_message(api_as, ward_clerk, procedure):
    later = (timezone.now() + dt.timedelta(days=2)).isoformat()
    status, body = api_as(ward_clerk).post("/api/v1/dossiers", intake(procedure, received_at=later))
    assert status == 409
    assert body["detail"] == "Thời gian tiếp nhận không được ở tương lai."


# --- Transitions ------------------------------------------------------------------------------------------------


@pytest.fixture
def dossier(ward_clerk):
    return DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)


def test_a_transition_goes_through_the_service_and_is_logged(api_as, ward_clerk, dossier):
    status, body = api_as(ward_clerk).post(
        f"/api/v1/dossiers/{dossier.code}/transitions", {"from_status": 2, "to_status": 4, "note": "Chuyển xử lý"}
    )
    assert status == 200, body
    assert body["status"] == 4
    assert body["events"][-1]["to_status"] == 4
    event = DossierEvent.objects.get(dossier=dossier)
    assert (event.from_status, event.to_status, event.actor, event.note) == ("2", "4", ward_clerk, "Chuyển xử lý")


def test_a_transition_from_a_status_the_dossier_no_longer_has_is_a_conflict(api_as, ward_clerk, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.PROCESSING)
    status, body = api_as(ward_clerk).post(
        f"/api/v1/dossiers/{dossier.code}/transitions", {"from_status": 2, "to_status": 5, "note": "Thiếu giấy"}
    )
    assert status == 409
    assert "4 · Đang xử lý" in body["detail"]
    assert not DossierEvent.objects.exists()


def test_a_transition_refused_by_the_workflow_is_a_conflict_with_its_message(api_as, ward_clerk, dossier):
    status, body = api_as(ward_clerk).post(
        f"/api/v1/dossiers/{dossier.code}/transitions", {"from_status": 2, "to_status": 10}
    )
    assert status == 409
    assert body["detail"] == (
        "Hồ sơ hiện đang ở trạng thái “Được tiếp nhận”: không thể chuyển sang “Đã trả kết quả”. Hãy tải lại trang."
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_a_refusal_without_a_reason_is_a_conflict_with_the_service_s_message(api_as, ward_clerk, dossier):
    status, body = api_as(ward_clerk).post(
        f"/api/v1/dossiers/{dossier.code}/transitions", {"from_status": 2, "to_status": 3}
    )
    assert status == 409
    assert body["detail"] == "Hãy ghi rõ lý do vào phần ghi chú."


def test_a_status_the_portal_does_not_have_is_a_field_error(api_as, ward_clerk, dossier):
    status, body = api_as(ward_clerk).post(
        f"/api/v1/dossiers/{dossier.code}/transitions", {"from_status": 2, "to_status": 1}
    )
    assert status == 400
    assert body["errors"][0]["field"] == "to_status"


# --- Scope and roles ---------------------------------------------------------------------------------------------


def test_another_unit_s_dossier_is_a_404_for_reading_and_for_changing(api_as, clerk_of_other_unit, dossier):
    api = api_as(clerk_of_other_unit)
    assert api.get(f"/api/v1/dossiers/{dossier.code}")[0] == 404
    status, _body = api.post(f"/api/v1/dossiers/{dossier.code}/transitions", {"from_status": 2, "to_status": 4})
    assert status == 404
    assert api.get("/api/v1/dossiers")[1]["items"] == []
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


@pytest.mark.parametrize("role", ["province_staff", "national_viewer"])
def test_read_only_roles_read_the_dossier_and_get_403_on_a_transition(api_as, request, role, dossier):
    api = api_as(request.getfixturevalue(role))
    status, body = api.get(f"/api/v1/dossiers/{dossier.code}")
    assert status == 200
    assert body["allowed_transitions"] == []
    assert api.post(f"/api/v1/dossiers/{dossier.code}/transitions", {"from_status": 2, "to_status": 4})[0] == 403
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_a_province_s_staff_do_not_see_another_province_s_dossiers(api_as, dossier):
    outsider = UserFactory(province_staff=True, province=DossierFactory().unit.province)
    assert api_as(outsider).get(f"/api/v1/dossiers/{dossier.code}")[0] == 404


@pytest.mark.parametrize("role", ["user_without_role", "delegate"])
def test_users_without_a_portal_role_get_403(api_as, request, role, unit, dossier):
    user = UserFactory(delegate=True, unit=unit) if role == "delegate" else request.getfixturevalue(role)
    api = api_as(user)
    assert api.get("/api/v1/dossiers")[0] == 403
    assert api.get(f"/api/v1/dossiers/{dossier.code}")[0] == 403


def test_the_unit_official_moves_the_dossier_as_the_clerk_does(api_as, unit_official, dossier):
    status, body = api_as(unit_official).post(
        f"/api/v1/dossiers/{dossier.code}/transitions", {"from_status": 2, "to_status": 4}
    )
    assert status == 200
    assert 9 in body["allowed_transitions"]


# --- The list ------------------------------------------------------------------------------------------------------


def test_the_list_filters_by_unit_status_procedure_and_dates(api_as, national_viewer, ward_clerk, other_unit):
    now = timezone.now()
    wanted = DossierFactory(
        unit=ward_clerk.unit, status=Status.PROCESSING, received_at=now - dt.timedelta(days=3), due_at=now
    )
    DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED, received_at=now - dt.timedelta(days=3))
    DossierFactory(unit=other_unit, status=Status.PROCESSING, received_at=now - dt.timedelta(days=3))
    DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING, received_at=now - dt.timedelta(days=30))
    api = api_as(national_viewer)
    day = timezone.localdate(now - dt.timedelta(days=3)).isoformat()
    status, body = api.get(
        "/api/v1/dossiers",
        {"unit": ward_clerk.unit.code, "status": 4, "received_from": day, "received_to": day},
    )
    assert status == 200
    assert [d["code"] for d in body["items"]] == [wanted.code]
    today = timezone.localdate().isoformat()
    due = api.get("/api/v1/dossiers", {"due_from": today, "due_to": today, "procedure": wanted.procedure.code})[1]
    assert [d["code"] for d in due["items"]] == [wanted.code]


def test_the_cursor_walks_every_dossier_once_newest_first(api_as, ward_clerk, django_assert_max_num_queries):
    moment = timezone.now() - dt.timedelta(hours=1)
    # Several dossiers received at the same moment: the id breaks the tie.
    made = [DossierFactory(unit=ward_clerk.unit, received_at=moment - dt.timedelta(minutes=n // 2)) for n in range(7)]
    api = api_as(ward_clerk)
    seen, cursor = [], ""
    while True:
        with django_assert_max_num_queries(6):
            status, body = api.get("/api/v1/dossiers", {"limit": 3, "cursor": cursor})
        assert status == 200
        seen += [d["code"] for d in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    expected = sorted(made, key=lambda d: (d.received_at, d.pk), reverse=True)
    assert seen == [d.code for d in expected]


def test_a_cursor_the_api_did_not_give_is_a_field_error(api_as, ward_clerk):
    status, body = api_as(ward_clerk).get("/api/v1/dossiers", {"cursor": "eyJ4IjoxfQ:abc:def"})
    assert status == 400
    assert body["errors"][0]["field"] == "cursor"


def test_the_detail_costs_the_same_queries_whatever_its_history(api_as, ward_clerk, django_assert_max_num_queries):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING)
    for n in range(8):
        DossierEvent.objects.create(
            dossier=dossier, at=timezone.now(), actor=UserFactory(), kind=DossierEvent.Kind.HANDOVER, note=f"{n}"
        )
    api = api_as(ward_clerk)
    with django_assert_max_num_queries(6):
        status, body = api.get(f"/api/v1/dossiers/{dossier.code}")
    assert status == 200
    assert len(body["events"]) == 8
