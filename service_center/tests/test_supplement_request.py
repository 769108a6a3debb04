"""A supplement request names the missing papers from the procedure's list (plus a note): kept on the dossier while
it waits (``selectors.supplement_items``), on the event for form 02, added to the papers received when the
supplement comes, cleared then."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from service_center.models import DossierPaper, PaperKind, Status
from service_center.selectors import supplement_items
from service_center.services import DossierError, dossier_transition

from .factories import DossierFactory, ProcedureFactory, ProcedurePaperFactory

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


@pytest.fixture
def dossier(ward_clerk):
    procedure = ProcedureFactory(name="Thủ tục đăng ký thường trú")
    ProcedurePaperFactory(procedure=procedure, name="Tờ khai thay đổi thông tin cư trú", position=1)
    ProcedurePaperFactory(
        procedure=procedure, name="Giấy tờ chứng minh chỗ ở hợp pháp", kind=PaperKind.CERTIFIED_COPY, position=2
    )
    ProcedurePaperFactory(procedure=procedure, name="Văn bản đồng ý của chủ hộ", is_required=False, position=3)
    dossier = DossierFactory(
        unit=ward_clerk.unit,
        procedure=procedure,
        status=Status.PROCESSING,
        received_at=dt.datetime(2025, 7, 14, 8, 0, tzinfo=TZ),
        due_at=dt.datetime(2030, 7, 21, 8, 0, tzinfo=TZ),
    )
    DossierPaper.objects.create(dossier=dossier, name="Tờ khai thay đổi thông tin cư trú", kind="original", position=1)
    return dossier


def ask(dossier, clerk, papers, note=""):
    return dossier_transition(dossier=dossier, to=Status.SUPPLEMENT, actor=clerk, note=note, supplement_papers=papers)


# --- The service ----------------------------------------------------------------------------------------------


def test_a_supplement_request_keeps_the_missing_papers_in_the_procedure_order(dossier, ward_clerk):
    waiting = ask(dossier, ward_clerk, ["Văn bản đồng ý của chủ hộ", "Giấy tờ chứng minh chỗ ở hợp pháp"])
    assert waiting.supplement_papers == ["Giấy tờ chứng minh chỗ ở hợp pháp", "Văn bản đồng ý của chủ hộ"]
    event = dossier.events.get(to_status=Status.SUPPLEMENT)
    assert event.papers == waiting.supplement_papers and event.note == ""
    assert supplement_items(waiting) == ["Giấy tờ chứng minh chỗ ở hợp pháp", "Văn bản đồng ý của chủ hộ"]


def test_supplement_items_lists_the_papers_only_while_the_dossier_waits(dossier, ward_clerk):
    assert supplement_items(dossier) == []
    waiting = ask(dossier, ward_clerk, ["Giấy tờ chứng minh chỗ ở hợp pháp"], note="Bản sao đã hết hạn")
    assert supplement_items(waiting) == ["Giấy tờ chứng minh chỗ ở hợp pháp"]
    withdrawn = dossier_transition(dossier=waiting, to=Status.WITHDRAWN, actor=ward_clerk)
    assert supplement_items(withdrawn) == [] and withdrawn.supplement_papers == []


def test_a_supplement_request_needs_a_ticked_paper_or_a_note(dossier, ward_clerk):
    with pytest.raises(DossierError, match="Hãy đánh dấu giấy tờ còn thiếu hoặc ghi nội dung cần bổ sung"):
        ask(dossier, ward_clerk, [], note="  ")
    assert ask(dossier, ward_clerk, [], note="Ảnh chụp không rõ").status == Status.SUPPLEMENT


def test_a_paper_not_in_the_procedure_list_is_refused(dossier, ward_clerk):
    with pytest.raises(DossierError, match="không có trong thành phần hồ sơ của thủ tục: Sổ hộ khẩu"):
        ask(dossier, ward_clerk, ["Giấy tờ chứng minh chỗ ở hợp pháp", "Sổ hộ khẩu"])
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.supplement_papers == []
    assert not dossier.events.exists()


def test_papers_ticked_with_another_action_are_refused(dossier, ward_clerk):
    with pytest.raises(DossierError, match="chỉ dùng khi yêu cầu bổ sung hồ sơ"):
        dossier_transition(
            dossier=dossier, to=Status.DONE, actor=ward_clerk, supplement_papers=["Văn bản đồng ý của chủ hộ"]
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_receiving_the_supplement_clears_the_list_and_adds_the_papers_to_those_received(dossier, ward_clerk):
    waiting = ask(dossier, ward_clerk, ["Giấy tờ chứng minh chỗ ở hợp pháp", "Tờ khai thay đổi thông tin cư trú"])
    resumed = dossier_transition(dossier=waiting, to=Status.PROCESSING, actor=ward_clerk, note="Đã nhận đủ")
    assert resumed.supplement_papers == [] and supplement_items(resumed) == []
    # The form already received stays once; the missing paper joins it, as the procedure lists it.
    assert [(p.name, p.kind, p.position) for p in resumed.papers.all()] == [
        ("Tờ khai thay đổi thông tin cư trú", "original", 1),
        ("Giấy tờ chứng minh chỗ ở hợp pháp", PaperKind.CERTIFIED_COPY, 2),
    ]


def test_a_dossier_withdrawn_while_awaiting_the_supplement_gets_no_paper_it_did_not_bring(dossier, ward_clerk):
    waiting = ask(dossier, ward_clerk, ["Giấy tờ chứng minh chỗ ở hợp pháp"])
    withdrawn = dossier_transition(dossier=waiting, to=Status.WITHDRAWN, actor=ward_clerk)
    assert [p.name for p in withdrawn.papers.all()] == ["Tờ khai thay đổi thông tin cư trú"]


def test_the_clock_pauses_during_the_supplement_and_resumes_from_where_it_stood(dossier, ward_clerk, frozen_now):
    import time_machine

    due = dossier.due_at
    ask(dossier, ward_clerk, ["Giấy tờ chứng minh chỗ ở hợp pháp"])
    with time_machine.travel(frozen_now + dt.timedelta(days=7), tick=False):
        dossier.refresh_from_db()
        resumed = dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=ward_clerk)
    # Resumed, not restarted: the due date moves by the paused time only (five working days in seven).
    assert due + dt.timedelta(days=5) <= resumed.due_at <= due + dt.timedelta(days=9)


# --- The dossier page -----------------------------------------------------------------------------------------


def test_the_dossier_page_offers_the_procedure_papers_to_tick_for_a_supplement(client, dossier, ward_clerk):
    client.force_login(ward_clerk)
    content = client.get(dossier.get_absolute_url()).content.decode()
    assert 'id="supplement-checklist"' in content
    assert 'name="supplement_papers" value="Văn bản đồng ý của chủ hộ"' in content
    dossier.status = Status.DONE
    dossier.save()
    assert 'id="supplement-checklist"' not in client.get(dossier.get_absolute_url()).content.decode()


def test_a_supplement_request_through_the_page_keeps_the_ticked_papers_and_shows_them(client, dossier, ward_clerk):
    client.force_login(ward_clerk)
    response = client.post(
        reverse("service_center:transition", args=[dossier.code]),
        {"to": Status.SUPPLEMENT, "supplement_papers": ["Giấy tờ chứng minh chỗ ở hợp pháp"], "note": "Bản sao mờ"},
        follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT
    assert dossier.supplement_papers == ["Giấy tờ chứng minh chỗ ở hợp pháp"]
    content = response.content.decode()
    assert 'id="supplement-items"' in content
    assert "Giấy tờ cần bổ sung: Giấy tờ chứng minh chỗ ở hợp pháp" in content  # the timeline
    assert "Bản sao mờ" in content


def test_papers_ticked_with_a_refusal_are_a_message_before_its_confirmation_and_keep_the_typing(
    client, dossier, ward_clerk
):
    client.force_login(ward_clerk)
    response = client.post(
        reverse("service_center:transition", args=[dossier.code]),
        {"to": Status.REFUSED, "supplement_papers": ["Văn bản đồng ý của chủ hộ"], "note": "Sai thẩm quyền"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "chỉ dùng khi yêu cầu bổ sung hồ sơ" in content
    assert 'value="Văn bản đồng ý của chủ hộ" id="missing-' in content and " checked>" in content
    assert "Sai thẩm quyền" in content
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


@pytest.mark.parametrize("papers", [1, 20])
def test_dossier_page_query_count_does_not_grow_with_the_papers(
    client, ward_clerk, django_assert_max_num_queries, papers
):
    procedure = ProcedureFactory()
    ProcedurePaperFactory.create_batch(papers, procedure=procedure)
    dossier = DossierFactory(unit=ward_clerk.unit, procedure=procedure, status=Status.PROCESSING)
    DossierPaper.objects.bulk_create(
        DossierPaper(dossier=dossier, name=f"Giấy {i}", kind="copy") for i in range(papers)
    )
    client.force_login(ward_clerk)
    with django_assert_max_num_queries(10):
        content = client.get(dossier.get_absolute_url()).content.decode()
    assert content.count('name="supplement_papers"') == papers


# --- Form 02 -------------------------------------------------------------------------------------------------


def test_form_02_prints_the_papers_asked_and_says_the_clock_pauses_and_resumes(client, dossier, ward_clerk):
    ask(dossier, ward_clerk, ["Giấy tờ chứng minh chỗ ở hợp pháp"], note="Bản sao phải có chứng thực")
    client.force_login(ward_clerk)
    content = client.get(reverse("service_center:print", args=[dossier.code, "02"])).content.decode()
    assert '<td style="text-align:center">1</td><td>Giấy tờ chứng minh chỗ ở hợp pháp</td>' in content
    assert "Nội dung khác: Bản sao phải có chứng thực" in content
    assert "tạm dừng" in content and "được tính tiếp (không tính lại từ đầu)" in content
    assert "tính lại kể từ" not in content
    # Printed again once the supplement came, it still shows what was asked.
    dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=ward_clerk)
    again = client.get(reverse("service_center:print", args=[dossier.code, "02"])).content.decode()
    assert "<td>Giấy tờ chứng minh chỗ ở hợp pháp</td>" in again
