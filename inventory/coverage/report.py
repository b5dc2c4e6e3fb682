"""The planners' report behind `manage.py coverage`: every figure for one area, as JSON-able data or a text table."""

from __future__ import annotations

import dataclasses
import datetime
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone

from inventory.coverage.areas import (
    ACCESS_MODES,
    VARIANTS,
    CoverageResult,
    coverage_by_child,
    coverage_matrix,
    excluded_areas,
    village_split,
)
from inventory.coverage.organisations import access_units, department_connection_rate, vpn_account_stats
from inventory.migration import exemptions, migration_by_department, migration_rate, new_systems_on_cloud_share
from inventory.models import Area
from inventory.models.areas import LEVEL_ORDER, level_of

CHILD_OF = {"province": "city", "city": "county", "county": "township", "township": "village"}


def default_area() -> str | None:
    """The smallest area that holds the whole table: descend from the top while a level has exactly one area."""
    chosen = None
    for level in ("province", "city", "county"):
        codes = list(Area.objects.filter(level=level).values_list("code", flat=True)[:2])
        if len(codes) != 1:
            break
        chosen = codes[0]
    return chosen


def _child_tables(area_code: str, variants: Sequence[str], now: datetime.datetime) -> list[dict[str, Any]]:
    """Per-child rows (per county of a city, per township of a county) at every level below the child."""
    child = CHILD_OF.get(level_of(area_code))
    if child is None:
        return []
    deeper = [lvl for lvl in LEVEL_ORDER if LEVEL_ORDER.index(lvl) >= LEVEL_ORDER.index(child)]
    tables = []
    for level in deeper:
        for variant in variants:
            rows = coverage_by_child(area_code, child_level=child, level=level, variant=variant, now=now)
            data = [dataclasses.asdict(r) for r in rows]
            tables.append({"child_level": child, "level": level, "variant": variant, "rows": data})
    return tables


def build_report(area_code: str, *, variants: Sequence[str] = VARIANTS, now: datetime.datetime | None = None) -> dict:
    """Everything a planner reports for `area_code`, as plain data (the `--json` output)."""
    now = now or timezone.now()
    area = Area.objects.filter(code=area_code).values("code", "name", "level").first()
    if area is None:
        raise ValueError(f"no area with code {area_code}")
    matrix = [r for r in coverage_matrix(area_code, now=now) if r.variant in variants]
    return {
        "area": area,
        "generated_at": now.isoformat(),
        "online_window_hours": settings.YUNWANG_ONLINE_WINDOW_HOURS,
        "coverage": [_coverage_dict(r) for r in matrix],
        "by_child": _child_tables(area_code, variants, now),
        "village_split": {v: [dataclasses.asdict(r) for r in village_split(area_code, v, now=now)] for v in variants}
        if level_of(area_code) != "village"
        else {},
        "excluded_areas": [dataclasses.asdict(e) for e in excluded_areas(area_code)],
        "access_units": [dataclasses.asdict(u) for u in access_units(area_code, now=now)],
        "department_connection_rate": dataclasses.asdict(department_connection_rate(now=now)),
        "vpn_accounts": _json_safe(dataclasses.asdict(vpn_account_stats(area_code, now=now))),
        "migration": {
            "overall": dataclasses.asdict(migration_rate()),
            "new_systems_on_cloud": dataclasses.asdict(new_systems_on_cloud_share()),
            "by_department": [dataclasses.asdict(r) for r in migration_by_department()],
            "exemptions": [dataclasses.asdict(e) for e in exemptions()],
        },
    }


def _coverage_dict(result: CoverageResult) -> dict[str, Any]:
    data = dataclasses.asdict(result)
    data.pop("uncovered")
    data["full"] = result.full
    return data


def _json_safe(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime.datetime) else v for k, v in data.items()}


# --- text rendering ---------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    """Display width: CJK characters take two terminal columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [["—" if c is None else str(c) for c in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def pct(covered: int, total: int, ratio: float | None) -> str:
    return f"{covered}/{total} (—)" if ratio is None else f"{covered}/{total} ({ratio:.1%})"


def _coverage_section(report: dict) -> str:
    present = {r["variant"] for r in report["coverage"]}
    cols = [(v, m) for v in VARIANTS for m in (None, *ACCESS_MODES) if v in present]
    cell = {(r["level"], r["variant"], r["access_mode"]): r for r in report["coverage"]}
    levels = sorted({r["level"] for r in report["coverage"]}, key=LEVEL_ORDER.index)
    headers = ["level", *[f"{v}{'' if m is None else ' ' + m}" for v, m in cols], "全覆盖"]
    rows = []
    for level in levels:
        parts = [cell[(level, v, m)] for v, m in cols]
        rows.append([level, *[pct(p["covered"], p["total"], p["ratio"]) for p in parts], _yes(parts[0]["full"])])
    return table(headers, rows)


def _yes(flag: bool | None) -> str:
    return "—" if flag is None else "yes" if flag else "no"


def render_text(report: dict) -> str:
    area = report["area"]
    out = [
        f"Coverage of {area['name']} ({area['code']}, {area['level']}) at {report['generated_at']}",
        f"online = up within the last {report['online_window_hours']} h",
        "",
        _coverage_section(report),
    ]
    out += _render_children(report["by_child"])
    for variant, rows in report["village_split"].items():
        out += ["", f"village vs community ({variant})"]
        out.append(table(["kind", "covered"], [[r["kind"], pct(r["covered"], r["total"], r["ratio"])] for r in rows]))
    out += _render_rest(report)
    return "\n".join(out) + "\n"


def _render_children(tables: list[dict[str, Any]]) -> list[str]:
    """One table per child level: a row per child, a column per (level, variant); 全覆盖 marks 100%."""
    if not tables:
        return []
    first = tables[0]["rows"]
    headers = ["code", "name", *[f"{t['level']} {t['variant']}" for t in tables], "excluded"]
    rows = []
    for i, child in enumerate(first):
        cells = []
        for t in tables:
            r = t["rows"][i]
            cells.append(pct(r["covered"], r["total"], r["ratio"]) + (" 全" if r["full"] else ""))
        rows.append([child["code"], child["name"], *cells, child["exclusion"]])
    title = f"coverage per {tables[0]['child_level']} (全 = 全覆盖, 100%)"
    return ["", title, table(headers, rows)]


def _render_rest(report: dict) -> list[str]:
    out = []
    if report["excluded_areas"]:
        out += ["", "excluded from denominators"]
        rows = [[e["code"], e["name"], e["exclusion"], e["reason"]] for e in report["excluded_areas"]]
        out.append(table(["code", "name", "exclusion", "reason"], rows))
    out += ["", "access units (connected sites)"]
    out.append(table(["level", "kind", "count"], [[u["level"], u["kind"], u["count"]] for u in report["access_units"]]))
    d, v = report["department_connection_rate"], report["vpn_accounts"]
    out += ["", f"department connection rate: {pct(d['connected'], d['total'], d['ratio'])}"]
    if d["missing"]:
        out.append("  not connected: " + "、".join(d["missing"]))
    out.append(
        f"VPN accounts: {v['registered']} registered, {v['active_30d']} active in 30 days, "
        f"{v['online_now']} online now, peak {v['peak_online']} in the last 24 h"
    )
    m = report["migration"]
    o, n = m["overall"], m["new_systems_on_cloud"]
    out += ["", f"上云率: {pct(o['migrated'], o['should_migrate'], o['ratio'])}, {o['exempt']} exempt"]
    out.append(f"new systems on the cloud: {pct(n['on_cloud'], n['total'], n['ratio'])}")
    rows = [[r["name"], pct(r["migrated"], r["should_migrate"], r["ratio"]), r["exempt"]] for r in m["by_department"]]
    out.append(table(["department", "migrated", "exempt"], rows))
    if m["exemptions"]:
        out += ["", "exemptions (应上尽上 exceptions on record)"]
        rows = [[e["department"], e["system"], e["reason_label"] or "(unrecorded)", e["note"]] for e in m["exemptions"]]
        out.append(table(["department", "system", "reason", "record"], rows))
    return out
