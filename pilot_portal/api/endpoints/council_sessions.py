"""First HĐND sessions and UBND meetings, read-only: the list, and each with its agenda, attendance and outcomes."""

from __future__ import annotations

from typing import Literal

from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from sessions import selectors
from sessions.models import Session

from ..auth import user_of
from ..schemas import READ_ERRORS, LocalDateTime, ObjectId, PortalDate, Text

router = Router(tags=["sessions"])


class UnitRef(Schema):
    code: str
    name: str


class SessionOut(Schema):
    id: int
    unit: UnitRef
    kind: str = Field(description="hdnd (HĐND session) or ubnd (UBND meeting).")
    number: int
    title: str
    is_rehearsal: bool
    status: str
    scheduled_start: LocalDateTime
    venue: str
    chair: str
    secretary: str
    budget_minutes: int
    planned_minutes: int
    actual_start: LocalDateTime | None
    actual_end: LocalDateTime | None


class AgendaItemOut(Schema):
    order: int
    title: str
    presenter: str
    planned_minutes: int
    started_at: LocalDateTime | None
    ended_at: LocalDateTime | None


class ParticipantOut(Schema):
    name: str
    position: str
    delegate_group: str
    is_member: bool = Field(description="A delegate (HĐND) or member (UBND); guests are not.")
    is_invited: bool
    attendance: str = Field(description="present, absent, or empty when not recorded.")
    absence_reason: str


class OutcomeOut(Schema):
    number: str
    title: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    adopted: bool


class QuorumOut(Schema):
    present: int
    members: int
    needed: int
    reached: bool


class SessionDetail(SessionOut):
    agenda: list[AgendaItemOut]
    participants: list[ParticipantOut]
    outcomes: list[OutcomeOut]
    quorum: QuorumOut

    @staticmethod
    def resolve_agenda(session) -> list:
        return list(session.agenda_items.all())

    @staticmethod
    def resolve_participants(session) -> list:
        return list(session.participants.all())

    @staticmethod
    def resolve_outcomes(session) -> list:
        return list(session.outcomes.all())

    @staticmethod
    def resolve_quorum(session) -> dict:
        quorum = selectors.quorum_of(list(session.participants.all()), kind=session.kind)
        return {
            "present": quorum.present,
            "members": quorum.members,
            "needed": quorum.needed,
            "reached": quorum.reached,
        }


class SessionPage(Schema):
    items: list[SessionOut]
    next_offset: int | None


class SessionFilters(Schema):
    unit: Text(5) = Field("", description="GSO code of the unit.")
    province: Text(2) = Field("", description="GSO code of the province.")
    kind: Literal["", "hdnd", "ubnd"] = ""
    status: Literal["", "draft", "published", "in_progress", "closed", "cancelled"] = ""
    date_from: PortalDate | None = None
    date_to: PortalDate | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=100_000)


@router.get("/sessions", response={200: SessionPage, **READ_ERRORS}, summary="Sessions and meetings")
def session_list(request, filters: Query[SessionFilters]):
    user = user_of(request)
    qs = selectors.session_list(
        user=user,
        kind=filters.kind,
        status=filters.status,
        date_from=filters.date_from,
        date_to=filters.date_to,
        province_code=filters.province,
        unit_code=filters.unit,
    )
    rows = list(qs[filters.offset : filters.offset + filters.limit + 1])
    more = len(rows) > filters.limit
    return {"items": rows[: filters.limit], "next_offset": filters.offset + filters.limit if more else None}


@router.get("/sessions/{session_id}", response={200: SessionDetail, **READ_ERRORS}, summary="One session")
def session_detail(request, session_id: ObjectId):
    user = user_of(request)
    try:
        session = selectors.session_detail(user=user, pk=session_id)
    except Session.DoesNotExist:
        raise Http404 from None
    return session
