"""Reads of the speeches: who may be invited to speak, the speeches of an item, the speeches the minutes list."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from pilot_portal.core.collation import Vietnamese

from .models import AgendaItem, Participant, Session, Speech


def speaker_choices(session: Session) -> QuerySet[Participant]:
    """Who may be invited to speak: the session's delegates or members first, then its guests, by Vietnamese name."""
    return Participant.objects.filter(session=session).order_by("-is_member", Vietnamese("name"), "pk")


def with_speeches(session: Session) -> Session:
    """Prefetch the speeches (with their speakers) of the session's prefetched agenda items: one query."""
    prefetch_related_objects(
        list(session.agenda_items.all()),
        Prefetch("speeches", queryset=Speech.objects.select_related("participant").order_by("started_at", "pk")),
    )
    return session


def speeches_of(item: AgendaItem | None) -> QuerySet[Speech]:
    """The speeches on ``item``, in order, with their speakers (one query)."""
    if item is None:
        return Speech.objects.none()
    return Speech.objects.filter(item=item).select_related("participant").order_by("started_at", "pk")
