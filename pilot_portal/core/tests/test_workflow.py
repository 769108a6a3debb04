"""The workflow helper itself, through a workflow that keeps every default (error, refusal and stale-page messages)
over a real model: the pilot issues log (open → answered → closed, and back)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pilot_portal.campaigns.models import IssueStatus, PilotIssue, PilotIssueEvent
from pilot_portal.campaigns.tests.factories import PilotIssueFactory
from pilot_portal.core.workflow import DomainError, Workflow

pytestmark = pytest.mark.django_db

#: The issues' own table without the answered → answered loop: a change the table does not allow.
TRANSITIONS = {
    IssueStatus.OPEN: {IssueStatus.ANSWERED, IssueStatus.CLOSED},
    IssueStatus.ANSWERED: {IssueStatus.CLOSED},
}
ISSUE = Workflow(model=PilotIssue, transitions=TRANSITIONS, event_model=PilotIssueEvent, subject="issue")


@pytest.fixture
def issue():
    return PilotIssueFactory()


def test_a_change_saves_the_status_and_writes_one_event_with_who_from_to_and_note(issue):
    actor = issue.raised_by
    locked = ISSUE.transition(issue, to=IssueStatus.ANSWERED, actor=actor, note="Đã trả lời bằng văn bản")

    assert locked.pk == issue.pk and locked.status == IssueStatus.ANSWERED
    assert issue.status == IssueStatus.ANSWERED  # the caller's object gets the new status too
    assert PilotIssue.objects.get(pk=issue.pk).status == IssueStatus.ANSWERED
    event = PilotIssueEvent.objects.get(issue=issue)
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        actor,
        IssueStatus.OPEN,
        IssueStatus.ANSWERED,
        "Đã trả lời bằng văn bản",
    )


def test_the_change_is_read_from_the_row_in_the_database_not_from_the_callers_object(issue):
    PilotIssue.objects.filter(pk=issue.pk).update(status=IssueStatus.ANSWERED)  # issue.status is still "open"

    ISSUE.transition(issue, to=IssueStatus.CLOSED, actor=issue.raised_by)

    event = PilotIssueEvent.objects.get(issue=issue)
    assert (event.from_status, event.to_status, event.note) == (IssueStatus.ANSWERED, IssueStatus.CLOSED, "")


def test_asking_for_the_status_it_already_has_changes_nothing_and_returns_the_row(issue):
    def prepare(locked, current):
        raise AssertionError("prepare runs only for a real change")

    locked = ISSUE.transition(issue, to=IssueStatus.OPEN, actor=issue.raised_by, prepare=prepare)

    assert locked is not None and locked.pk == issue.pk and locked.status == IssueStatus.OPEN
    assert not PilotIssueEvent.objects.exists()


def test_a_change_the_table_does_not_allow_is_refused_in_vietnamese_with_both_labels(issue):
    ISSUE.transition(issue, to=IssueStatus.CLOSED, actor=issue.raised_by)

    with pytest.raises(DomainError) as refused:
        ISSUE.transition(issue, to=IssueStatus.ANSWERED, actor=issue.raised_by)

    assert str(refused.value) == "Không thể chuyển từ “Đã đóng” sang “Đã trả lời”."
    assert PilotIssue.objects.get(pk=issue.pk).status == IssueStatus.CLOSED
    assert PilotIssueEvent.objects.count() == 1


def test_a_status_absent_from_the_table_allows_nothing(issue):
    PilotIssue.objects.filter(pk=issue.pk).update(status="lost")

    with pytest.raises(DomainError, match="“lost” sang “Đã đóng”"):
        ISSUE.transition(issue, to=IssueStatus.CLOSED, actor=issue.raised_by)


def test_the_refusal_gets_the_labels_and_the_locked_row(issue):
    seen = {}

    def refused(**kwargs):
        seen.update(kwargs)
        return "refused"

    workflow = Workflow(model=PilotIssue, transitions={}, event_model=PilotIssueEvent, subject="issue", refused=refused)
    with pytest.raises(DomainError, match=r"^refused$"):
        workflow.transition(issue, to=IssueStatus.CLOSED, actor=issue.raised_by)

    assert seen["current_label"] == "Chưa trả lời" and seen["target_label"] == "Đã đóng"
    assert isinstance(seen["obj"], PilotIssue) and seen["obj"].pk == issue.pk


def test_the_apps_error_class_is_raised(issue):
    class IssueError(DomainError):
        pass

    workflow = Workflow(
        model=PilotIssue, transitions={}, event_model=PilotIssueEvent, subject="issue", error=IssueError
    )
    with pytest.raises(IssueError):
        workflow.transition(issue, to=IssueStatus.CLOSED, actor=issue.raised_by)


def test_a_change_asked_from_a_status_the_row_no_longer_has_is_refused_with_its_status_now(issue):
    PilotIssue.objects.filter(pk=issue.pk).update(status=IssueStatus.ANSWERED)  # another user answered meanwhile

    with pytest.raises(DomainError) as refused:
        ISSUE.transition(issue, to=IssueStatus.CLOSED, actor=issue.raised_by, expected=IssueStatus.OPEN)

    assert str(refused.value) == (
        "Người khác vừa thay đổi mục này: hiện đang ở trạng thái “Đã trả lời”. Chưa có gì được lưu; hãy xem lại và "
        "thực hiện lại."
    )
    assert PilotIssue.objects.get(pk=issue.pk).status == IssueStatus.ANSWERED
    assert not PilotIssueEvent.objects.exists()


def test_the_stale_page_refusal_gets_the_status_now_and_the_locked_row(issue):
    seen = {}

    def changed(**kwargs):
        seen.update(kwargs)
        return "changed"

    workflow = Workflow(
        model=PilotIssue, transitions=TRANSITIONS, event_model=PilotIssueEvent, subject="issue", changed=changed
    )
    with pytest.raises(DomainError, match=r"^changed$"):
        workflow.transition(issue, to=IssueStatus.CLOSED, actor=issue.raised_by, expected=IssueStatus.ANSWERED)

    assert seen["current_label"] == "Chưa trả lời"
    assert isinstance(seen["obj"], PilotIssue) and seen["obj"].pk == issue.pk


def test_a_change_asked_from_the_status_the_row_has_goes_through(issue):
    ISSUE.transition(issue, to=IssueStatus.ANSWERED, actor=issue.raised_by, expected=IssueStatus.OPEN)

    assert PilotIssue.objects.get(pk=issue.pk).status == IssueStatus.ANSWERED


def test_the_same_change_made_twice_from_a_stale_page_stays_a_no_op(issue):
    ISSUE.transition(issue, to=IssueStatus.ANSWERED, actor=issue.raised_by, expected=IssueStatus.OPEN)

    ISSUE.transition(issue, to=IssueStatus.ANSWERED, actor=issue.raised_by, expected=IssueStatus.OPEN)

    assert PilotIssueEvent.objects.count() == 1


def test_prepare_gets_the_locked_row_and_the_status_it_had_and_what_it_sets_is_saved(issue):
    seen = []

    def prepare(locked, current):
        seen.append((locked.pk, locked.status, current))
        locked.answer = "Đã bố trí kinh phí"

    ISSUE.transition(issue, to=IssueStatus.ANSWERED, actor=issue.raised_by, prepare=prepare)

    assert seen == [(issue.pk, IssueStatus.OPEN, IssueStatus.OPEN)]
    assert PilotIssue.objects.get(pk=issue.pk).answer == "Đã bố trí kinh phí"


def test_a_refusal_raised_by_prepare_saves_nothing(issue):
    def prepare(locked, current):
        locked.answer = "không lưu"
        raise DomainError("Chưa đủ điều kiện.")

    with pytest.raises(DomainError, match="Chưa đủ điều kiện"):
        ISSUE.transition(issue, to=IssueStatus.ANSWERED, actor=issue.raised_by, prepare=prepare)

    row = PilotIssue.objects.get(pk=issue.pk)
    assert (row.status, row.answer) == (IssueStatus.OPEN, "")
    assert not PilotIssueEvent.objects.exists()


def test_the_row_is_validated_before_it_is_saved(issue):
    def prepare(locked, current):
        locked.title = "x" * 256  # longer than the field allows

    with pytest.raises(ValidationError):
        ISSUE.transition(issue, to=IssueStatus.ANSWERED, actor=issue.raised_by, prepare=prepare)

    assert PilotIssue.objects.get(pk=issue.pk).status == IssueStatus.OPEN


def test_a_status_is_labelled_from_its_choices_and_an_unknown_one_by_its_value():
    assert ISSUE.label(IssueStatus.ANSWERED) == "Đã trả lời"
    assert ISSUE.label("lost") == "lost"


def test_an_event_reads_as_its_subject_and_the_change(issue):
    event = PilotIssueEvent(issue=issue, from_status=IssueStatus.OPEN, to_status=IssueStatus.CLOSED)

    assert str(event) == f"{issue.title}: open → closed"


def test_record_writes_a_notable_action_with_the_same_status_on_both_sides(issue):
    event = ISSUE.record(
        issue, actor=issue.raised_by, from_status=IssueStatus.OPEN, to_status=IssueStatus.OPEN, note="Nhắc việc"
    )

    stored = PilotIssueEvent.objects.get(pk=event.pk)
    assert (stored.issue_id, stored.actor_id, stored.from_status, stored.to_status, stored.note) == (
        issue.pk,
        issue.raised_by_id,
        IssueStatus.OPEN,
        IssueStatus.OPEN,
        "Nhắc việc",
    )


def test_record_without_statuses_or_note_writes_a_row_with_empty_ones(ward_clerk):
    from service_center.models import Dossier, DossierEvent
    from service_center.tests.factories import DossierFactory

    dossiers = Workflow(model=Dossier, transitions={}, event_model=DossierEvent, subject="dossier")
    dossier = DossierFactory(unit=ward_clerk.unit)

    event = dossiers.record(dossier, actor=ward_clerk, at=timezone.now(), kind=DossierEvent.Kind.TRANSITION)

    stored = DossierEvent.objects.get(pk=event.pk)
    assert (stored.dossier_id, stored.actor_id, stored.from_status, stored.to_status, stored.note) == (
        dossier.pk,
        ward_clerk.pk,
        "",
        "",
        "",
    )


def test_record_is_one_insert_it_does_not_read_the_subject_or_the_actor_back(issue, django_assert_num_queries):
    with django_assert_num_queries(1):
        ISSUE.record(issue, actor=issue.raised_by, from_status=IssueStatus.OPEN, to_status=IssueStatus.CLOSED)
