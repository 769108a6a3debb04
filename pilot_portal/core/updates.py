"""Updating a model from a service: only the fields the service allows, and only those the caller named."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db import models


def model_update(instance: models.Model, *, fields: Collection[str], data: Mapping[str, Any]) -> list[str]:
    """Set on ``instance`` the values of ``data``, each of which must be one of ``fields`` (the service's allow-list:
    never the status or anything else the service sets itself). Returns the names of the fields whose value changed,
    for ``save(update_fields=...)`` and for the history. Nothing is saved here: the service checks its rules, then
    calls ``full_clean()`` and ``save()``.

    A name outside the allow-list is a programming error (``TypeError``), not a message for the user.
    """
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"{type(instance).__name__} cannot be updated with {', '.join(sorted(unknown))}")
    changed = []
    for name, value in data.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed
