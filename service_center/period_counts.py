"""The counts per unit behind 06a and the Decision 766 indicators of a period, in one pass over the dossiers.

The 06a columns and the indicators' numerators and denominators are each a ``COUNT(*) FILTER (…)`` over the same
rows (the dossiers received before the end of the period). Written as one aggregate per column, PostgreSQL
evaluates every column's predicate on every row again (the dates in Vietnam time, the bounds of the period), and
the indicators took a second pass of their own. Here each row's few facts are worked out once, in a subquery
(received in the period? closed before, in or after it? finished in it, and early, on time or late? overdue at its
end? returned in it?), and the columns count those facts. The facts are the same predicates as
``selectors.dossier_statistics``'s ORM aggregate (still used for the groupings by field and procedure) and
``indicators.indicators_of_period``; ``tests/test_period_counts.py`` compares them on random data.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from pilot_portal.core.collation import POSTGRESQL_COLLATION, SQLITE_COLLATION
from units.models import Unit

from .models import FINISHED_STATUSES, Channel, Dossier, Status

#: The 06a columns (``selectors.STAT_FIELDS``) and the indicators' counts (``indicators._COUNTED``), each
#: counted over the facts of the subquery (``p_new``: received in the period; ``p_closed``: 0 open, 1 closed before
#: the period, 2 in it, 3 after it; ``p_finished``: done or returned in the period; ``p_vs_due``: below, at or above 0
#: when the day closed is before, on or after the day due; ``p_overdue``: due before the end (or now) and not
#: awaiting a supplement; ``p_returned``: returned, its result handed over in the period).
COUNTS = {
    "carried_over": "NOT p_new AND p_closed <> 1",
    "received_new": "p_new",
    "direct": f"p_new AND channel = '{Channel.DIRECT.value}'",
    "online": f"p_new AND channel = '{Channel.ONLINE.value}'",
    "post": f"p_new AND channel = '{Channel.POST.value}'",
    "finished_early": "p_finished AND p_vs_due < 0",
    "finished_on_time": "p_finished AND p_vs_due = 0",
    "finished_late": "p_finished AND p_vs_due > 0",
    "open_in_time": "p_closed IN (0, 3) AND NOT p_overdue",
    "open_overdue": "p_closed IN (0, 3) AND p_overdue",
    "refused": f"p_closed = 2 AND status = '{Status.REFUSED.value}'",
    "withdrawn": f"p_closed = 2 AND status = '{Status.WITHDRAWN.value}'",
    "stopped": f"p_closed = 2 AND status = '{Status.STOPPED.value}'",
    # The indicators (Decision 766).
    "finished": "p_finished",
    "finished_in_time": "p_finished AND p_vs_due <= 0",
    "received": "p_new",
    "papers_digitized": "p_new AND papers_digitized",
    "returned": "p_returned",
    "results_digitized": "p_returned AND result_digitized",
}


FACT_COLUMNS = ("unit_id", "status", "channel", "papers_digitized", "result_digitized", "p_new", "p_closed")
FACT_COLUMNS += ("p_finished", "p_vs_due", "p_overdue", "p_returned")


def _days_after_due():
    """The day the dossier was closed against the day it was due, in Vietnam time: below 0 early, 0 on the day,
    above 0 late (NULL while open). PostgreSQL subtracts the two dates once; elsewhere a CASE gives -1, 0 or 1."""
    closed, due = F("closed_at__date"), F("due_at__date")
    if connection.vendor == "postgresql":
        return Func(closed, due, template="(%(expressions)s)", arg_joiner=" - ", output_field=IntegerField())
    return Case(
        When(closed_at__date__lt=due, then=Value(-1)),
        When(closed_at__date=due, then=Value(0)),
        When(closed_at__date__gt=due, then=Value(1)),
        output_field=IntegerField(),
    )


def _facts(dossiers: QuerySet[Dossier], begin: dt.datetime, finish: dt.datetime, overdue_before: dt.datetime):
    finished = Q(status__in=FINISHED_STATUSES, closed_at__gte=begin, closed_at__lt=finish)
    return (
        dossiers.alias(returned_then=Coalesce("returned_at", "closed_at"))
        .annotate(
            p_new=ExpressionWrapper(Q(received_at__gte=begin), output_field=BooleanField()),
            p_closed=Case(
                When(closed_at__isnull=True, then=Value(0)),
                When(closed_at__lt=begin, then=Value(1)),
                When(closed_at__lt=finish, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
            p_finished=ExpressionWrapper(finished, output_field=BooleanField()),
            p_vs_due=_days_after_due(),
            p_overdue=ExpressionWrapper(
                Q(due_at__lt=overdue_before) & ~Q(status=Status.SUPPLEMENT), output_field=BooleanField()
            ),
            p_returned=ExpressionWrapper(
                Q(status=Status.RETURNED, returned_then__gte=begin, returned_then__lt=finish),
                output_field=BooleanField(),
            ),
        )
        .values(*FACT_COLUMNS)
        .order_by()
    )


def unit_period_counts(
    dossiers: QuerySet[Dossier], *, begin: dt.datetime, finish: dt.datetime, overdue_before: dt.datetime
) -> list[dict]:
    """One dict per unit with a dossier in ``dossiers`` received before ``finish``: ``unit_id``, ``unit_name`` and
    every name of ``COUNTS``, in Vietnamese order of the unit names; one query.

    ``dossiers`` is already scoped to the user (and narrowed to a unit if asked); ``overdue_before`` is the end of
    the period, or now when the period is not over (a dossier due later is not overdue yet).
    """
    facts = _facts(dossiers.filter(received_at__lt=finish), begin, finish, overdue_before)
    inner, params = facts.query.sql_with_params()
    postgresql = connection.vendor == "postgresql"
    # OFFSET 0 keeps PostgreSQL from pulling the subquery up (and working out each fact once per column again).
    fence = " OFFSET 0" if postgresql else ""
    collation = POSTGRESQL_COLLATION if postgresql else SQLITE_COLLATION
    qn = connection.ops.quote_name
    counts = ", ".join(f"COUNT(*) FILTER (WHERE {condition}) AS {qn(name)}" for name, condition in COUNTS.items())
    sql = (
        f"SELECT u.{qn('id')}, u.{qn('name')}, a.* FROM ("
        f"SELECT facts.unit_id AS p_unit_id, {counts} FROM ({inner}{fence}) facts GROUP BY facts.unit_id"
        f") a JOIN {qn(Unit._meta.db_table)} u ON u.{qn('id')} = a.p_unit_id "
        f"ORDER BY u.{qn('name')} COLLATE {qn(collation)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    result = []
    for values in rows:
        row = dict(zip(names[3:], values[3:], strict=True))
        row["unit_id"], row["unit_name"] = values[0], values[1]
        result.append(row)
    return result
