"""Form 06a figures per unit and period, as the statistics page computes them."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status as Reply
from pydantic import Field

from service_center import selectors
from units.models import Unit

from ..auth import user_of
from ..schemas import READ_ERRORS, PortalDate, Text

router = Router(tags=["statistics"])


class Figures(Schema):
    unit_code: str = ""
    unit_name: str = ""
    carried_over: int
    received_new: int
    received: int
    direct: int
    online: int
    post: int
    finished_early: int
    finished_on_time: int
    finished_late: int
    finished: int
    open_in_time: int
    open_overdue: int
    still_open: int
    refused: int
    withdrawn: int
    stopped: int
    on_time_rate: float | None = Field(description="Percent finished early or on time, of those finished.")
    online_rate: float | None = Field(description="Percent received online, of those received in the period.")


class StatisticsOut(Schema):
    start: str
    end: str
    rows: list[Figures]
    total: Figures


class PeriodQuery(Schema):
    start: PortalDate
    end: PortalDate
    unit: Text(5) = Field("", description="GSO code of one unit; by default every unit the token may see.")


@router.get("/statistics/06a", response={200: StatisticsOut, **READ_ERRORS}, summary="Form 06a figures per unit")
def statistics(request, period: Query[PeriodQuery]):
    user = user_of(request)
    if period.end < period.start:
        return Reply(
            400,
            {
                "detail": _("The request is not valid."),
                "errors": [{"field": "end", "message": _("The end of the period is before its start.")}],
            },
        )
    unit_id = None
    if period.unit:
        unit_id = Unit.objects.visible_to(user).filter(code=period.unit).values_list("pk", flat=True).first()
        if unit_id is None:
            raise Http404
    rows = selectors.dossier_statistics(user=user, start=period.start, end=period.end, unit_id=unit_id)
    codes = dict(Unit.objects.filter(pk__in=[r.unit_id for r in rows]).values_list("pk", "code"))
    for row in rows:
        row.unit_code = codes[row.unit_id]
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "rows": rows,
        "total": selectors.statistics_total(rows),
    }
