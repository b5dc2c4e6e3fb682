"""Administrative areas on the national 12-digit statistical division code (统计用区划代码)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.changelog import Tracked

CODE_RE = re.compile(r"^\d{12}$")
# Significant digits per level: province 2 + city 2 + county 2 + township 3 + village 3.
PREFIX_LENGTH = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}
LEVEL_ORDER = ["province", "city", "county", "township", "village"]


class Level(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county / district")
    TOWNSHIP = "township", _("township / street")
    VILLAGE = "village", _("village / community")


class AreaKind(models.TextChoices):
    """Township- and village-level unit kinds, derived from the code ranges (DOMAIN.md)."""

    NONE = "", _("—")
    STREET = "street", _("street (街道)")
    TOWN = "town", _("town (镇)")
    TOWNSHIP = "township", _("township (乡)")
    COMMUNITY = "community", _("community (社区)")
    VILLAGE = "village", _("village (村)")
    SIMILAR = "similar", _("similar unit")


class Exclusion(models.TextChoices):
    NONE = "", _("counted")
    EXEMPT = "exempt", _("exempt")
    MERGED = "merged", _("merged")


def level_of(code: str) -> str:
    """The level a 12-digit code names: the last non-zero segment decides."""
    if not CODE_RE.match(code):
        raise ValueError(f"division code must be 12 digits, got {code!r}")
    for level in reversed(LEVEL_ORDER[1:]):
        start = PREFIX_LENGTH[LEVEL_ORDER[LEVEL_ORDER.index(level) - 1]]
        if code[start : PREFIX_LENGTH[level]].strip("0"):
            return level
    return "province"


def parent_code_of(code: str) -> str | None:
    level = level_of(code)
    if level == "province":
        return None
    # Climb to the nearest non-empty ancestor segment (a county directly under a province has city "90" etc.).
    keep = PREFIX_LENGTH[LEVEL_ORDER[LEVEL_ORDER.index(level) - 1]]
    return code[:keep].ljust(12, "0")


def prefix_of(code: str) -> str:
    """The code prefix that selects this area's whole subtree."""
    return code[: PREFIX_LENGTH[level_of(code)]]


def kind_of(code: str) -> str:
    level = level_of(code)
    if level == "township":
        n = int(code[6:9])
        return "street" if n < 100 else "town" if n < 200 else "township" if n < 400 else "similar"
    if level == "village":
        n = int(code[9:12])
        return "community" if n < 200 else "village" if n < 400 else "similar"
    return ""


class AreaQuerySet(models.QuerySet["Area"]):
    def subtree(self, code: str) -> AreaQuerySet:
        """The area and everything under it: a code-prefix query, no tree tables."""
        return self.filter(code__startswith=prefix_of(code))

    def counted(self) -> AreaQuerySet:
        """Areas that count in coverage denominators (not exempt, not merged)."""
        return self.filter(exclusion="")


class Area(Tracked):
    """An administrative unit: province, city, county, township or village, keyed by its division code."""

    code = models.CharField(_("division code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AreaKind.choices, blank=True, editable=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    exclusion = models.CharField(_("excluded from coverage"), max_length=10, choices=Exclusion.choices, blank=True)
    exclusion_reason = models.TextField(_("exclusion reason"), blank=True)
    centroid_lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    centroid_lon = models.FloatField(_("centroid longitude"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{12}$"), name="area_code_12_digits"),
            models.CheckConstraint(
                condition=models.Q(exclusion="") | ~models.Q(exclusion_reason=""), name="area_exclusion_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.level = level_of(self.code)
        self.kind = kind_of(self.code)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        if not CODE_RE.match(self.code or ""):
            raise ValidationError({"code": _("A division code is exactly 12 digits.")})
        expected_parent = parent_code_of(self.code)
        if expected_parent is None and self.parent_id:
            raise ValidationError({"parent": _("A province has no parent.")})
        if expected_parent is not None and self.parent_id != expected_parent:
            raise ValidationError(
                {
                    "parent": _("The parent of %(code)s must be %(parent)s.")
                    % {"code": self.code, "parent": expected_parent}
                }
            )
        if self.exclusion and not self.exclusion_reason.strip():
            raise ValidationError({"exclusion_reason": _("Say why this unit is exempt or merged.")})

    @property
    def prefix(self) -> str:
        return prefix_of(self.code)

    @property
    def county_code(self) -> str | None:
        return self.code[:6].ljust(12, "0") if self.level in ("county", "township", "village") else None
