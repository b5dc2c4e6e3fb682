"""Small pure helpers that turn CLI strings into record values (units, IF-MIB integers, MAC format)."""

from __future__ import annotations

import re

_UPTIME_PART = re.compile(r"(\d+)\s*(year|week|day|hour|minute|min|second|sec)s?", re.IGNORECASE)
_SECONDS = {"year": 365 * 86400, "week": 7 * 86400, "day": 86400, "hour": 3600, "minute": 60, "min": 60}
_SECONDS |= {"second": 1, "sec": 1}


def uptime_seconds(text: str | None) -> float | None:
    """'266 days, 8 hours, 59 minutes' / '0 weeks, 2 days, 3 hours' / '20:03:15:42' (d:h:m:s) -> seconds."""
    if not text:
        return None
    colon = re.fullmatch(r"\s*(\d+):(\d+):(\d+):(\d+)\s*", text)
    if colon:
        days, hours, minutes, seconds = (int(g) for g in colon.groups())
        return float(days * 86400 + hours * 3600 + minutes * 60 + seconds)
    parts = _UPTIME_PART.findall(text)
    if not parts:
        return None
    return float(sum(int(n) * _SECONDS[unit.lower()] for n, unit in parts))


# IF-MIB ifType numbers by interface-name prefix (longest prefixes first where they overlap).
_IF_TYPES: tuple[tuple[str, int], ...] = (
    ("eth-trunk", 161),
    ("bridge-aggregation", 161),
    ("route-aggregation", 161),
    ("port-channel", 161),
    ("aggregateport", 161),
    ("loopback", 24),
    ("inloop", 24),
    ("vlanif", 136),
    ("vlan-interface", 136),
    ("vlan", 136),
    ("tunnel", 131),
    ("null", 1),
    ("meth", 6),
    ("m-gigabitethernet", 6),
    ("ten-gigabitethernet", 6),
    ("hundredgige", 6),
    ("fortygige", 6),
    ("xgigabitethernet", 6),
    ("gigabitethernet", 6),
    ("fastethernet", 6),
    ("ethernet", 6),
    ("tengigabitethernet", 6),
    ("100ge", 6),
    ("40ge", 6),
    ("25ge", 6),
    ("10ge", 6),
    ("xge", 6),
    ("ge", 6),
    ("fe", 6),
    ("mgmt", 6),
    ("eth", 6),
    ("xethernet", 6),
    ("serial", 22),
)


def if_type(name: str) -> int | None:
    """IF-MIB ifType guessed from the interface name (6 ethernetCsmacd, 24 loopback, 161 LAG, ...)."""
    lowered = name.lower()
    for prefix, number in _IF_TYPES:
        if lowered.startswith(prefix):
            return number
    return None


def interface_name(raw: str) -> str:
    """'GigabitEthernet15/1/0(10G)' -> 'GigabitEthernet15/1/0' (VRP marks port modes in brackets)."""
    return re.sub(r"\([^)]*\)$", "", raw.strip())


def mac(raw: str | None) -> str | None:
    """'b8d6-f6ff-7390' / '0011.2233.4455' / '00:11:22:33:44:55' -> '00:11:22:33:44:55'; None if not a MAC."""
    if not raw:
        return None
    raw = raw.strip()
    digits = re.sub(r"[-.:]", "", raw)
    if not re.fullmatch(r"[0-9a-fA-F]{12}", digits):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2)).lower()


def chassis_id(raw: str | None) -> str | None:
    """LLDP chassis IDs are usually MACs (normalised); anything else (a name, an address) is kept as is."""
    if not raw or not raw.strip():
        return None
    return mac(raw) or raw.strip()


def speed_bps(raw: str | None) -> int | None:
    """'1G' / '10G' / '1000M' / '100000 Kbit' / '1000000 Kbit/sec' -> bits per second; 'auto' -> None."""
    if not raw:
        return None
    raw = re.sub(r"\([^)]*\)$", "", raw.strip())  # Comware "1G(a)": auto-negotiated
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT])?(?:b(?:it|ps)?(?:/sec)?)?\s*", raw, re.IGNORECASE)
    if not match:
        return None
    scale = {"": 1, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}[(match.group(2) or "").upper()]
    return int(float(match.group(1)) * scale)


def empty_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return None if value in {"", "--", "N/A", "NA"} else value


_CONFIG_VOLATILE = re.compile(
    r"^(!\s*Last configuration|! NVRAM config last updated|ntp clock-period|Building configuration|"
    r"Current configuration\s*:|!Time:)",
)


def clean_config(text: str) -> str:
    """Drop lines that change without a configuration change (timestamps, byte counts), trailing blanks."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    kept = [line for line in lines if not _CONFIG_VOLATILE.match(line)]
    return "\n".join(kept).strip("\n") + "\n"


def interface_descriptions(config: str) -> dict[str, str]:
    """Interface name -> description from a VRP/Comware/IOS-style running config."""
    result: dict[str, str] = {}
    current: str | None = None
    for line in config.splitlines():
        if line.startswith("interface "):
            current = line.split(None, 1)[1].strip()
        elif line and not line[0].isspace():
            current = None
        elif current is not None and line.strip().startswith("description "):
            result[current] = line.strip().split(None, 1)[1]
    return result


def hostname(config: str) -> str | None:
    """`sysname X` (VRP/Comware) or `hostname X` (IOS/RGOS)."""
    match = re.search(r"^\s*(?:sysname|hostname)\s+(\S+)\s*$", config, re.MULTILINE)
    return match.group(1) if match else None
