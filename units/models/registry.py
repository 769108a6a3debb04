"""The national registry: provinces, the new commune-level units and their pre-2025 predecessors."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilot_portal.accounts.scoping import ScopedQuerySet
from pilot_portal.core.text import Fold, fold


class ProvinceQuerySet(ScopedQuerySet):
    province_path = ""


class Province(models.Model):
    """One of the 34 provincial units (Resolution 202/2025/QH15)."""

    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("Province")
        CITY = "thanh_pho", _("Centrally-run city")

    code = models.CharField(_("GSO code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(ScopedQuerySet):
    unit_path = ""

    def search(self, query: str):
        folded = fold(query)
        if not folded:
            return self
        qs = self
        for word in folded.split():
            qs = qs.filter(search_text__contains=word)
        return qs


class Unit(models.Model):
    """A new commune-level unit (xã, phường, đặc khu) in force from 1/7/2025."""

    class Kind(models.TextChoices):
        COMMUNE = "xa", _("Commune")
        WARD = "phuong", _("Ward")
        SPECIAL_ZONE = "dac_khu", _("Special zone")

    code = models.CharField(_("GSO code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    province = models.ForeignKey(Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="units")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=9, decimal_places=2, null=True, blank=True)
    headquarters = models.ForeignKey(
        "LegacyUnit",
        verbose_name=_("headquarters"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The predecessor whose office became the unit's main headquarters."),
    )
    headquarters_address = models.CharField(_("headquarters address"), max_length=255, blank=True)
    #: The unit directory (danh bạ), kept by the province's staff and the unit's officials with a history
    #: (``units.directory.unit_directory_update``); never overwritten by a re-import.
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    ubnd_chair = models.CharField(_("chair of the People's Committee"), max_length=200, blank=True)
    hdnd_chair = models.CharField(_("chair of the People's Council"), max_length=200, blank=True)
    agency_code = models.CharField(
        _("agency code"),
        max_length=32,
        blank=True,
        help_text=_("Prefix of dossier codes, as registered with the national portal (e.g. H56.14)."),
    )
    #: Lower-case name without diacritics, for searching ("le dai hanh"): computed by the database from the
    #: name on every write, whoever writes. On PostgreSQL a trigram index serves ``contains`` (migration 0007;
    #: not in Meta.indexes, see ``AddIndexOnPostgres``).
    search_text = models.GeneratedField(
        expression=Fold("name"), output_field=models.CharField(max_length=255), db_persist=True, db_index=True
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["province__code", "name"]
        verbose_name = _("commune-level unit")
        verbose_name_plural = _("commune-level units")
        indexes = [models.Index(fields=["province", "kind"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("units:detail", args=[self.code])


class LegacyUnit(models.Model):
    """A pre-2025 commune-level unit, with its district and province as they were."""

    key = models.CharField(_("key"), max_length=200, unique=True, help_text=_("province_district_ward key"))
    code = models.CharField(_("GSO code"), max_length=5, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, blank=True)
    district_code = models.CharField(_("district code"), max_length=3)
    district_name = models.CharField(_("district"), max_length=100)
    province_code = models.CharField(_("old province code"), max_length=2)
    province_name = models.CharField(_("old province"), max_length=100)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    successors = models.ManyToManyField(
        Unit, through="Succession", related_name="predecessors", verbose_name=_("successors")
    )

    class Meta:
        ordering = ["province_code", "district_code", "code"]
        verbose_name = _("predecessor unit")
        verbose_name_plural = _("predecessor units")

    def __str__(self) -> str:
        label = self.name or self.district_name
        return f"{label}, {self.district_name}, {self.province_name}" if self.name else f"{label}, {self.province_name}"


class Succession(models.Model):
    """A predecessor merged (wholly or in part) into a new unit."""

    legacy_unit = models.ForeignKey(
        LegacyUnit, verbose_name=_("predecessor"), on_delete=models.CASCADE, related_name="successions"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("new unit"), on_delete=models.CASCADE, related_name="successions")
    is_whole = models.BooleanField(
        _("whole"), default=True, help_text=_("False when the predecessor was split between several new units.")
    )
    is_default = models.BooleanField(
        _("main successor"),
        default=True,
        help_text=_("For a split predecessor, the new unit that took most of it."),
    )

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [models.UniqueConstraint(fields=["legacy_unit", "unit"], name="unique_succession")]

    def __str__(self) -> str:
        return f"{self.legacy_unit} → {self.unit}"


class UnitDirectoryChangeQuerySet(ScopedQuerySet):
    unit_path = "unit"


class UnitDirectoryChange(models.Model):
    """One change to a unit's directory entry (address, phone, chairs): only ever added to."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="directory_changes")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(_("what"), max_length=100)
    old_value = models.CharField(_("before"), max_length=255, blank=True)
    new_value = models.CharField(_("after"), max_length=255, blank=True)

    objects = UnitDirectoryChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("directory change")
        verbose_name_plural = _("directory changes")

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.field}"
