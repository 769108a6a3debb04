"""Who may do what with a dossier: one rule per line. Views check them and pass them to templates as ``can_*``
flags (:func:`dossier_flags`); templates never test a status themselves. Scope (which dossiers a user sees) is
``Dossier.objects.visible_to`` / ``editable_by``; the services hold the same rules for every caller."""

from __future__ import annotations

from django.utils import timezone

from pilot_portal.accounts.models import Role

from .models import HANDOVER_STATUSES, Dossier, DossierEvent, Status

#: Who works on dossiers at the counter (the others read).
WORK_ROLES = (Role.WARD_CLERK, Role.UNIT_OFFICIAL)


def can_receive(user) -> bool:
    return user.is_unit_user


def can_work_on(user, dossier: Dossier) -> bool:
    return user.is_superuser or (user.is_unit_user and user.unit_id == dossier.unit_id)


def can_move(user, dossier: Dossier) -> bool:
    return can_work_on(user, dossier) and bool(dossier.allowed_targets())


def can_record_result(user, dossier: Dossier) -> bool:
    return can_work_on(user, dossier) and Status.DONE in dossier.allowed_targets()


def can_return_result(user, dossier: Dossier) -> bool:
    return can_work_on(user, dossier) and Status.RETURNED in dossier.allowed_targets()


def can_apologize(user, dossier: Dossier, now=None) -> bool:
    return can_work_on(user, dossier) and dossier.apology_possible(now or timezone.now())


def can_hand_over(user, dossier: Dossier) -> bool:
    return can_work_on(user, dossier) and dossier.status in HANDOVER_STATUSES


def dossier_flags(user, dossier: Dossier, now=None) -> dict[str, bool]:
    return {
        "can_work_on": can_work_on(user, dossier),
        "can_move": can_move(user, dossier),
        "can_record_result": can_record_result(user, dossier),
        "can_return_result": can_return_result(user, dossier),
        "can_apologize": can_apologize(user, dossier, now),
        "can_hand_over": can_hand_over(user, dossier),
    }


def printable_forms(dossier: Dossier, events) -> list[str]:
    """The forms the dossier's record supports: 01 and 05 always, 02 once a supplement was asked, 03 for a refused
    dossier, 04 after an apology (``events``: the dossier's history, already loaded)."""
    forms = ["01"]
    if any(e.kind == DossierEvent.Kind.TRANSITION and e.to_status == Status.SUPPLEMENT for e in events):
        forms.append("02")
    if dossier.status == Status.REFUSED:
        forms.append("03")
    if any(e.kind == DossierEvent.Kind.APOLOGY for e in events):
        forms.append("04")
    forms.append("05")
    return forms
