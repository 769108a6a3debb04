"""Correcting and removing participants, outcomes and documents from the portal: who may, in which statuses, what
is logged, what happens to uploaded files, and bad input answered with a message (never a server error)."""

import os

import pytest
from django.db import transaction
from django.urls import reverse

from pilot_portal.accounts.tests.factories import UserFactory
from sessions import services
from sessions.models import Document, DocumentVersion, Outcome, Participant, Session, SessionEvent

from .factories import AgendaItemFactory, DocumentFactory, ParticipantFactory, SessionFactory
from .helpers import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(unit, unit_official):
    """A session in progress: the one status where participants, documents and outcomes can all be changed."""
    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS)
    item = AgendaItemFactory(session=session, order=1, title="Quy chế hoạt động")
    AgendaItemFactory(session=session, order=2, title="Chương trình kỳ họp")
    document = DocumentFactory(session=session, title="Dự thảo Quy chế", is_required=False)
    item.documents.add(document)
    services.document_upload_version(document=document, upload=pdf(), actor=unit_official, mark_ready=True)
    ParticipantFactory(session=session, name="Nguyễn Văn An", position="Đại biểu HĐND", delegate_group="Tổ 1")
    Outcome.objects.create(session=session, number="01/NQ-HĐND", title="Nghị quyết về Quy chế", votes_for=20)
    return session


def _url(name, session, obj):
    return reverse(f"sessions:{name}", args=[session.pk, obj.pk])


def _requests(session):
    """(url, POST data) of every new view on ``session``'s participant, outcome and document."""
    participant, outcome, document = session.participants.get(), session.outcomes.get(), session.documents.get()
    return {
        "participant_edit": (
            _url("participant_edit", session, participant),
            {"name": "Tên khác", "position": "", "delegate_group": "", "is_member": "on", "is_invited": "on"},
        ),
        "participant_remove": (_url("participant_remove", session, participant), {}),
        "outcome_edit": (
            _url("outcome_edit", session, outcome),
            {"number": "09/NQ", "title": "Khác", "votes_for": 1, "votes_against": 0, "votes_abstain": 0},
        ),
        "outcome_remove": (_url("outcome_remove", session, outcome), {}),
        "document_edit": (_url("document_edit", session, document), {"kind": "bao_cao", "title": "Khác"}),
        "document_remove": (_url("document_remove", session, document), {"files": 1, "delete_files": "on"}),
    }


VIEWS = ["participant_edit", "participant_remove", "outcome_edit", "outcome_remove", "document_edit", "document_remove"]


def _unchanged(session):
    assert list(session.participants.values_list("name", flat=True)) == ["Nguyễn Văn An"]
    assert list(session.outcomes.values_list("title", flat=True)) == ["Nghị quyết về Quy chế"]
    assert list(session.documents.values_list("title", "kind")) == [("Dự thảo Quy chế", "to_trinh")]
    version = DocumentVersion.objects.get(document__session=session)
    assert os.path.exists(version.file.path)
    assert not SessionEvent.objects.filter(session=session).exists()


# --- who ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("view", VIEWS)
def test_an_official_of_another_unit_cannot_find_the_corrections(client, other_unit, session, view, method):
    client.force_login(UserFactory(unit_official=True, unit=other_unit))
    url, data = _requests(session)[view]
    assert getattr(client, method)(url, data).status_code == 404
    _unchanged(session)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("view", VIEWS)
def test_a_user_without_role_is_refused_the_corrections(client, user_without_role, session, view, method):
    client.force_login(user_without_role)
    url, data = _requests(session)[view]
    assert getattr(client, method)(url, data).status_code == 403
    _unchanged(session)


@pytest.mark.parametrize("who", ["ward_clerk", "province_staff", "national_viewer", "clerk_of_other_unit"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("view", VIEWS)
def test_read_only_roles_are_refused_the_corrections(client, request, session, view, method, who):
    client.force_login(request.getfixturevalue(who))
    url, data = _requests(session)[view]
    assert getattr(client, method)(url, data).status_code == 403
    _unchanged(session)


@pytest.mark.parametrize("view", VIEWS)
def test_a_row_of_another_session_of_the_same_unit_is_not_found(client, unit_official, session, view):
    elsewhere = SessionFactory(unit=session.unit, status=Session.Status.IN_PROGRESS)
    target = {
        "participant": ParticipantFactory(session=elsewhere),
        "outcome": Outcome.objects.create(session=elsewhere, title="Nghị quyết khác"),
        "document": DocumentFactory(session=elsewhere),
    }[view.split("_")[0]]
    client.force_login(unit_official)
    url = reverse(f"sessions:{view}", args=[session.pk, target.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _requests(session)[view][1]).status_code == 404
    assert type(target).objects.filter(pk=target.pk).exists()


# --- participants ---------------------------------------------------------------------------------------------------


def test_official_corrects_a_participant_and_the_change_is_logged(client, unit_official, session):
    person = session.participants.get()
    client.force_login(unit_official)
    page = client.get(_url("participant_edit", session, person))
    assert page.status_code == 200
    assert 'value="Đại biểu HĐND"' in page.content.decode()

    response = client.post(
        _url("participant_edit", session, person),
        {"name": "Nguyễn Văn Ân", "position": "Chủ tịch HĐND", "delegate_group": "Tổ 2", "is_invited": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("sessions:participants", args=[session.pk])
    person.refresh_from_db()
    assert (person.name, person.position, person.delegate_group) == ("Nguyễn Văn Ân", "Chủ tịch HĐND", "Tổ 2")
    assert person.is_member is False and person.is_invited is True
    event = SessionEvent.objects.get(session=session)
    assert event.actor == unit_official
    assert "Nguyễn Văn An → Nguyễn Văn Ân" in event.note and "chức vụ" in event.note and "tổ đại biểu" in event.note


def test_an_edit_that_changes_nothing_writes_no_event(client, unit_official, session):
    person = session.participants.get()
    client.force_login(unit_official)
    response = client.post(
        _url("participant_edit", session, person),
        {
            "name": person.name,
            "position": person.position,
            "delegate_group": "Tổ 1",
            "is_member": "on",
            "is_invited": "on",
        },
    )
    assert response.status_code == 302
    assert not SessionEvent.objects.exists()


def test_official_removes_a_participant_after_confirming(client, unit_official, session):
    person = session.participants.get()
    client.force_login(unit_official)

    page = client.get(_url("participant_remove", session, person))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Xóa “Nguyễn Văn An” khỏi thành phần tham dự kỳ họp này?" in content
    assert 'class="btn btn-danger"' in content
    assert Participant.objects.filter(pk=person.pk).exists()

    response = client.post(_url("participant_remove", session, person), follow=True)
    assert "Đã xóa “Nguyễn Văn An” khỏi thành phần tham dự." in response.content.decode()
    assert not Participant.objects.filter(pk=person.pk).exists()
    assert SessionEvent.objects.get(session=session).note == "Xóa người tham dự “Nguyễn Văn An”."


def test_the_participants_page_links_to_editing_and_removing(client, unit_official, session):
    person = session.participants.get()
    client.force_login(unit_official)
    content = client.get(reverse("sessions:participants", args=[session.pk])).content.decode()
    assert _url("participant_edit", session, person) in content
    assert _url("participant_remove", session, person) in content


def test_an_empty_name_is_refused_and_the_typed_values_are_kept(client, unit_official, session):
    person = session.participants.get()
    client.force_login(unit_official)
    response = client.post(
        _url("participant_edit", session, person),
        {"name": "  ", "position": "Phó Chủ tịch HĐND", "delegate_group": "Tổ 3", "is_member": "on"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in content
    assert 'value="Phó Chủ tịch HĐND"' in content and 'value="Tổ 3"' in content
    person.refresh_from_db()
    assert person.name == "Nguyễn Văn An" and person.position == "Đại biểu HĐND"


def test_an_over_long_position_is_refused_with_a_message(client, unit_official, session):
    person = session.participants.get()
    client.force_login(unit_official)
    response = client.post(_url("participant_edit", session, person), {"name": "Nguyễn Văn An", "position": "x" * 201})
    assert response.status_code == 200
    assert "Giá trị này chỉ có tối đa 200 kí tự (hiện có 201)" in response.content.decode()
    person.refresh_from_db()
    assert person.position == "Đại biểu HĐND"


@pytest.mark.parametrize("status", [Session.Status.CLOSED, Session.Status.CANCELLED])
def test_participants_of_a_closed_or_cancelled_session_cannot_be_corrected(client, unit_official, session, status):
    Session.objects.filter(pk=session.pk).update(status=status)
    person = session.participants.get()
    client.force_login(unit_official)

    page = client.get(_url("participant_edit", session, person), follow=True)
    assert page.redirect_chain[-1][0] == session.get_absolute_url()
    assert "Không thể thay đổi thành phần tham dự nữa." in page.content.decode()

    edit = client.post(_url("participant_edit", session, person), {"name": "Tên đã sửa", "position": "Khách"})
    assert edit.status_code == 200
    assert "Không thể thay đổi thành phần tham dự nữa." in edit.content.decode()
    assert 'value="Tên đã sửa"' in edit.content.decode()

    removal = client.post(_url("participant_remove", session, person))
    assert removal.status_code == 200
    assert "Không thể thay đổi thành phần tham dự nữa." in removal.content.decode()
    assert 'class="btn btn-danger"' not in removal.content.decode()
    _unchanged(session)


def test_a_participant_removed_meanwhile_is_explained(unit_official, session):
    person = session.participants.get()
    services.participant_remove(participant=person, actor=unit_official)
    with pytest.raises(services.SessionError, match="vừa bị người khác xóa"):
        services.participant_update(participant=person, actor=unit_official, name="Tên khác")
    with pytest.raises(services.SessionError, match="vừa bị người khác xóa"):
        services.participant_remove(participant=person, actor=unit_official)


def test_removing_a_participant_changes_the_quorum(unit_official, session):
    session.participants.update(attendance="present")
    ParticipantFactory(session=session, name="Trần Thị Bình")
    ParticipantFactory(session=session, name="Lê Văn Cường")
    absent = session.participants.get(name="Lê Văn Cường")
    from sessions.selectors import quorum_of

    assert not quorum_of(session.participants.all(), kind=session.kind).reached
    services.participant_remove(participant=absent, actor=unit_official)
    services.participant_remove(participant=session.participants.get(name="Trần Thị Bình"), actor=unit_official)
    assert quorum_of(session.participants.all(), kind=session.kind).reached


# --- outcomes -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Session.Status.IN_PROGRESS, Session.Status.CLOSED])
def test_official_corrects_the_votes_of_an_outcome(client, unit_official, session, status):
    Session.objects.filter(pk=session.pk).update(status=status)
    session.participants.update(attendance="present")
    for n in range(19):
        ParticipantFactory(session=session, name=f"Đại biểu {n}", attendance="present")
    outcome = session.outcomes.get()
    client.force_login(unit_official)
    assert client.get(_url("outcome_edit", session, outcome)).status_code == 200

    response = client.post(
        _url("outcome_edit", session, outcome),
        {
            "number": "01/NQ-HĐND",
            "title": "Nghị quyết về Quy chế hoạt động",
            "votes_for": 18,
            "votes_against": 1,
            "votes_abstain": 1,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url() + "#outcomes"
    outcome.refresh_from_db()
    assert (outcome.title, outcome.votes_for, outcome.votes_against, outcome.votes_abstain, outcome.adopted) == (
        "Nghị quyết về Quy chế hoạt động",
        18,
        1,
        1,
        True,
    )
    note = SessionEvent.objects.get(session=session).note
    assert "số phiếu tán thành" in note and "được thông qua" in note


def test_official_removes_an_outcome_after_confirming(client, unit_official, session):
    outcome = session.outcomes.get()
    client.force_login(unit_official)
    page = client.get(_url("outcome_remove", session, outcome)).content.decode()
    assert "Xóa kết quả biểu quyết “01/NQ-HĐND Nghị quyết về Quy chế” khỏi kỳ họp này?" in page
    assert session.outcomes.exists()

    response = client.post(_url("outcome_remove", session, outcome), follow=True)
    assert "Đã xóa kết quả biểu quyết “01/NQ-HĐND Nghị quyết về Quy chế”." in response.content.decode()
    assert not session.outcomes.exists()
    assert (
        SessionEvent.objects.get(session=session).note == "Xóa kết quả biểu quyết “01/NQ-HĐND Nghị quyết về Quy chế”."
    )


def test_the_session_page_links_to_correcting_outcomes_only_when_allowed(client, unit_official, session):
    outcome = session.outcomes.get()
    client.force_login(unit_official)
    assert _url("outcome_edit", session, outcome) in client.get(session.get_absolute_url()).content.decode()
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    assert _url("outcome_edit", session, outcome) not in client.get(session.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        ("-3", "Số phiếu không thể là số âm."),
        ("mười", "Hãy nhập số phiếu bằng một số nguyên, ví dụ 12."),
        ("99999999999", "Số phiếu này quá lớn."),
    ],
)
def test_bad_votes_are_refused_and_the_typed_title_is_kept(client, unit_official, session, votes, message):
    outcome = session.outcomes.get()
    client.force_login(unit_official)
    response = client.post(
        _url("outcome_edit", session, outcome),
        {"number": "01/NQ-HĐND", "title": "Tiêu đề đã sửa", "votes_for": votes, "votes_against": 0, "votes_abstain": 0},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'value="Tiêu đề đã sửa"' in content
    outcome.refresh_from_db()
    assert outcome.votes_for == 20 and outcome.title == "Nghị quyết về Quy chế"


def test_outcomes_cannot_be_corrected_before_the_session_runs(client, unit_official, session):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.DRAFT)
    outcome = session.outcomes.get()
    client.force_login(unit_official)
    page = client.get(_url("outcome_edit", session, outcome), follow=True)
    assert "Kết quả chỉ được ghi khi kỳ họp đã diễn ra." in page.content.decode()
    removal = client.post(_url("outcome_remove", session, outcome))
    assert "Kết quả chỉ được ghi khi kỳ họp đã diễn ra." in removal.content.decode()
    assert session.outcomes.exists()


# --- documents ------------------------------------------------------------------------------------------------------


def test_official_corrects_a_document_and_its_agenda_links(client, unit_official, session):
    document = session.documents.get()
    first, second = session.agenda_items.order_by("order")
    client.force_login(unit_official)
    page = client.get(_url("document_edit", session, document)).content.decode()
    assert 'value="Dự thảo Quy chế"' in page
    assert f'value="{first.pk}"  id="id_agenda_items_0" checked' in page
    assert f'value="{second.pk}"  id="id_agenda_items_1">' in page

    response = client.post(
        _url("document_edit", session, document),
        {"kind": "du_thao_nq", "title": "Dự thảo Nghị quyết Quy chế", "is_required": "on", "agenda_items": [second.pk]},
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.kind, document.title, document.is_required) == ("du_thao_nq", "Dự thảo Nghị quyết Quy chế", True)
    assert list(document.agenda_items.all()) == [second]
    assert document.versions.count() == 1 and document.is_ready
    note = SessionEvent.objects.get(session=session).note
    assert "Dự thảo Quy chế → Dự thảo Nghị quyết Quy chế" in note and "nội dung chương trình" in note


def test_an_agenda_item_of_another_session_is_refused_and_the_typed_title_kept(client, unit_official, session):
    document = session.documents.get()
    foreign = AgendaItemFactory(session=SessionFactory(unit=session.unit))
    client.force_login(unit_official)
    response = client.post(
        _url("document_edit", session, document),
        {"kind": "to_trinh", "title": "Tiêu đề mới", "agenda_items": [foreign.pk]},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in content and 'value="Tiêu đề mới"' in content
    assert list(document.agenda_items.values_list("title", flat=True)) == ["Quy chế hoạt động"]


def test_an_empty_document_title_is_refused(client, unit_official, session):
    document = session.documents.get()
    client.force_login(unit_official)
    response = client.post(_url("document_edit", session, document), {"kind": "bao_cao", "title": ""})
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.content.decode()
    _unchanged(session)


def test_a_document_without_files_is_removed_with_its_agenda_links(client, unit_official, session):
    document = DocumentFactory(session=session, title="Báo cáo chuẩn bị", is_required=True)
    item = session.agenda_items.get(order=2)
    item.documents.add(document)
    client.force_login(unit_official)
    response = client.post(_url("document_remove", session, document), follow=True)
    assert "Đã xóa tài liệu “Báo cáo chuẩn bị”." in response.content.decode()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not item.documents.exists()
    assert SessionEvent.objects.get(session=session).note == "Xóa tài liệu “Báo cáo chuẩn bị”."


def test_the_removal_page_of_a_document_lists_its_files_and_asks_to_delete_them(client, unit_official, session):
    document = session.documents.get()
    client.force_login(unit_official)
    content = client.get(_url("document_remove", session, document)).content.decode()
    assert "to-trinh.pdf · v1" in content
    assert 'name="files" value="1"' in content and 'name="delete_files"' in content
    assert "không thể khôi phục" in content


def test_a_document_with_files_is_not_removed_until_the_files_are_confirmed(client, unit_official, session):
    document = session.documents.get()
    client.force_login(unit_official)
    response = client.post(_url("document_remove", session, document), {"files": 1})
    assert response.status_code == 200
    assert "Tài liệu này có 1 tệp đã tải lên" in response.content.decode()
    _unchanged(session)


def test_confirmed_files_are_deleted_from_private_storage_after_the_commit(
    client, unit_official, session, django_capture_on_commit_callbacks
):
    document = session.documents.get()
    path = document.versions.get().file.path
    client.force_login(unit_official)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("document_remove", session, document), {"files": 1, "delete_files": "on"})
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not DocumentVersion.objects.exists()
    assert not os.path.exists(path)
    assert not os.path.exists(os.path.dirname(path))  # the file's random folder goes too
    assert SessionEvent.objects.get(session=session).note == (
        "Xóa tài liệu “Dự thảo Quy chế” cùng các tệp đã tải lên: to-trinh.pdf (v1)."
    )


def test_files_stay_when_the_removal_is_rolled_back(unit_official, session, django_capture_on_commit_callbacks):
    document = session.documents.get()
    path = document.versions.get().file.path
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.document_remove(document=document, actor=unit_official, confirmed_files=1)
        raise RuntimeError
    assert callbacks == []
    assert os.path.exists(path)
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_version_uploaded_after_the_confirmation_keeps_the_document(client, unit_official, session):
    document = session.documents.get()
    services.document_upload_version(document=document, upload=pdf("ban-moi.pdf"), actor=unit_official, mark_ready=True)
    client.force_login(unit_official)
    response = client.post(_url("document_remove", session, document), {"files": 1, "delete_files": "on"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Tài liệu này có 2 tệp đã tải lên" in content and "ban-moi.pdf · v2" in content
    assert document.versions.count() == 2


def test_a_tampered_file_count_is_refused_without_an_error(client, unit_official, session):
    document = session.documents.get()
    client.force_login(unit_official)
    response = client.post(_url("document_remove", session, document), {"files": "mọi", "delete_files": "on"})
    assert response.status_code == 200
    assert "Tài liệu này có 1 tệp đã tải lên" in response.content.decode()
    _unchanged(session)


def test_a_required_document_cannot_be_removed_while_the_session_is_published(client, unit_official, session):
    draft = SessionFactory(unit=session.unit, status=Session.Status.PUBLISHED)
    document = DocumentFactory(session=draft, title="Tờ trình bắt buộc", is_required=True)
    client.force_login(unit_official)
    refusal = "Kỳ họp đã công bố: các tài liệu bắt buộc phải được giữ nguyên"

    page = client.get(_url("document_remove", draft, document)).content.decode()
    assert refusal in page
    assert 'name="delete_files"' not in page and "btn-danger" not in page
    response = client.post(_url("document_remove", draft, document))
    assert response.status_code == 200 and refusal in response.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()

    services.session_transition(session=draft, to=Session.Status.DRAFT, actor=unit_official)
    assert client.post(_url("document_remove", draft, document)).status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()


def test_a_required_document_cannot_be_made_optional_while_the_session_is_published(client, unit_official, session):
    published = SessionFactory(unit=session.unit, status=Session.Status.PUBLISHED)
    document = DocumentFactory(session=published, title="Tờ trình bắt buộc", is_required=True)
    client.force_login(unit_official)
    response = client.post(_url("document_edit", published, document), {"kind": "to_trinh", "title": "Tờ trình"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Kỳ họp đã công bố: các tài liệu bắt buộc phải được giữ nguyên" in content
    assert 'value="Tờ trình"' in content
    document.refresh_from_db()
    assert document.is_required and document.title == "Tờ trình bắt buộc"


def test_an_optional_document_can_be_removed_while_the_session_is_published(unit_official, session):
    published = SessionFactory(unit=session.unit, status=Session.Status.PUBLISHED)
    document = DocumentFactory(session=published, is_required=False)
    assert services.document_remove(document=document, actor=unit_official) == 0
    assert not published.documents.exists()


def test_documents_of_a_closed_session_cannot_be_corrected(client, unit_official, session):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CLOSED)
    document = session.documents.get()
    client.force_login(unit_official)
    page = client.get(_url("document_edit", session, document), follow=True)
    assert "Không thể thay đổi tài liệu của kỳ họp này nữa." in page.content.decode()
    edit = client.post(_url("document_edit", session, document), {"kind": "bao_cao", "title": "Khác"})
    assert "Không thể thay đổi tài liệu của kỳ họp này nữa." in edit.content.decode()
    removal = client.post(_url("document_remove", session, document), {"files": 1, "delete_files": "on"})
    assert "Không thể thay đổi tài liệu của kỳ họp này nữa." in removal.content.decode()
    _unchanged(session)


def test_uploading_to_a_document_removed_meanwhile_is_explained(unit_official, session):
    document = session.documents.get()
    services.document_remove(document=document, actor=unit_official, confirmed_files=1)
    with pytest.raises(services.SessionError, match="Tài liệu này vừa bị người khác xóa"):
        services.document_upload_version(document=document, upload=pdf(), actor=unit_official, mark_ready=True)
    with pytest.raises(services.SessionError, match="Tài liệu này vừa bị người khác xóa"):
        services.document_set_ready(document=document, ready=False, actor=unit_official)
