import datetime as dt
import uuid

import pytest
from django.utils import timezone

from service_center.models import ALLOWED_TRANSITIONS, CalendarOverride, DossierEvent, Handover, Status
from service_center.services import (
    Applicant,
    DossierError,
    dossier_apologize,
    dossier_hand_over,
    dossier_receive,
    dossier_transition,
)

from .factories import DossierFactory, ProcedureFactory, ProcedurePaperFactory

pytestmark = pytest.mark.django_db

APPLICANT = Applicant(name="Nguyễn Thị Lan", id_number="031190123456", phone="0912345678", address="Số 5 Lê Lợi")
TZ = timezone.get_default_timezone()


def receive(unit, clerk, **kwargs):
    kwargs.setdefault("received_at", dt.datetime(2025, 6, 16, 8, 0, tzinfo=TZ))
    return dossier_receive(
        unit=unit,
        procedure=kwargs.pop("procedure", None) or ProcedureFactory(),
        applicant=APPLICANT,
        actor=clerk,
        **kwargs,
    )


def test_receiving_issues_the_daily_code_with_the_agency_code_and_logs_the_receipt(unit, ward_clerk):
    unit.agency_code = "H31.01"
    unit.save()
    first = receive(unit, ward_clerk)
    second = receive(unit, ward_clerk)
    next_day = receive(unit, ward_clerk, received_at=dt.datetime(2025, 6, 17, 8, 0, tzinfo=TZ))
    assert [first.code, second.code, next_day.code] == [
        "H31.01-250616-0001",
        "H31.01-250616-0002",
        "H31.01-250617-0001",
    ]
    assert first.status == Status.RECEIVED
    assert first.due_at == dt.datetime(2025, 6, 19, 8, 0, tzinfo=TZ)
    assert list(first.events.values_list("kind", "to_status")) == [(DossierEvent.Kind.RECEIVED, Status.RECEIVED)]
    assert len(first.lookup_secret) == 6


def test_the_gso_code_is_the_prefix_when_the_unit_has_no_agency_code(unit, ward_clerk):
    assert receive(unit, ward_clerk).code == f"{unit.code}-250616-0001"


def test_counters_of_two_units_are_independent(unit, other_unit, ward_clerk, clerk_of_other_unit):
    receive(unit, ward_clerk)
    assert receive(other_unit, clerk_of_other_unit).code.endswith("-0001")


def test_a_double_submit_with_the_same_token_creates_one_dossier(unit, ward_clerk):
    token, procedure = uuid.uuid4(), ProcedureFactory()
    first = receive(unit, ward_clerk, intake_token=token, procedure=procedure)
    again = receive(unit, ward_clerk, intake_token=token, procedure=procedure)
    assert again.pk == first.pk
    assert unit.dossiers.count() == 1
    assert receive(unit, ward_clerk).code.endswith("-0002")


def test_a_receipt_in_the_future_is_refused(unit, ward_clerk):
    with pytest.raises(DossierError):
        receive(unit, ward_clerk, received_at=timezone.now() + dt.timedelta(days=1))
    assert not unit.dossiers.exists()


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s, targets in ALLOWED_TRANSITIONS.items() for t in sorted(targets)],
)
def test_every_allowed_transition_changes_the_status_and_writes_an_event(source, target, ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=source, paused_at=timezone.now())
    moved = dossier_transition(dossier=dossier, to=target, actor=ward_clerk, note="Lý do ghi rõ")
    assert moved.status == target
    event = moved.events.get()
    assert (event.from_status, event.to_status, event.actor, event.note) == (source, target, ward_clerk, "Lý do ghi rõ")


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s in Status.values for t in Status.values if t != s and t not in ALLOWED_TRANSITIONS[s]],
)
def test_every_refused_transition_raises_and_changes_nothing(source, target, ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=source)
    with pytest.raises(DossierError, match="không thể chuyển"):
        dossier_transition(dossier=dossier, to=target, actor=ward_clerk, note="x")
    dossier.refresh_from_db()
    assert dossier.status == source
    assert not dossier.events.exists()


@pytest.mark.parametrize("status", Status.values)
def test_moving_a_dossier_to_the_status_it_has_does_nothing(status, ward_clerk):
    """A second submit of the same action (a double click, a reloaded form) changes nothing and logs nothing."""
    dossier = DossierFactory(unit=ward_clerk.unit, status=status)
    same = dossier_transition(dossier=dossier, to=status, actor=ward_clerk, note="lần hai")
    assert same.status == status
    assert not dossier.events.exists()


def test_a_supplement_request_needs_a_reason(ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING)
    with pytest.raises(DossierError):
        dossier_transition(dossier=dossier, to=Status.SUPPLEMENT, actor=ward_clerk, note="  ")


@pytest.mark.parametrize(
    ("to", "message"),
    [
        # A supplement request names the papers missing, or says in the note what to bring.
        (Status.SUPPLEMENT, r"Hãy đánh dấu giấy tờ còn thiếu hoặc ghi nội dung cần bổ sung vào phần ghi chú\."),
        (Status.REFUSED, r"Hãy ghi rõ lý do vào phần ghi chú\."),
        (Status.STOPPED, r"Hãy ghi rõ lý do vào phần ghi chú\."),
    ],
)
def test_a_change_that_pauses_or_ends_without_a_result_needs_a_reason(ward_clerk, to, message):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING)
    with pytest.raises(DossierError, match=message):
        dossier_transition(dossier=dossier, to=to, actor=ward_clerk, note=" \n ")
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert not dossier.events.exists()


@pytest.mark.parametrize("to", [Status.PROCESSING, Status.WITHDRAWN])
def test_a_change_that_needs_no_reason_goes_through_without_a_note(ward_clerk, to):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    assert dossier_transition(dossier=dossier, to=to, actor=ward_clerk).status == to


def test_a_change_from_a_status_the_dossier_no_longer_has_is_refused(ward_clerk, unit_official):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=unit_official)
    with pytest.raises(
        DossierError, match=r"Hồ sơ vừa được người khác thay đổi: hiện đang ở trạng thái “4 · Đang xử lý”"
    ):
        dossier_transition(
            dossier=dossier, to=Status.REFUSED, actor=ward_clerk, note="Thiếu giấy tờ", expected_status=Status.RECEIVED
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert list(dossier.events.values_list("to_status", flat=True)) == [Status.PROCESSING]


def test_an_apology_or_hand_over_from_a_status_the_dossier_no_longer_has_is_refused(ward_clerk, unit_official):
    due = timezone.now() + dt.timedelta(days=5)
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING, due_at=due)
    dossier_transition(dossier=dossier, to=Status.SUPPLEMENT, actor=unit_official, note="Thiếu bản sao")
    with pytest.raises(DossierError, match="Hồ sơ vừa được người khác thay đổi"):
        dossier_apologize(
            dossier=dossier,
            new_due_at=due + dt.timedelta(days=3),
            actor=ward_clerk,
            reason="Chờ xác minh",
            expected_status=Status.PROCESSING,
        )
    with pytest.raises(DossierError, match="Hồ sơ vừa được người khác thay đổi"):
        dossier_hand_over(dossier=dossier, to_user=unit_official, actor=ward_clerk, expected_status=Status.PROCESSING)
    dossier.refresh_from_db()
    assert (dossier.apologized_at, dossier.assigned_to) == (None, None)


def test_resuming_after_a_supplement_shifts_the_due_time_by_the_paused_office_time(ward_clerk):
    now = timezone.now()
    dossier = DossierFactory(
        unit=ward_clerk.unit, status=Status.SUPPLEMENT, paused_at=now - dt.timedelta(days=7), due_at=now
    )
    resumed = dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=ward_clerk)
    assert resumed.paused_at is None
    # Seven calendar days hold five working days of office time, whatever the weekday.
    assert resumed.due_at >= now + dt.timedelta(days=5)


def test_withdrawing_while_awaiting_supplement_keeps_the_due_time(ward_clerk):
    now = timezone.now()
    dossier = DossierFactory(
        unit=ward_clerk.unit, status=Status.SUPPLEMENT, paused_at=now - dt.timedelta(days=7), due_at=now
    )
    withdrawn = dossier_transition(dossier=dossier, to=Status.WITHDRAWN, actor=ward_clerk)
    assert withdrawn.due_at == now and withdrawn.paused_at is None and withdrawn.closed_at is not None


def test_closing_sets_the_closed_time_and_returning_sets_the_return_time(ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING)
    done = dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk, result="Giấy khai sinh số 12")
    assert done.closed_at is not None and done.result == "Giấy khai sinh số 12"
    returned = dossier_transition(dossier=done, to=Status.RETURNED, actor=ward_clerk)
    assert returned.returned_at is not None and returned.closed_at == done.closed_at
    assert list(returned.events.values_list("to_status", flat=True)) == [Status.DONE, Status.RETURNED]


def test_apology_moves_the_due_date_once(ward_clerk):
    due = timezone.now() + dt.timedelta(days=3)
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING, due_at=due)
    apologized = dossier_apologize(
        dossier=dossier, new_due_at=due + dt.timedelta(days=5), actor=ward_clerk, reason="Chờ xác minh"
    )
    assert apologized.due_at == due + dt.timedelta(days=5)
    assert apologized.original_due_at == due
    assert apologized.events.get().kind == DossierEvent.Kind.APOLOGY
    with pytest.raises(DossierError, match="đã"):
        dossier_apologize(dossier=dossier, new_due_at=due + dt.timedelta(days=9), actor=ward_clerk, reason="Lần hai")


def test_apology_less_than_a_day_before_the_due_date_is_refused(ward_clerk):
    due = timezone.now() + dt.timedelta(hours=20)
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING, due_at=due)
    with pytest.raises(DossierError, match="ít nhất"):
        dossier_apologize(dossier=dossier, new_due_at=due + dt.timedelta(days=2), actor=ward_clerk, reason="Muộn")
    dossier.refresh_from_db()
    assert dossier.due_at == due and dossier.apologized_at is None


def test_hand_over_records_form_05_line_and_assigns_the_officer(ward_clerk, unit_official):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING, assigned_to=ward_clerk)
    handover = dossier_hand_over(dossier=dossier, to_user=unit_official, actor=ward_clerk, note="Trình ký")
    dossier.refresh_from_db()
    assert dossier.assigned_to == unit_official
    assert Handover.objects.get() == handover
    assert dossier.events.get().kind == DossierEvent.Kind.HANDOVER


def test_hand_over_to_an_officer_of_another_unit_is_refused(ward_clerk, clerk_of_other_unit):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING)
    with pytest.raises(DossierError):
        dossier_hand_over(dossier=dossier, to_user=clerk_of_other_unit, actor=ward_clerk)
    assert not Handover.objects.exists()


def test_an_invalid_identity_number_saves_nothing(unit, ward_clerk):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        dossier_receive(
            unit=unit,
            procedure=ProcedureFactory(),
            actor=ward_clerk,
            applicant=Applicant(name="A", id_number="999190123456"),
        )
    assert not unit.dossiers.exists()


def test_an_extra_day_off_entered_in_the_admin_table_moves_the_due_date(unit, ward_clerk):
    CalendarOverride.objects.create(date=dt.date(2025, 6, 17), kind=CalendarOverride.Kind.DAY_OFF)
    dossier = receive(unit, ward_clerk, procedure=ProcedureFactory(time_limit=1))
    assert dossier.due_at == dt.datetime(2025, 6, 18, 8, 0, tzinfo=TZ)


def test_a_change_without_note_result_or_digitization_leaves_them_empty(ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.PROCESSING, result="Giấy khai sinh số 12")
    done = dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk)
    returned = dossier_transition(dossier=done, to=Status.RETURNED, actor=ward_clerk)
    returned.refresh_from_db()
    assert (returned.result, returned.result_digitized) == ("Giấy khai sinh số 12", False)
    assert list(returned.events.values_list("note", flat=True)) == ["", ""]
    with pytest.raises(DossierError, match=r"Hãy ghi rõ lý do vào phần ghi chú\."):
        dossier_transition(dossier=DossierFactory(unit=ward_clerk.unit), to=Status.REFUSED, actor=ward_clerk)


def test_papers_to_supplement_go_only_with_a_supplement_request(ward_clerk):
    paper = ProcedurePaperFactory(name="Tờ khai đăng ký khai sinh")
    dossier = DossierFactory(unit=ward_clerk.unit, procedure=paper.procedure, status=Status.PROCESSING)
    with pytest.raises(DossierError, match="chỉ dùng khi yêu cầu bổ sung hồ sơ"):
        dossier_transition(dossier=dossier, to=Status.DONE, actor=ward_clerk, supplement_papers=[paper.name])
    waiting = dossier_transition(
        dossier=dossier, to=Status.SUPPLEMENT, actor=ward_clerk, supplement_papers=[paper.name]
    )
    assert waiting.supplement_papers == [paper.name]


def test_each_real_change_is_announced_after_commit_with_the_status_it_left(
    ward_clerk, frozen_now, django_capture_on_commit_callbacks
):
    from service_center.signals import dossier_status_changed

    announced = []

    def receiver(sender, **kwargs):
        announced.append(kwargs)

    dossier_status_changed.connect(receiver)
    try:
        dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
        with django_capture_on_commit_callbacks(execute=True):
            dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=ward_clerk)
            dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=ward_clerk)  # no change: no announcement
    finally:
        dossier_status_changed.disconnect(receiver)
    assert announced == [
        {
            "signal": dossier_status_changed,
            "dossier_id": dossier.pk,
            "from_status": Status.RECEIVED,
            "to_status": Status.PROCESSING,
            "at": timezone.now(),
        }
    ]


def test_a_change_between_open_statuses_neither_closes_nor_returns_the_dossier(ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit, status=Status.RECEIVED)
    processing = dossier_transition(dossier=dossier, to=Status.PROCESSING, actor=ward_clerk)
    processing.refresh_from_db()
    assert (processing.closed_at, processing.returned_at) == (None, None)
