"""Running a session: item timers, attendance, outcomes, the units that followed the stream, comments."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AgendaItem, Comment, Outcome, Participant, Session, StreamViewer
from ..selectors import quorum_of, votes_needed
from ._common import OPEN_STATUSES, OUTCOME_STATUSES, SessionError, _changed, _locked, _log, _require_status
from .speeches import end_running_speeches

# --- running --------------------------------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_start(*, item: AgendaItem, actor) -> AgendaItem:
    """Start an item's timer (stopping the running one). Times come from the server clock."""
    session = _locked(item.session)
    _require_status(
        session, {Session.Status.IN_PROGRESS}, _("Start the %(noun)s before timing its items.") % session.wording
    )
    item = AgendaItem.objects.select_for_update().get(pk=item.pk, session=session)
    if item.started_at is not None:
        raise SessionError(_("This item has already been started."))
    now = timezone.now()
    end_running_speeches(session, now)
    for running in AgendaItem.objects.select_for_update().filter(
        session=session, started_at__isnull=False, ended_at__isnull=True
    ):
        running.ended_at = now
        running.save(update_fields=["ended_at"])
    item.started_at = now
    item.save(update_fields=["started_at"])
    _log(session, actor, _("Item %(order)s started.") % {"order": item.order})
    _changed(session)
    return item


@transaction.atomic
def agenda_item_stop(*, item: AgendaItem, actor) -> AgendaItem:
    session = _locked(item.session)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk, session=session)
    if not item.is_running:
        raise SessionError(_("This item is not running."))
    item.ended_at = timezone.now()
    end_running_speeches(session, item.ended_at, item=item)
    item.save(update_fields=["ended_at"])
    _log(session, actor, _("Item %(order)s ended.") % {"order": item.order})
    _changed(session)
    return item


@transaction.atomic
def attendance_record(*, session: Session, actor, marks: dict[int, tuple[str, str]]) -> None:
    """``marks``: participant pk -> (attendance, absence reason)."""
    session = _locked(session)
    _require_status(session, OPEN_STATUSES, _("Attendance can no longer be changed."))
    for participant in Participant.objects.filter(session=session, pk__in=marks):
        attendance, reason = marks[participant.pk]
        participant.attendance = attendance
        participant.absence_reason = reason if attendance == Participant.Attendance.ABSENT else ""
        participant.full_clean()
        participant.save(update_fields=["attendance", "absence_reason"])
    _changed(session)


@transaction.atomic
def outcome_add(
    *,
    session: Session,
    actor,
    title: str,
    number: str = "",
    votes_for: int = 0,
    votes_against: int = 0,
    votes_abstain: int = 0,
) -> Outcome:
    """Record a resolution (HĐND) or decision (UBND) with its vote counts; adopted or not follows the body's rule."""
    session = _locked(session)
    _require_status(session, OUTCOME_STATUSES, _("Outcomes are recorded once the session runs."))
    outcome = Outcome(
        session=session,
        number=number,
        title=title,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
    )
    apply_vote_rule(outcome, session=session)
    outcome.full_clean()
    outcome.save()
    _changed(session)
    return outcome


def apply_vote_rule(outcome: Outcome, *, session: Session) -> None:
    """Check the counts against the members present and set ``adopted``: more than the body's share of all its
    delegates (HĐND) or members (UBND) voting for (``SESSIONS_ADOPTION``). Never typed by a user."""
    quorum = quorum_of(Participant.objects.filter(session=session), kind=session.kind)
    cast = (outcome.votes_for or 0) + (outcome.votes_against or 0) + (outcome.votes_abstain or 0)
    if cast > quorum.present:
        raise SessionError(
            _(
                "%(cast)d votes were entered (for, against and abstentions) but only %(present)d delegates or "
                "members are present: check the counts, or record the attendance first."
            )
            % {"cast": cast, "present": quorum.present}
        )
    outcome.adopted = outcome.votes_for >= votes_needed(members=quorum.members, kind=session.kind)


@transaction.atomic
def stream_viewers_set(*, session: Session, actor, units) -> int:
    """Replace the list of units that followed the stream; returns their number."""
    session = _locked(session)
    unit_ids = {u.pk for u in units} - {session.unit_id}
    StreamViewer.objects.filter(session=session).exclude(unit_id__in=unit_ids).delete()
    have = set(StreamViewer.objects.filter(session=session).values_list("unit_id", flat=True))
    StreamViewer.objects.bulk_create([StreamViewer(session=session, unit_id=uid) for uid in unit_ids - have])
    _changed(session)
    return len(unit_ids)


@transaction.atomic
def stream_viewer_add(*, session: Session, unit) -> bool:
    """Record that ``unit`` (another unit of the session's province) follows the stream; idempotent, also under
    concurrent requests. Returns whether it was new. The session's own unit and other provinces' are not recorded."""
    if unit.pk == session.unit_id or unit.province_id != session.unit.province_id:
        return False
    if StreamViewer.objects.filter(session=session, unit=unit).exists():
        return False
    StreamViewer.objects.bulk_create([StreamViewer(session=session, unit=unit)], ignore_conflicts=True)
    _changed(session)
    return True


@transaction.atomic
def comment_add(*, session: Session, author, body: str) -> Comment:
    comment = Comment(session=session, author=author, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment
