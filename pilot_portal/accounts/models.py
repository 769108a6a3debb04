"""Users carry their role and their scope (a province or a unit)."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE_STAFF = "province_staff", _("Province staff")
    UNIT_OFFICIAL = "unit_official", _("Unit official")
    WARD_CLERK = "ward_clerk", _("Ward clerk")
    NATIONAL_VIEWER = "national_viewer", _("National viewer")
    #: A delegate of the HĐND or a member of the UBND: reads the documents of their unit's published sessions,
    #: and nothing else.
    DELEGATE = "delegate", _("Delegate or member")


UNIT_ROLES = frozenset({Role.UNIT_OFFICIAL, Role.WARD_CLERK})


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    province = models.ForeignKey(
        "units.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Required for province staff."),
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("commune-level unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Required for unit officials and ward clerks."),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        if self.role == Role.PROVINCE_STAFF and not self.province_id:
            raise ValidationError({"province": _("Province staff must belong to a province.")})
        if self.role in UNIT_ROLES and not self.unit_id:
            raise ValidationError({"unit": _("Unit officials and ward clerks must belong to a unit.")})
        if self.role == Role.DELEGATE and not self.unit_id:
            raise ValidationError({"unit": _("A delegate belongs to the unit whose council or committee they sit on.")})
        if self.role in UNIT_ROLES and self.province_id and self.unit_id and self.unit.province_id != self.province_id:
            raise ValidationError({"province": _("The unit is not in this province.")})

    @property
    def is_national_viewer(self) -> bool:
        return self.role == Role.NATIONAL_VIEWER

    @property
    def is_province_staff(self) -> bool:
        return self.role == Role.PROVINCE_STAFF and self.province_id is not None

    @property
    def is_unit_user(self) -> bool:
        return self.role in UNIT_ROLES and self.unit_id is not None

    @property
    def is_delegate(self) -> bool:
        return self.role == Role.DELEGATE and self.unit_id is not None

    @property
    def has_portal_role(self) -> bool:
        """Whether the user may see anything in the portal beyond their own account."""
        return self.is_superuser or self.is_national_viewer or self.is_province_staff or self.is_unit_user
