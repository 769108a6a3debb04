"""The unit directory (danh bạ): headquarters address, phone, the chairs of the People's Committee and of the
People's Council. The province's staff and the unit's officials keep it; every change is kept in a history."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilot_portal.accounts.models import Role
from pilot_portal.core.workflow import DomainError

from .models import Unit, UnitDirectoryChange

#: The directory's fields, in the order the page shows them.
DIRECTORY_FIELDS = ("headquarters_address", "phone", "ubnd_chair", "hdnd_chair")
PHONE_RE = re.compile(r"\+?[0-9][0-9 .()-]{6,18}[0-9]")


class DirectoryError(DomainError):
    """A directory entry the service refuses; the message is shown to the user."""


def can_edit_directory(user, unit: Unit) -> bool:
    if user.is_superuser:
        return True
    if user.role == Role.PROVINCE_STAFF:
        return user.province_id == unit.province_id
    return user.role == Role.UNIT_OFFICIAL and user.unit_id == unit.pk


@transaction.atomic
def unit_directory_update(*, unit: Unit, actor, data: dict[str, str]) -> list[UnitDirectoryChange]:
    """Write the directory fields named in ``data`` (others are not touched) on the locked row, one history row per
    value changed; returns them (none when nothing changed)."""
    if not can_edit_directory(actor, unit):
        raise DirectoryError(_("Only the province's staff and the unit's officials keep its directory entry."))
    unknown = set(data) - set(DIRECTORY_FIELDS)
    if unknown:
        raise DirectoryError(_("These are not fields of the directory: %(fields)s.") % {"fields": ", ".join(unknown)})
    values = {name: " ".join(str(value).split()) for name, value in data.items()}
    if values.get("phone") and not PHONE_RE.fullmatch(values["phone"]):
        raise DirectoryError(_("Write the phone number with its area code, e.g. 0225 3842 123."))
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    now = timezone.now()
    changes = []
    for name in DIRECTORY_FIELDS:
        if name not in values or getattr(locked, name) == values[name]:
            continue
        field = Unit._meta.get_field(name)
        if len(values[name]) > field.max_length:
            raise DirectoryError(
                _("%(field)s: at most %(max)s characters.") % {"field": field.verbose_name, "max": field.max_length}
            )
        changes.append(
            UnitDirectoryChange(
                unit=locked,
                at=now,
                actor=actor,
                field=str(field.verbose_name),
                old_value=getattr(locked, name),
                new_value=values[name],
            )
        )
        setattr(locked, name, values[name])
    if changes:
        locked.save(update_fields=[name for name in DIRECTORY_FIELDS if name in values])
        UnitDirectoryChange.objects.bulk_create(changes)
        for name in DIRECTORY_FIELDS:
            setattr(unit, name, getattr(locked, name))
    return changes
