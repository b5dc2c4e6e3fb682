"""Every yunwang management command documents itself: `--help` shows examples, with their line breaks."""

from __future__ import annotations

import io

import pytest
from django.core.management import get_commands, load_command_class

OURS = sorted(name for name, app in get_commands().items() if app in ("inventory", "collectors", "dashboards", "lab"))


def test_the_commands_are_found() -> None:
    assert {"demo", "poll", "probe", "coverage", "import_inventory", "lab", "compliance", "configs"} <= set(OURS)


@pytest.mark.parametrize("name", OURS)
def test_help_has_examples_on_their_own_lines(name: str) -> None:
    command = load_command_class(get_commands()[name], name)
    out = io.StringIO()
    command.create_parser("manage.py", name).print_help(out)
    text = out.getvalue()
    assert "manage.py " + name in text.replace("usage: manage.py", ""), f"{name}: no example in --help"
    assert any(line.lstrip().startswith("manage.py " + name) for line in text.splitlines()), name
