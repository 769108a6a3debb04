"""Hooks for other apps: the service centre sends them and imports none of their receivers.

``dossier_status_changed`` is sent once per status change of a dossier (its receipt included), after the
transaction that wrote it has committed, with ``dossier_id``, ``from_status`` ("" for the receipt), ``to_status``
and ``at``. Receivers run in the request that changed the status: they must be quick (queue a task) and a failing
receiver is logged, never shown to the clerk (``send_robust``).
"""

import datetime as dt
import logging

from django.db import transaction
from django.dispatch import Signal

from .models import Dossier

logger = logging.getLogger(__name__)

dossier_status_changed = Signal()


def announce_status_change(*, dossier_id: int, from_status: str, to_status: str, at: dt.datetime) -> None:
    """After commit, tell the receivers of ``dossier_status_changed`` (the API's webhooks); a failing receiver is
    logged and never undoes or blocks the change."""

    def send() -> None:
        for receiver, outcome in dossier_status_changed.send_robust(
            sender=Dossier, dossier_id=dossier_id, from_status=from_status, to_status=to_status, at=at
        ):
            if isinstance(outcome, Exception):
                logger.error(
                    "dossier_status_changed receiver %r failed for dossier %s", receiver, dossier_id, exc_info=outcome
                )

    transaction.on_commit(send)
