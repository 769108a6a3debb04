"""Malformed and hostile requests get a 400 with the fields at fault (never a 500), and change nothing."""

import pytest

from service_center.models import Dossier, DossierEvent, Status
from service_center.tests.factories import DossierFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_as, ward_clerk):
    return api_as(ward_clerk)


@pytest.fixture
def dossier(ward_clerk):
    return DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)


def good_intake():
    ProcedureFactory(code="1.001234")
    return {"procedure": "1.001234", "applicant": {"name": "Lê Thị Hoa", "id_number": "031090123456"}}


@pytest.mark.parametrize("raw", ["{", "not json", '{"procedure": "1.001234",}', b"\xff\xfe{}"])
def test_a_body_that_is_not_json_is_a_400(api, raw):
    status, body = api.post("/api/v1/dossiers", raw=raw)
    assert status == 400
    assert body["detail"] == "Nội dung yêu cầu không phải JSON hợp lệ."
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"applicant": "Lê Thị Hoa"}, "applicant"),
        ({"applicant": {"name": "Lê Thị Hoa", "id_number": 31090123456}}, "applicant.id_number"),
        ({"applicant": {"name": "Lê Thị Hoa", "id_number": "03109012345X"}}, "applicant.id_number"),
        ({"applicant": {"name": "", "id_number": "031090123456"}}, "applicant.name"),
        ({"applicant": {"name": "Lê\x00Hoa", "id_number": "031090123456"}}, "applicant.name"),
        ({"applicant": {"name": "Lê Thị Hoa" * 100, "id_number": "031090123456"}}, "applicant.name"),
        ({"applicant": {"name": "Lê Thị Hoa", "id_number": "031299123456"}}, "applicant.id_number"),
        ({"applicant": {"name": "Lê Thị Hoa", "id_number": "031090123456", "phone": "12ab"}}, "applicant.phone"),
        ({"channel": 7}, "channel"),
        ({"channel": "trực tiếp"}, "channel"),
        ({"is_test": "có lẽ"}, "is_test"),
        ({"received_at": "15/07/2025 09:00"}, "received_at"),
        ({"received_at": "2025-07-15T09:00:00"}, "received_at"),
        ({"received_at": "9999-12-31T23:59:59-12:00"}, "received_at"),
        ({"received_at": "0001-01-01T00:00:00+14:00"}, "received_at"),
        ({"received_at": "1999-12-31T23:00:00+07:00"}, "received_at"),
        ({"procedure": None}, "procedure"),
        ({"source_number": ["HP-1"]}, "source_number"),
    ],
)
def test_wrong_types_and_values_are_a_400_naming_the_field(api, change, field):
    status, body = api.post("/api/v1/dossiers", {**good_intake(), **change})
    assert status == 400, body
    assert any(e["field"] == field or e["field"].startswith(f"{field}.") for e in body["errors"]), body
    assert all(e["message"] for e in body["errors"])
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("raw", ["[]", '"dossier"', "null", "42"])
def test_a_body_that_is_not_an_object_is_a_400(api, raw):
    status, body = api.post("/api/v1/dossiers", raw=raw)
    assert status == 400
    assert body["errors"]


@pytest.mark.parametrize(
    "payload",
    [
        {"from_status": "hai", "to_status": 4},
        {"from_status": 2, "to_status": 11},
        {"from_status": 2, "to_status": -4},
        {"from_status": 2, "to_status": 2**70},
        {"from_status": 2, "to_status": 4, "note": "x\x00y"},
        {"from_status": 2, "to_status": 4, "note": "x" * 5000},
        {"to_status": 4},
    ],
)
def test_a_transition_with_a_bad_body_is_a_400_and_changes_nothing(api, dossier, payload):
    status, body = api.post(f"/api/v1/dossiers/{dossier.code}/transitions", payload)
    assert status == 400, body
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert not DossierEvent.objects.exists()


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bốn"},
        {"status": 0},
        {"status": 99999999999999999999999},
        {"received_from": "2025-13-01"},
        {"received_from": "1999-12-31"},
        {"due_to": "31/07/2025"},
        {"limit": 0},
        {"limit": 10**6},
        {"unit": "\x00"},
        {"unit": "1" * 500},
        {"procedure": "1.001\x00"},
        {"cursor": "\x00"},
        {"cursor": "x" * 5000},
    ],
)
def test_hostile_list_filters_are_a_400(api, params):
    status, body = api.get("/api/v1/dossiers", params)
    assert status == 400, body
    assert body["errors"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/dossiers/%00",
        "/api/v1/dossiers/" + "9" * 300,
        "/api/v1/units/%00",
        "/api/v1/sessions/0",
        "/api/v1/sessions/99999999999999999999999",
        "/api/v1/campaigns/-1/units",
        "/api/v1/statistics/06a?start=2025-07-31&end=2025-07-01",
        "/api/v1/statistics/06a?start=2025-07-01",
        "/api/v1/statistics/06a?start=2025-07-01&end=2025-07-31&unit=%00",
        "/api/v1/units?q=%00",
        "/api/v1/units?offset=-1",
        "/api/v1/sessions?kind=tiec",
    ],
)
def test_hostile_paths_and_queries_get_a_4xx_never_a_500(api, path):
    status, body = api.get(path)
    assert 400 <= status < 500
    assert body["detail"]


def test_a_search_with_only_punctuation_or_sql_finds_nothing_and_breaks_nothing(api):
    for q in ("%", "_", "' OR 1=1 --", "\\", "🙂"):
        status, body = api.get("/api/v1/units", {"q": q})
        assert status == 200
        assert body["items"] == [] or q == "🙂"
