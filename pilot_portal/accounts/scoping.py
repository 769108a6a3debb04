"""The one access-scoping mechanism.

Every scoped model's QuerySet derives from :class:`ScopedQuerySet` and names the lookup path from the model
to its commune-level unit (``unit_path``) or, for models that belong to a province only, to the province
(``province_path``). Views and selectors start from ``Model.objects.visible_to(user)``: an object outside the
result is a 404.
"""

from __future__ import annotations

from django.db import models

from .models import Role


def _join(*parts: str) -> str:
    return "__".join(p for p in parts if p)


class ScopedQuerySet(models.QuerySet):
    #: Lookup path from this model to its ``units.Unit`` ("" when the model is the unit). ``None`` when the
    #: model belongs to a province, not a unit.
    unit_path: str | None = None
    #: Lookup path from this model to its ``units.Province`` ("" when the model is the province). Derived from
    #: ``unit_path`` when not set.
    province_path: str | None = None

    def _province_lookup(self) -> str:
        if self.province_path is not None:
            return "pk" if self.province_path == "" else _join(self.province_path, "id")
        return _join(self.unit_path, "province_id")

    def _unit_lookup(self) -> str | None:
        if self.unit_path is None:
            return None
        return "pk" if self.unit_path == "" else _join(self.unit_path, "id")

    def _scope(self, user) -> models.QuerySet:
        if user.is_province_staff:
            return self.filter(**{self._province_lookup(): user.province_id})
        if user.is_unit_user:
            unit_lookup = self._unit_lookup()
            if unit_lookup is None:
                # A province-level object: a unit's users see their own province's.
                return self.filter(**{self._province_lookup(): user.unit.province_id})
            return self.filter(**{unit_lookup: user.unit_id})
        return self.none()

    def visible_to(self, user) -> models.QuerySet:
        """What ``user`` may see: everything for superusers and national viewers, else their scope."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser or user.role == Role.NATIONAL_VIEWER:
            return self.all()
        return self._scope(user)

    def editable_by(self, user) -> models.QuerySet:
        """What ``user`` may change: national viewers are read-only, and a province's own objects (campaign,
        milestones, waves) are changed by its staff only, not by the users of its units. Which role may change
        what inside that scope is the view's ``role_required``."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.is_unit_user and self._unit_lookup() is None:
            return self.none()
        return self._scope(user)
