"""TextFSM parsing of CLI output: ntc-templates where a template exists, our own templates otherwise.

We parse outside netmiko (send the command raw, parse here) so recorded fixtures replay through exactly the
same code, and so a missing template is an error we see instead of netmiko's silent fallback to raw text.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import ntc_templates
import textfsm
from textfsm import clitable

# One parsed row; values are str, or list[str] for TextFSM "List" values (IOS HARDWARE, SERIAL).
Row = dict[str, Any]

TEMPLATE_DIR = Path(__file__).parent / "templates"
NTC_DIR = Path(ntc_templates.__file__).parent / "templates"

# Commands parsed by our own templates (ntc-templates has none, or the wrong one), per platform.
OWN_TEMPLATES: dict[tuple[str, str], str] = {
    ("hp_comware", "display version"): "hp_comware_display_version.textfsm",
    ("huawei_vrp", "display esn"): "huawei_vrp_display_esn.textfsm",
    ("huawei_vrp", "display ike sa"): "huawei_vrp_display_ike_sa.textfsm",
    ("ruijie_os", "show version"): "ruijie_os_show_version.textfsm",
    ("ruijie_os", "show interfaces status"): "ruijie_os_show_interfaces_status.textfsm",
    ("ruijie_os", "show lldp neighbors detail"): "ruijie_os_show_lldp_neighbors_detail.textfsm",
    ("appliance", "show version"): "appliance_show_version.textfsm",
    ("appliance", "show interface"): "appliance_show_interface.textfsm",
    ("appliance", "show vpn online-user"): "sangfor_os_show_vpn_online_user.textfsm",
}

# What devices print when they do not know a command (VRP/Comware "Error: Unrecognized command",
# "% Unrecognized command found at '^' position.", Cisco/Ruijie "% Invalid input detected").
_CLI_ERROR = re.compile(r"^\s*(Error:|% ?(Invalid|Unrecognized|Incomplete|Unknown)|\^$)", re.MULTILINE)


class ParseError(Exception):
    """The output did not match the template: a different dialect, a firmware quirk, or a command error."""


def is_cli_error(output: str) -> bool:
    return bool(_CLI_ERROR.search(output))


def parse(platform: str, command: str, output: str) -> list[Row]:
    """Rows (lower-case keys) parsed from `output` of `command`. Raises ParseError instead of returning raw text."""
    if is_cli_error(output):
        raise ParseError(f"{platform}: device rejected {command!r}")
    own = OWN_TEMPLATES.get((platform, command))
    path = TEMPLATE_DIR / own if own is not None else _ntc_template(platform, command)
    fsm = _fsm(path)
    try:
        rows = fsm.ParseText(output)
    except textfsm.TextFSMError as exc:
        raise ParseError(f"{platform}: cannot parse {command!r}: {exc}") from exc
    return [{h.lower(): v for h, v in zip(fsm.header, row, strict=True)} for row in rows]


# Why not ntc_templates.parse_output: it builds a CliTable and compiles the template's regexes on every call,
# which was most of the collector's CPU per device. We resolve each (platform, command) through the same
# ntc-templates index once, and keep compiled TextFSM objects per thread (they hold parse state).
_resolved: dict[tuple[str, str], Path] = {}
_resolve_lock = threading.Lock()
_local = threading.local()


def _ntc_template(platform: str, command: str) -> Path:
    key = (platform, command)
    with _resolve_lock:
        if key not in _resolved:
            table = clitable.CliTable("index", str(NTC_DIR))
            row = table.index.GetRowMatch({"Platform": platform, "Command": command})
            if not row:
                raise ParseError(f"{platform}: no template for {command!r}")
            names = table.index.index[row]["Template"].split(":")
            if len(names) != 1:  # ntc merges several tables here; none of our commands needs that
                raise ParseError(f"{platform}: {command!r} maps to several templates: {names}")
            _resolved[key] = NTC_DIR / names[0]
        return _resolved[key]


def _fsm(path: Path) -> textfsm.TextFSM:
    cache: dict[Path, textfsm.TextFSM] = _local.__dict__.setdefault("fsms", {})
    fsm = cache.get(path)
    if fsm is None:
        with open(path, encoding="utf-8") as handle:
            fsm = cache[path] = textfsm.TextFSM(handle)
    else:
        fsm.Reset()
    return fsm
