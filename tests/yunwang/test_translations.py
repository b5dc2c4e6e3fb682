"""The zh-Hans catalogues: each app's compiled .mo carries its JSON table, and the apps agree on shared strings.

Django merges the apps' catalogues into one, the first app in INSTALLED_APPS winning, so two translations of the
same English string would silently show only one of them.
"""

from __future__ import annotations

import gettext
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("inventory", "dashboards")


def table(app: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((ROOT / app / "locale" / "zh_Hans.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("app", APPS)
def test_compiled_catalogue_carries_the_table(app: str) -> None:
    with (ROOT / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = {msgid: zh for msgid, zh in table(app).items() if catalogue.gettext(msgid) != zh}
    assert stale == {}, f"run fill_po and compilemessages for {app} (README, Translations)"


def test_apps_translate_shared_strings_alike() -> None:
    tables = {app: table(app) for app in APPS}
    shared = set.intersection(*(set(t) for t in tables.values()))
    assert shared  # the check means something: the apps do share strings ("area", "status", ...)
    differ = {
        msgid: [tables[app][msgid] for app in APPS] for msgid in shared if len({t[msgid] for t in tables.values()}) > 1
    }
    assert differ == {}
