"""Resolving reference cells (area code, department, site, role, type, platform, credentials profile) to ids.

All lookups are loaded up front, one query per table, and refreshed after each kind is written so a file can
create a department on one sheet and use it on the next.
"""

from __future__ import annotations

from collections import defaultdict

from inventory.models import Area, CredentialProfile, Department, DeviceRole, DeviceType, Platform, Site


class AmbiguousError(ValueError):
    pass


class References:
    def __init__(self) -> None:
        self.areas: set[str] = set(Area.objects.values_list("code", flat=True))
        self.refresh_departments()
        self.refresh_sites()
        self.roles = _by_slug_or_name(DeviceRole.objects.values_list("pk", "slug", "name"))
        self.platforms = _by_slug_or_name(Platform.objects.values_list("pk", "slug", "name"))
        self.types = _by_slug_or_name(DeviceType.objects.values_list("pk", "slug", "model"))
        self.credentials = {name: pk for pk, name in CredentialProfile.objects.values_list("pk", "name")}

    def refresh_departments(self) -> None:
        self.departments = {name: pk for pk, name in Department.objects.values_list("pk", "name")}

    def refresh_sites(self) -> None:
        self.sites: dict[tuple[str, str], int] = {}
        self.sites_by_name: dict[str, list[int]] = defaultdict(list)
        for pk, area, name in Site.objects.values_list("pk", "area_id", "name"):
            self.sites[(area, name)] = pk
            self.sites_by_name[name].append(pk)

    def area(self, code: str) -> str:
        if code not in self.areas:
            raise ValueError("no such area loaded (run import_areas first)")
        return code

    def department(self, name: str) -> int:
        try:
            return self.departments[name]
        except KeyError:
            raise ValueError("unknown department (add it on the departments sheet or in admin)") from None

    def site(self, area: str | None, name: str) -> int:
        if area:
            if (area, name) not in self.sites:
                raise ValueError(f"no site named {name!r} in area {area}")
            return self.sites[(area, name)]
        matches = self.sites_by_name.get(name, [])
        if len(matches) != 1:
            raise ValueError("no such site" if not matches else "several sites have this name: give the area code")
        return matches[0]

    def credentials_profile(self, name: str) -> int:
        try:
            return self.credentials[name]
        except KeyError:
            raise ValueError("unknown credentials profile (create it in admin; secrets never go in a sheet)") from None


def lookup(table: dict[str, list[int]], value: str, what: str) -> int:
    matches = table.get(value.lower(), [])
    if not matches:
        raise ValueError(f"unknown {what}")
    if len(set(matches)) > 1:
        raise AmbiguousError(f"several {what}s match: use the slug")
    return matches[0]


def _by_slug_or_name(rows: object) -> dict[str, list[int]]:
    table: dict[str, list[int]] = defaultdict(list)
    for pk, slug, name in rows:  # type: ignore[attr-defined]
        table[slug.lower()].append(pk)
        if name.lower() != slug.lower():
            table[name.lower()].append(pk)
    return table
