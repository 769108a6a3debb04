"""Hooks for other apps: the service centre sends them and imports none of their receivers.

``dossier_status_changed`` is sent once per status change of a dossier (its receipt included), after the
transaction that wrote it has committed, with ``dossier_id``, ``from_status`` ("" for the receipt), ``to_status``
and ``at``. Receivers run in the request that changed the status: they must be quick (queue a task) and a failing
receiver is logged, never shown to the clerk (``send_robust``).
"""

from django.dispatch import Signal

dossier_status_changed = Signal()
