"""Speeches on the running agenda item: who speaks (a participant of the session) and for how long."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AgendaItem, Participant, Session, Speech
from ._common import SessionError, _changed, _locked, _log, _require_status


def end_running_speeches(session: Session, at: dt.datetime, *, item: AgendaItem | None = None) -> int:
    """End the speech running in ``session`` (on ``item`` only, when given) at ``at``; inside the caller's
    transaction, on the locked session. Returns how many were ended."""
    running = Speech.objects.filter(item__session=session, ended_at__isnull=True)
    if item is not None:
        running = running.filter(item=item)
    return running.update(ended_at=at)


@transaction.atomic
def speech_start(*, item: AgendaItem, participant: Participant, actor) -> Speech:
    """Invite ``participant`` to speak on the running ``item``; the speech running on it ends at the same moment."""
    session = _locked(item.session)
    _require_status(
        session, {Session.Status.IN_PROGRESS}, _("Start the %(noun)s before inviting speakers.") % session.wording
    )
    item = AgendaItem.objects.select_for_update().get(pk=item.pk, session=session)
    if not item.is_running:
        raise SessionError(_("A speaker can only be invited on the item that is running."))
    if not Participant.objects.filter(pk=participant.pk, session=session).exists():
        raise SessionError(_("The speaker must be a participant of this %(noun)s.") % session.wording)
    current = Speech.objects.filter(item=item, ended_at__isnull=True).first()
    if current is not None and current.participant_id == participant.pk:
        # The same invitation sent twice (a double tap, a second tablet): the speech goes on.
        return current
    now = timezone.now()
    end_running_speeches(session, now, item=item)
    speech = Speech.objects.create(item=item, participant=participant, started_at=now)
    _log(session, actor, _("%(name)s speaks on item %(order)s.") % {"name": participant.name, "order": item.order})
    _changed(session)
    return speech


@transaction.atomic
def speech_stop(*, speech: Speech, actor) -> Speech:
    session = _locked(speech.item.session)
    _require_status(session, {Session.Status.IN_PROGRESS}, _("The %(noun)s is not in progress.") % session.wording)
    speech = Speech.objects.select_for_update().get(pk=speech.pk, item__session=session)
    if not speech.is_running:
        raise SessionError(_("This speech has already ended."))
    speech.ended_at = timezone.now()
    speech.save(update_fields=["ended_at"])
    _changed(session)
    return speech
