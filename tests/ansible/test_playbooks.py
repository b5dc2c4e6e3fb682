"""Structural checks of the Ansible deployment: every file parses, every role and template it names exists."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2] / "ansible"


def test_every_yaml_file_parses() -> None:
    files = list(ROOT.rglob("*.yml"))
    assert len(files) >= 10
    for path in files:
        assert yaml.safe_load(path.read_text(encoding="utf-8")) is not None, path


def test_site_roles_exist_and_tasks_are_named() -> None:
    plays = yaml.safe_load((ROOT / "site.yml").read_text(encoding="utf-8"))
    roles = {role for play in plays for role in play["roles"]}
    assert roles == {"database", "app", "poller", "monitoring"}
    for role in roles:
        tasks = yaml.safe_load((ROOT / "roles" / role / "tasks" / "main.yml").read_text(encoding="utf-8"))
        assert all(task.get("name") for task in tasks), role


def test_templates_and_handlers_referenced_exist() -> None:
    for tasks_file in ROOT.glob("roles/*/tasks/main.yml"):
        role = tasks_file.parents[1]
        handlers_file = role / "handlers" / "main.yml"
        handlers_yaml = yaml.safe_load(handlers_file.read_text(encoding="utf-8")) if handlers_file.exists() else []
        handlers = {h["name"] for h in handlers_yaml}
        for task in yaml.safe_load(tasks_file.read_text(encoding="utf-8")):
            template = task.get("ansible.builtin.template", {}).get("src")
            if template:
                assert (role / "templates" / template).exists(), template
            notify = task.get("notify")
            if notify:
                assert notify in handlers, (tasks_file, notify)


def test_no_secret_literals_in_the_example_inventory() -> None:
    text = (ROOT / "inventories" / "example" / "group_vars" / "all.yml").read_text(encoding="utf-8")
    for line in text.splitlines():
        if re.search(r"(secret|password|key|token):", line):
            assert "{{ vault_" in line, line
