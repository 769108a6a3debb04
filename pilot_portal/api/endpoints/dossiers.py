"""Dossiers: list with filters and a cursor, detail with the history, intake, status changes.

Every read starts from ``Dossier.objects.visible_to`` and every write from ``editable_by`` after the role check of
the clerk's screens; intake and status changes go through the same services as the screens.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from django.core import signing
from django.db.models import Q
from django.http import Http404
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status as Reply
from pydantic import Field, StringConstraints

from pilot_portal.accounts.permissions import user_has_role
from service_center import permissions, selectors, services
from service_center.models import Dossier, Procedure, Status, with_code
from service_center.permissions import WORK_ROLES
from units.models import Unit

from ..auth import require_roles, user_of
from ..errors import Conflict
from ..schemas import READ_ERRORS, WRITE_ERRORS, LocalDateTime, PortalDate, PortalMoment, StatusCode, Text

router = Router(tags=["dossiers"])

CURSOR_SALT = "pilot_portal.api.dossiers.cursor"


class UnitRef(Schema):
    code: str
    name: str


class ProcedureRef(Schema):
    code: str
    name: str
    fee: int = Field(description="Fee (lệ phí) in đồng.")


class ApplicantOut(Schema):
    name: str
    id_number: str
    phone: str
    address: str


class DossierOut(Schema):
    code: str
    unit: UnitRef
    procedure: ProcedureRef
    status: int = Field(description="National status code (1-10).")
    status_label: str
    channel: int = Field(description="1 in person, 2 online, 3 public postal service.")
    applicant: ApplicantOut
    received_at: LocalDateTime
    due_at: LocalDateTime
    closed_at: LocalDateTime | None
    returned_at: LocalDateTime | None
    is_test: bool
    from_district_backlog: bool
    source_system: str
    source_number: str

    @staticmethod
    def resolve_status(dossier) -> int:
        return int(dossier.status)

    @staticmethod
    def resolve_status_label(dossier) -> str:
        return with_code(dossier.status)

    @staticmethod
    def resolve_channel(dossier) -> int:
        return int(dossier.channel)

    @staticmethod
    def resolve_applicant(dossier) -> dict:
        return {
            "name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone,
            "address": dossier.applicant_address,
        }


class EventOut(Schema):
    at: LocalDateTime
    kind: str
    from_status: int | None
    to_status: int | None
    actor: str
    note: str

    @staticmethod
    def resolve_from_status(event) -> int | None:
        return int(event.from_status) if event.from_status else None

    @staticmethod
    def resolve_to_status(event) -> int | None:
        return int(event.to_status) if event.to_status else None

    @staticmethod
    def resolve_actor(event) -> str:
        return (event.actor.get_full_name() or event.actor.username) if event.actor else ""


class PaperOut(Schema):
    name: str
    kind: str = Field(description="original, certified copy or copy, as the procedure lists it.")
    copies: int


class DossierDetail(DossierOut):
    result: str
    fee_collected: int = Field(description="Fee collected at the counter, in đồng.")
    allowed_transitions: list[int] = Field(description="The statuses the token's user may move the dossier to now.")
    papers: list[PaperOut] = Field(description="The papers received (thành phần hồ sơ).")
    events: list[EventOut]

    @staticmethod
    def resolve_papers(dossier) -> list:
        return dossier.api_papers

    @staticmethod
    def resolve_allowed_transitions(dossier) -> list[int]:
        return dossier.api_allowed_transitions

    @staticmethod
    def resolve_events(dossier) -> list:
        return dossier.api_events


class DossierPage(Schema):
    items: list[DossierOut]
    next_cursor: str | None = Field(description="Pass it as `cursor` for the next page; null on the last page.")


class DossierFilters(Schema):
    unit: Text(5) = Field("", description="GSO code of the unit.")
    status: StatusCode | None = Field(None, description="National status code (1-10).")
    procedure: Text(32) = Field("", description="National code of the procedure.")
    received_from: PortalDate | None = None
    received_to: PortalDate | None = None
    due_from: PortalDate | None = None
    due_to: PortalDate | None = None
    limit: int = Field(50, ge=1, le=200)
    cursor: Text(200) = ""


class ApplicantIn(Schema):
    name: Text(200, min_length=1)
    id_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{12}$")] = Field(description="CCCD, 12 digits.")
    phone: Text(15) = ""
    address: Text(300) = ""


class DossierIn(Schema):
    unit: Text(5) = Field("", description="GSO code of the unit; by default the unit of the token's user.")
    procedure: Text(32, min_length=1) = Field(description="National code of the procedure.")
    applicant: ApplicantIn
    channel: Literal[1, 2, 3] = 1
    received_at: PortalMoment | None = Field(None, description="With its offset; by default now.")
    is_test: bool = False
    from_district_backlog: bool = False
    source_system: Text(64) = Field("", description="Name of the system that holds the dossier.")
    source_number: Text(64) = Field(
        "", description="The dossier's number in that system: sending it again returns the same dossier (200)."
    )
    papers: list[Text(300, min_length=1)] = Field(
        [], max_length=100, description="Names of the papers handed in, as the procedure lists them."
    )


class TransitionIn(Schema):
    from_status: StatusCode = Field(description="The status the caller saw: the change is refused if it moved since.")
    to_status: StatusCode
    note: Text(2000) = ""
    result: Text(2000) = ""


def _local_day_start(day: dt.date) -> dt.datetime:
    return selectors.period_bounds(day, day)[0]


def _local_day_end(day: dt.date) -> dt.datetime:
    return selectors.period_bounds(day, day)[1]


def _cursor_dump(dossier: Dossier) -> str:
    return signing.dumps([dossier.received_at.isoformat(), dossier.pk], salt=CURSOR_SALT)


class BadCursor(ValueError):
    pass


def _cursor_load(cursor: str) -> tuple[dt.datetime, int]:
    """The position a cursor of ``_cursor_dump`` holds; :class:`BadCursor` for anything else (it is signed)."""
    try:
        received, pk = signing.loads(cursor, salt=CURSOR_SALT)
        moment = parse_datetime(received)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadCursor from None
    if moment is None or not isinstance(pk, int):
        raise BadCursor
    return moment, pk


def _bad_request(field: str, message: str):
    return Reply(400, {"detail": _("The request is not valid."), "errors": [{"field": field, "message": message}]})


@router.get("/dossiers", response={200: DossierPage, **READ_ERRORS}, summary="Dossiers, newest first")
def dossier_list(request, filters: Query[DossierFilters]):
    user = user_of(request)
    qs = Dossier.objects.visible_to(user).select_related("unit", "procedure")
    if filters.unit:
        qs = qs.filter(unit__code=filters.unit)
    if filters.status is not None:
        qs = qs.filter(status=str(filters.status))
    if filters.procedure:
        qs = qs.filter(procedure__code=filters.procedure)
    if filters.received_from:
        qs = qs.filter(received_at__gte=_local_day_start(filters.received_from))
    if filters.received_to:
        qs = qs.filter(received_at__lt=_local_day_end(filters.received_to))
    if filters.due_from:
        qs = qs.filter(due_at__gte=_local_day_start(filters.due_from))
    if filters.due_to:
        qs = qs.filter(due_at__lt=_local_day_end(filters.due_to))
    if filters.cursor:
        try:
            received_at, pk = _cursor_load(filters.cursor)
        except BadCursor:
            return _bad_request("cursor", _("This cursor is not one the API gave."))
        qs = qs.filter(Q(received_at__lt=received_at) | Q(received_at=received_at, pk__lt=pk))
    rows = list(qs.order_by("-received_at", "-pk")[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {"items": rows, "next_cursor": _cursor_dump(rows[-1]) if more else None}


def _detail(user, code: str) -> Dossier:
    try:
        dossier = selectors.dossier_detail(user=user, code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None
    return _detail_of(user, dossier)


def _detail_of(user, dossier: Dossier) -> Dossier:
    """The dossier with what its detail shows besides its fields: the caller's next statuses and the history."""
    allowed = dossier.allowed_targets() if permissions.can_move(user, dossier) and _works(user) else []
    dossier.api_allowed_transitions = [int(s) for s in allowed]
    dossier.api_events = list(selectors.dossier_timeline(dossier=dossier))
    dossier.api_papers = list(dossier.papers.order_by("position", "pk"))
    return dossier


def _works(user) -> bool:
    return user_has_role(user, frozenset(WORK_ROLES))


@router.get("/dossiers/{code}", response={200: DossierDetail, **READ_ERRORS}, summary="One dossier with its history")
def dossier_detail(request, code: Text(64)):
    return _detail(user_of(request), code)


@router.post(
    "/dossiers",
    response={201: DossierDetail, 200: DossierDetail, **WRITE_ERRORS},
    summary="Receive a dossier (idempotent by source number)",
    description=(
        "Through the same intake as the counter: the code and the due date come from the portal. With a "
        "`source_number`, sending the same dossier again returns it with 200 instead of creating another; the same "
        "number with another citizen or procedure is a 409."
    ),
)
def dossier_create(request, payload: DossierIn):
    user = user_of(request)
    require_roles(user, WORK_ROLES)
    units = Unit.objects.editable_by(user)
    if payload.unit:
        unit = units.filter(code=payload.unit).first()
        if unit is None:
            raise Http404
    elif user.unit_id and units.filter(pk=user.unit_id).exists():
        unit = user.unit
    else:
        return _bad_request("unit", _("Name the unit that receives the dossier."))
    procedure = Procedure.objects.filter(code=payload.procedure, is_active=True).first()
    if procedure is None:
        return _bad_request("procedure", _("No active procedure has this code."))
    listed = {paper.name: paper for paper in procedure.papers.all()}
    unknown = [name for name in payload.papers if name not in listed]
    if unknown:
        return _bad_request("papers", _("Not a paper of this procedure: %(names)s.") % {"names": "; ".join(unknown)})
    if payload.source_number and not payload.source_system:
        return _bad_request("source_system", _("Name the system the source number comes from."))
    token = uuid.uuid4()
    try:
        dossier = services.dossier_receive(
            unit=unit,
            procedure=procedure,
            applicant=services.Applicant(
                name=payload.applicant.name,
                id_number=payload.applicant.id_number,
                phone=payload.applicant.phone,
                address=payload.applicant.address,
            ),
            actor=user,
            channel=str(payload.channel),
            received_at=payload.received_at,
            is_test=payload.is_test,
            from_district_backlog=payload.from_district_backlog,
            intake_token=token,
            source_system=payload.source_system,
            source_number=payload.source_number,
            papers=[listed[name] for name in dict.fromkeys(payload.papers)],
        )
    except services.SourceNumberUsed as exc:
        raise Conflict(str(exc)) from None
    created = dossier.intake_token == token
    return Reply(201 if created else 200, _detail(user, dossier.code))


@router.post(
    "/dossiers/{code}/transitions",
    response={200: DossierDetail, **WRITE_ERRORS},
    summary="Move a dossier to another status",
    description=(
        "Through the same status change as the counter. `from_status` is the status the caller saw: if the dossier "
        "has moved since, nothing changes and the answer is 409; so is a change the workflow does not allow (the "
        "message says why)."
    ),
)
def dossier_transition(request, code: Text(64), payload: TransitionIn):
    user = user_of(request)
    require_roles(user, WORK_ROLES)
    if str(payload.to_status) not in Status.values:
        return _bad_request("to_status", _("The portal has no dossier status with this code."))
    dossier = Dossier.objects.editable_by(user).filter(code=code).first()
    if dossier is None:
        raise Http404
    # The service checks the status the caller saw on the locked row, as it does for the clerk's page.
    services.dossier_transition(
        dossier=dossier,
        to=str(payload.to_status),
        actor=user,
        note=payload.note,
        result=payload.result,
        expected_status=str(payload.from_status),
    )
    return _detail(user, code)
