"""Small builders for inventory rows used across tests (plain functions, no factory library)."""

from __future__ import annotations

from typing import Any

from inventory import models as m


def area_chain(*codes_and_names: tuple[str, str]) -> list[m.Area]:
    """Create areas top-down; each one's parent is the previous."""
    areas: list[m.Area] = []
    for code, name in codes_and_names:
        area = m.Area(code=code, name=name, parent=areas[-1] if areas else None)
        area.full_clean()
        area.save()
        areas.append(area)
    return areas


def kaifu_areas() -> dict[str, m.Area]:
    province, city, county, street = area_chain(
        ("430000000000", "湖南省"),
        ("430100000000", "长沙市"),
        ("430105000000", "开福区"),
        ("430105001000", "芙蓉北路街道"),
    )
    return {"province": province, "city": city, "county": county, "street": street}


def device(name: str, site: m.Site, **fields: Any) -> m.Device:
    role, _ = m.DeviceRole.objects.get_or_create(slug=fields.pop("role_slug", "access"), defaults={"name": "access"})
    fields.setdefault("management_ip", "127.20.0.1")
    return m.Device.objects.create(name=name, site=site, role=role, **fields)
