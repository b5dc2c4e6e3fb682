"""Planner coverage page: offline map (with boundaries) or hierarchy treemap, drill-down, uncovered list, export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dashboards.roles import COVERAGE_ROLES, role_required
from dashboards.views.common import page, table_response
from dashboards.views.coverage_source import (
    MODES,
    VARIANTS,
    CoverageCell,
    coverage_cells,
    coverage_total,
    uncovered_units,
    unit_levels_below,
)
from inventory.models import Area, Site
from inventory.models.areas import level_of, parent_code_of, prefix_of

UNCOVERED_SHOWN = 300
SITES_ON_MAP = 5000


@dataclass(frozen=True)
class CoverageQuery:
    area: Area
    level: str
    variant: str
    mode: str

    def query_string(self, **override: str) -> str:
        values = {"area": self.area.code, "level": self.level, "variant": self.variant, "mode": self.mode}
        values.update(override)
        query = QueryDict(mutable=True)
        for key, value in values.items():
            if value:
                query[key] = value
        return query.urlencode()


def default_area() -> Area | None:
    """The top of the loaded tree, skipping levels with a single area (a district's data has one province/city)."""
    area = Area.objects.filter(parent__isnull=True).order_by("code").first()
    while area is not None:
        children = list(area.children.all()[:2])
        if len(children) != 1:
            return area
        area = children[0]
    return None


def parse_query(query: QueryDict) -> CoverageQuery:
    code = query.get("area", "")
    area = Area.objects.filter(code=code).first() if code else default_area()
    if area is None:
        raise Http404("No areas loaded yet: run import_areas.")
    levels = unit_levels_below(area.level)
    if not levels:  # a village: show the coverage of its township instead
        parent = Area.objects.filter(code=parent_code_of(area.code) or "").first()
        area = parent or area
        levels = unit_levels_below(area.level) or ["village"]
    level = query.get("level", "")
    variant = query.get("variant", "")
    mode = query.get("mode", "")
    return CoverageQuery(
        area=area,
        level=level if level in levels else levels[-1],
        variant=variant if variant in VARIANTS else "registered",
        mode=mode if mode in MODES else "",
    )


def covered_in_mode(cell: CoverageCell, mode: str) -> int:
    return {"dedicated": cell.dedicated, "vpn": cell.vpn}.get(mode, cell.covered)


def percent(covered: int, total: int) -> str:
    return f"{covered / total * 100:.1f}%" if total else "—"


def breadcrumb(area: Area) -> list[Area]:
    codes = []
    code: str | None = area.code
    while code:
        codes.append(code)
        code = parent_code_of(code)
    found = {a.code: a for a in Area.objects.filter(code__in=codes)}
    return [found[c] for c in reversed(codes) if c in found]


def chart_data(query: CoverageQuery, cells: list[CoverageCell]) -> dict[str, Any]:
    """What the page's script draws: one item per child area, boundaries if uploaded, sites with coordinates."""
    items = [
        {
            "code": c.code,
            "name": c.name,
            "value": c.total,
            "covered": covered_in_mode(c, query.mode),
            "total": c.total,
            "rate": (covered_in_mode(c, query.mode) / c.total) if c.total else None,
            "drill": level_of(c.code) != query.level,
        }
        for c in cells
    ]
    boundaries = dict(
        Area.objects.filter(code__in=[c.code for c in cells], boundary__isnull=False).values_list("code", "boundary")
    )
    features = []
    for code, boundary in boundaries.items():
        geometry = boundary.get("geometry", boundary) if isinstance(boundary, dict) else None
        if isinstance(geometry, dict) and geometry.get("type") in ("Polygon", "MultiPolygon"):
            features.append({"type": "Feature", "properties": {"name": code}, "geometry": geometry})
    sites = Site.objects.filter(
        area__code__startswith=prefix_of(query.area.code), latitude__isnull=False, longitude__isnull=False
    ).values_list("name", "longitude", "latitude", "access_mode")[:SITES_ON_MAP]
    return {
        "items": items,
        "geo": {"type": "FeatureCollection", "features": features} if features else None,
        "sites": [{"name": n, "value": [lon, lat], "mode": m} for n, lon, lat, m in sites],
        "tileUrl": settings.YUNWANG_MAP_TILE_URL,
        "labels": {"covered": _("covered"), "total": _("units"), "rate": _("coverage")},
    }


@require_GET
@role_required(*COVERAGE_ROLES)
def coverage_page(request: HttpRequest) -> HttpResponse:
    query = parse_query(request.GET)
    cells = coverage_cells(query.area.code, query.level, query.variant)
    uncovered = uncovered_units(query.area.code, query.variant, query.mode)
    total = coverage_total(query.area.code, query.level, query.variant)
    context = {
        "query": query,
        "crumbs": breadcrumb(query.area),
        "levels": unit_levels_below(query.area.level),
        "variants": VARIANTS,
        "total": total,
        "total_shown": covered_in_mode(total, query.mode),
        "total_percent": percent(covered_in_mode(total, query.mode), total.total),
        "rows": [(c, covered_in_mode(c, query.mode), percent(covered_in_mode(c, query.mode), c.total)) for c in cells],
        "chart": chart_data(query, cells),
        "uncovered": uncovered[:UNCOVERED_SHOWN],
        "uncovered_count": len(uncovered),
        "target": settings.YUNWANG_COVERAGE_TARGET,
    }
    return page(request, "dashboards/coverage.html", context, section="coverage")


@require_GET
@role_required(*COVERAGE_ROLES)
def coverage_export(request: HttpRequest) -> HttpResponse:
    query = parse_query(request.GET)
    fmt = request.GET.get("format", "csv")
    name = f"coverage-{query.area.code}-{query.level}-{query.variant}"
    if request.GET.get("table") == "uncovered":
        units = uncovered_units(query.area.code, query.variant, query.mode)
        headers = [_("division code"), _("name"), _("kind"), _("township / street")]
        return table_response(
            f"uncovered-{query.area.code}", headers, [(u.code, u.name, u.kind, u.township) for u in units], fmt
        )
    cells = coverage_cells(query.area.code, query.level, query.variant)
    headers = [
        _("division code"),
        _("name"),
        _("units"),
        _("covered"),
        _("coverage"),
        _("dedicated line"),
        _("VPN"),
    ]
    rows = [
        (c.code, c.name, c.total, c.covered, round(c.rate, 4) if c.rate is not None else None, c.dedicated, c.vpn)
        for c in cells
    ]
    return table_response(name, headers, rows, fmt, sheet="coverage")
