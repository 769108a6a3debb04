"""One way to change a status, for every model that has one (dossiers, sessions, pilot status, checklist items,
pilot issues).

A status is a ``TextChoices`` field plus a transition table ``{from: {to, ...}}``. :meth:`Workflow.transition`
locks the row, does nothing when it already has the status, refuses what the table does not allow with the app's
:class:`DomainError`, lets the caller check its own rules and set other fields on the locked row (``prepare``),
then saves the status and writes the append-only event row (when, who, from, to, note), all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DomainError(Exception):
    """A rule of the domain refused the change; the message is written for the user and shown as it is."""


class StatusEvent(models.Model):
    """The one shape of a status history row: when, who, from, to, note. Rows are only ever added.

    Subclasses add the object the row is about (its name in ``subject_field``) and usually redeclare
    ``from_status`` / ``to_status`` with their model's choices and ``actor`` with their own deletion rule.
    """

    subject_field = ""

    at = models.DateTimeField(gettext_lazy("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    from_status = models.CharField(gettext_lazy("from"), max_length=16, blank=True)
    to_status = models.CharField(gettext_lazy("to"), max_length=16, blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{getattr(self, self.subject_field)}: {self.from_status} → {self.to_status}"


def _refused_message(*, current_label: str, target_label: str, obj=None) -> str:
    return _("This cannot go from “%(from)s” to “%(to)s”.") % {"from": current_label, "to": target_label}


def _changed_message(*, current_label: str, obj=None) -> str:
    return _(
        "Someone else changed this meanwhile: it is now “%(current)s”. Nothing was saved; check and try again."
    ) % {"current": current_label}


@dataclass(frozen=True)
class Workflow:
    """The status workflow of one model: its transition table and where its events go."""

    model: type[models.Model]
    transitions: Mapping[str, Collection[str]]
    event_model: type[models.Model]
    #: Name of the event's foreign key to the object.
    subject: str
    #: The app's ``DomainError`` subclass, so that its views' ``except`` clauses keep catching it.
    error: type[DomainError] = DomainError
    #: ``f(current_label=..., target_label=..., obj=locked row) -> str``: the refusal the user reads.
    refused: Callable[..., str] = _refused_message
    #: ``f(current_label=..., obj=locked row) -> str``: the refusal of a change asked from a status the row no longer
    #: has (the user's page was stale: another user changed the row meanwhile).
    changed: Callable[..., str] = _changed_message
    status_field: str = "status"
    #: Related objects fetched with the locked row (``select_related``), for the ``prepare`` hooks.
    related: tuple[str, ...] = field(default=())

    def lock(self, obj: models.Model) -> models.Model:
        """The row again, locked until the end of the transaction (call inside ``transaction.atomic``)."""
        queryset = self.model._default_manager.select_for_update()
        if self.related:
            queryset = queryset.select_related(*self.related)
        return queryset.get(pk=obj.pk)

    def label(self, status: str) -> str:
        choices = dict(self.model._meta.get_field(self.status_field).flatchoices)
        return str(choices.get(status, status))

    def allows(self, current: str, to: str) -> bool:
        return to in self.transitions.get(current, ())

    def transition(
        self,
        obj: models.Model,
        *,
        to: str,
        actor,
        note: str = "",
        prepare: Callable[[Any, str], None] | None = None,
        event_fields: Mapping[str, Any] | None = None,
        expected: str | None = None,
    ) -> models.Model:
        """Move ``obj`` to ``to``; returns the locked, saved row (``obj`` gets the new status too).

        ``expected``: the status the user saw when they asked for the change (a hidden field of the form); when the
        locked row no longer has it, the change is refused with ``self.changed``, unless the row already has ``to``
        (the same change made twice stays a no-op).

        ``prepare(locked, current)`` runs only for a real change, after the table allowed it and before the save:
        it checks the model's other rules (raising ``self.error``) and sets the fields that go with the change. It
        runs after the row lock, so a time it reads is after any change that held the lock before; it may add to
        ``event_fields`` (a dict), which is read after it.
        """
        with transaction.atomic():
            locked = self.lock(obj)
            current = getattr(locked, self.status_field)
            if current == to:
                return locked
            if expected is not None and current != expected:
                raise self.error(self.changed(current_label=self.label(current), obj=locked))
            if not self.allows(current, to):
                raise self.error(
                    self.refused(current_label=self.label(current), target_label=self.label(to), obj=locked)
                )
            if prepare is not None:
                prepare(locked, current)
            setattr(locked, self.status_field, to)
            locked.full_clean()
            locked.save()
            self.record(locked, actor=actor, from_status=current, to_status=to, note=note, **(event_fields or {}))
        setattr(obj, self.status_field, to)
        return locked

    def record(self, obj: models.Model, *, actor, from_status: str = "", to_status: str = "", note: str = "", **extra):
        """Add one history row for ``obj`` (a status change, or a notable action when both statuses are equal)."""
        event = self.event_model(
            **{self.subject: obj}, actor=actor, from_status=from_status, to_status=to_status, note=note, **extra
        )
        event.full_clean(exclude=[self.subject, "actor"])
        event.save()
        return event
