"""manage.py coverage: readable tables by default, JSON that parses with --json."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.inventory.coverage_tree import CITY, Tree, build_systems, build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> Tree:
    t = build_tree()
    build_systems(t.d1, t.d2)
    return t


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("coverage", *args, stdout=out)
    return out.getvalue()


def test_json_parses_and_carries_the_figures(tree: Tree) -> None:
    report = json.loads(run("--area", CITY, "--json"))
    assert report["area"]["name"] == "长沙市"
    cells = {(c["level"], c["variant"], c["access_mode"]): (c["covered"], c["total"]) for c in report["coverage"]}
    assert cells[("township", "registered", None)] == (3, 5)
    assert cells[("village", "online", "vpn")] == (1, 5)
    per_county = next(t for t in report["by_child"] if t["level"] == "township" and t["variant"] == "registered")
    assert [r["code"] for r in per_county["rows"]] == ["430102000000", "430104000000", "430105000000"]
    assert report["migration"]["overall"] == {"migrated": 2, "should_migrate": 4, "ratio": 0.5, "exempt": 2}
    assert [e["system"] for e in report["migration"]["exemptions"]] == ["sys3", "sys4"]


def test_default_area_is_the_single_city(tree: Tree) -> None:
    report = json.loads(run("--json", "--variant", "online"))
    assert report["area"]["code"] == CITY
    assert {c["variant"] for c in report["coverage"]} == {"online"}


def test_text_table(tree: Tree) -> None:
    text = run("--area", CITY)
    assert "coverage per county" in text
    assert "3/5 (60.0%)" in text
    assert "1/1 (100.0%) 全" in text  # county B itself is covered: 全覆盖 at county level
    assert "上云率: 2/4 (50.0%), 2 exempt" in text
    assert "省垂管 2021-7号" in text
    # CJK names are padded by display width, so columns after them line up.
    lines = [line for line in text.splitlines() if line.startswith(("430102000000", "430105000000"))]
    assert len({line.index(" 1/1") for line in lines[:2]}) == 1


def test_unknown_area_fails_cleanly(tree: Tree) -> None:
    with pytest.raises(CommandError):
        run("--area", "999900000000")
