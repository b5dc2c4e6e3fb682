"""Masking secrets in device configurations, and diffs of masked configs.

Every place a config is shown or exported (web, API, `manage.py configs`, diffs, compliance evidence) goes
through `mask_config`. The secret token is replaced by ``******``; the rest of the line stays, so an operator
still sees *that* a password, community or key is set and how (cipher, hash, simple), never its value.

Covered (Huawei VRP, H3C Comware, Cisco IOS / Ruijie RGOS): local-user and enable passwords in any form
(irreversible-cipher, cipher, hash, simple, ``secret 5``/``9``, ``password 7``), super passwords, SNMP
communities (``snmp-agent community read cipher ...``, ``snmp-server community X``) and the community in
trap-host lines, SNMPv3 auth/priv keys, IKE pre-shared keys, RADIUS/HWTACACS/TACACS+ shared keys, routing
protocol authentication keys, and any VRP/Comware cipher blob (``%^%#...%^%#``, ``%$%$...%$%$``, ``$c$3$...``)
wherever it appears.
"""

from __future__ import annotations

import difflib
import re

MASK = "******"

_KEYWORDS = r"(?:irreversible-cipher|cipher|simple|hash)"
# Words that follow "password"/"key" in non-secret commands ("password-control", "password history ...",
# "super password level 15 cipher X", "key authentication cipher X", "key chain NAME").
_NOT_A_SECRET = (
    r"(?:irreversible-cipher|cipher|simple|hash|history|policy|expire|alert|min-length|complexity|control|"
    r"recovery|restriction|change|level|role|authentication|accounting|authorization|chain|config-key|"
    r"encryption|prompt|aaa|scheme|local|none|sha\S*|md5)"
)

# SSH algorithm lists ("ssh server cipher aes256_ctr", "ssh2 algorithm cipher aes128-ctr") are not secrets.
_ALGORITHM_LINE = re.compile(r"^\s*(ssh2?|ssl|stelnet|sftp)\b", re.IGNORECASE)

# Patterns whose group 1 is a secret. Applied in order on each line (SNMPv3 before the generic keyword rule,
# which would otherwise take "authentication-mode" for the secret after "simple").
_RULES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # Encoded blobs anywhere: VRP "%^%#...%^%#" / "%$%$...%$%$", Comware "$c$3$..." / "$h$6$...".
        r"(%\^%#.*?%\^%#|%\$%\$.*?%\$%\$)",
        r"(?<!\S)(\$[chp]\$\d+\$\S+)",
        # SNMPv3 keys: Comware "authentication-mode sha K privacy-mode aes128 K", IOS "auth sha K priv aes 128 K"
        r"(?:authentication-mode|privacy-mode)\s+(?:sha\S*|md5|aes\d*|des\S*|3des|sm3|sm4)\s+(?!cipher\b|simple\b)(\S+)",
        r"\bauth\s+(?:md5|sha\S*)\s+(\S+)",
        r"\bpriv\s+(?:des|3des|aes(?:\s+\d+)?)\s+(\S+)",
        # "<keyword> <secret>": password cipher X, shared-key cipher X, community read cipher X, password hash X
        rf"(?<![\w-]){_KEYWORDS}\s+(?!(?:{_KEYWORDS}|authentication-mode|privacy-mode)(?:\s|$))(\S+)",
        # IOS/RGOS: enable secret 5 X, username U secret 9 X, password 7 X, password X, key 7 X, key X
        r"(?<![\w-])secret\s+(?:\d+\s+)?(\S+)",
        rf"(?<![\w-])password\s+(?:\d+\s+)?(?!{_NOT_A_SECRET}(?:\s|$))(\S+)",
        rf"(?<![\w-])(?:key|key-string|authentication-key)\s+(?:\d+\s+)?(?!{_NOT_A_SECRET}(?:\s|$))(\S+)",
        r"(?<![\w-])(?:pre-shared-key|shared-key)\s+(?:address\s+\S+\s+(?:key\s+)?)?(?!cipher\b|simple\b)(\S+)",
        r"message-digest-key\s+\d+\s+md5\s+(?:\d+\s+)?(\S+)",
        # SNMP communities given bare: "snmp-server community X RO", "snmp-agent community read X"
        r"^\s*snmp-server\s+community\s+(?:\d+\s+)?(\S+)",
        rf"^\s*snmp-agent\s+community\s+(?:read|write)\s+(?!{_KEYWORDS}\b)(\S+)",
        # the community in trap targets: VRP "securityname X", IOS "snmp-server host H [traps] [version 2c] X"
        r"securityname\s+(?:cipher\s+)?(\S+)",
        r"^\s*snmp-server\s+host\s+\S+\s+(?:(?:informs|traps)\s+)?(?:version\s+(?:1|2c)\s+)?(?!version)(\S+)",
    )
)
_KEYWORD_RULE = 5  # index of the generic "<keyword> <secret>" rule, skipped on SSH algorithm lines


def _mask_line(line: str) -> str:
    algorithms = bool(_ALGORITHM_LINE.match(line))
    for index, pattern in enumerate(_RULES):
        if not (algorithms and index == _KEYWORD_RULE):
            line = pattern.sub(_mask_group, line)
    return line


def _mask_group(match: re.Match[str]) -> str:
    secret = match.group(1)
    if not secret or secret.startswith(MASK):
        return match.group(0)
    start, end = match.start(1) - match.start(0), match.end(1) - match.start(0)
    whole = match.group(0)
    return whole[:start] + MASK + whole[end:]


def mask_config(text: str, platform: str | None = None) -> str:
    """The config with every secret replaced by ``******``; same number of lines, everything else unchanged.

    `platform` is accepted for dialect-specific rules; today's rules are safe across VRP, Comware, IOS, RGOS.
    """
    return "\n".join(_mask_line(line) for line in text.split("\n"))


def config_diff(
    old: str, new: str, platform: str | None = None, *, old_label: str = "previous", new_label: str = "current"
) -> str:
    """A unified diff of the two configs, both masked first. A line whose only change is a secret shows up as
    changed, with ``******(changed)`` in the new version, so a rotated password is visible but not readable."""
    old_raw = old.splitlines()
    old_masked = mask_config(old, platform).splitlines()
    known_raw, known_masked = set(old_raw), set(old_masked)
    new_masked = []
    for raw, masked in zip(new.splitlines(), mask_config(new, platform).splitlines(), strict=True):
        if raw not in known_raw and masked in known_masked and MASK in masked:
            masked = masked.replace(MASK, MASK + "(changed)")
        new_masked.append(masked)
    diff = difflib.unified_diff(old_masked, new_masked, fromfile=old_label, tofile=new_label, lineterm="")
    return "\n".join(diff) + "\n" if old_masked != new_masked else ""
