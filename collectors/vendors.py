"""Vendor identification from sysObjectID, and model / OS version from sysDescr.

sysObjectID is `1.3.6.1.4.1.<enterprise>.<product...>`; the enterprise number (IANA Private Enterprise Number)
names the vendor. sysDescr formats differ per vendor; the patterns below cover the formats the vendors in
DOMAIN.md print. Where a vendor's sysDescr carries no model, ENTITY-MIB (or the vendor's own MIB) supplies it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ENTERPRISES_PREFIX = "1.3.6.1.4.1."


@dataclass(frozen=True)
class Vendor:
    slug: str  # stable, lowercase: DeviceRecord.vendor
    name: str
    enterprise: int
    platform: str | None  # Platform.slug of the usual OS family, or None when the vendor has several


VENDORS: tuple[Vendor, ...] = (
    Vendor("huawei", "Huawei", 2011, "huawei_vrp"),
    Vendor("h3c", "H3C", 25506, "h3c_comware"),
    Vendor("ruijie", "Ruijie", 4881, "ruijie_rgos"),
    Vendor("zte", "ZTE", 3902, "zte_zxros"),
    Vendor("maipu", "Maipu", 5651, "maipu_mypower"),
    Vendor("sangfor", "Sangfor", 35047, "sangfor_os"),
    Vendor("hillstone", "Hillstone", 28557, "hillstone_stoneos"),
    Vendor("dptech", "DPtech", 31648, "dptech_conplat"),
    Vendor("cisco", "Cisco", 9, "cisco_ios"),
    Vendor("juniper", "Juniper", 2636, "junos"),
    Vendor("fortinet", "Fortinet", 12356, "fortios"),
    Vendor("paloalto", "Palo Alto Networks", 25461, "panos"),
    Vendor("netsnmp", "net-snmp (Linux)", 8072, "linux"),
)
BY_ENTERPRISE: dict[int, Vendor] = {v.enterprise: v for v in VENDORS}
BY_SLUG: dict[str, Vendor] = {v.slug: v for v in VENDORS}

# Huawei-3Com era H3C products live under Huawei's tree (1.3.6.1.4.1.2011.10.*): they run Comware, not VRP.
_H3C_UNDER_HUAWEI = "1.3.6.1.4.1.2011.10."

# sysDescr keywords when sysObjectID is missing or unknown (e.g. a white-label box): first match wins.
_DESCR_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("huawei", "huawei"),
    ("quidway", "huawei"),
    ("h3c", "h3c"),
    ("comware", "h3c"),
    ("ruijie", "ruijie"),
    ("zte", "zte"),
    ("maipu", "maipu"),
    ("sangfor", "sangfor"),
    ("hillstone", "hillstone"),
    ("stoneos", "hillstone"),
    ("dptech", "dptech"),
    ("cisco", "cisco"),
    ("junos", "juniper"),
    ("juniper", "juniper"),
    ("fortigate", "fortinet"),
    ("palo alto", "paloalto"),
    ("pan-os", "paloalto"),
)


def enterprise_number(sys_object_id: str | None) -> int | None:
    """`"1.3.6.1.4.1.2011.2.23.96"` -> 2011; None when the OID is not under enterprises."""
    if not sys_object_id:
        return None
    oid = sys_object_id.lstrip(".")
    if not oid.startswith(ENTERPRISES_PREFIX):
        return None
    head = oid[len(ENTERPRISES_PREFIX) :].split(".", 1)[0]
    return int(head) if head.isdigit() else None


def identify(sys_object_id: str | None, sys_descr: str | None = None) -> Vendor | None:
    """The vendor from sysObjectID's enterprise number, falling back to sysDescr keywords."""
    oid = (sys_object_id or "").lstrip(".")
    if oid.startswith(_H3C_UNDER_HUAWEI):
        return BY_SLUG["h3c"]
    number = enterprise_number(oid)
    if number is not None and number in BY_ENTERPRISE:
        return BY_ENTERPRISE[number]
    lowered = (sys_descr or "").lower()
    for keyword, slug in _DESCR_KEYWORDS:
        if keyword in lowered:
            return BY_SLUG[slug]
    return None


@dataclass(frozen=True)
class DescrFacts:
    model: str | None = None
    os_version: str | None = None


# Per-vendor sysDescr patterns, tried in order. Group "model" and/or "version".
_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    # "VRP (R) software, Version 8.180 (CE6850 V200R019C10SPC800)" / "Version 5.170 (S5700 V200R011C10SPC500)".
    # The bracket names the series; VRP8 (NE40E, CE) and VRP5 AR/S print the exact model on a line of its own
    # ("HUAWEI NE40E-X8 \r\n" last, or "S5720-28X-SI-AC" first), so that line wins when there is one.
    "huawei": (
        re.compile(r"^(?:Huawei |HUAWEI )?(?P<model>(?:S|CE|AR|NE|USG|AC|AP)\d[\w-]*)", re.M),
        re.compile(r"\((?P<model>[A-Za-z][\w-]*) (?P<version>V\d{3}R\d{3}\w*)\)"),
    ),
    # "H3C Comware Platform Software, Software Version 7.1.070, Release 6728P22\r\nH3C S6800-54QF\r\n..."
    "h3c": (
        re.compile(r"Software Version (?P<version>[\d.]+(?:, Release \w+)?)"),
        re.compile(r"^(?:H3C|HPE|HP) (?P<model>[A-Z]+\d[\w-]*)\s*$", re.M),
    ),
    # "Ruijie Full Layer 3 Switch(S5750-48GT4XS-E) By Ruijie Networks ... RGOS 11.4(1)B12P11"
    "ruijie": (
        re.compile(r"\((?P<model>[A-Z]+\d[\w-]*)\)"),
        re.compile(r"(?:RGOS|Release)[ (]*(?P<version>\d+\.\d+[\w.()]*)"),
    ),
    # "Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 15.0(2)SE11, RELEASE SOFTWARE (fc3)"
    "cisco": (re.compile(r"Version (?P<version>[\w.()]+)"),),
    # "Juniper Networks, Inc. ex4300-48t Ethernet Switch, kernel JUNOS 18.4R2-S3, ..."
    "juniper": (
        re.compile(r"Juniper Networks, Inc\. (?P<model>[\w-]+)"),
        re.compile(r"JUNOS (?P<version>[\w.-]+)"),
    ),
    # "Linux kf-bastion 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64"
    "netsnmp": (re.compile(r"^Linux \S+ (?P<version>\S+)"),),
}
# Everyone else (Hillstone, Sangfor, DPtech, ZTE, Maipu, Fortinet, Palo Alto): "Version X" is the common shape.
_GENERIC_VERSION = re.compile(r"[Vv]ersion[: ]+(?P<version>[\w.()-]*\d[\w.()-]*)")
_GENERIC_MODEL = re.compile(r"\b(?P<model>(?:SG-|AF-|ZXR10 |NSS|FW|FG-|PA-)\d[\w-]*)")


def parse_sys_descr(vendor: str | None, sys_descr: str | None) -> DescrFacts:
    """Model and OS version from sysDescr, when the vendor's format carries them. Unknown parts are None."""
    if not sys_descr:
        return DescrFacts()
    found: dict[str, str] = {}
    own = _PATTERNS.get(vendor or "")
    # A vendor with its own patterns only borrows the generic version; the generic model guess is for the rest.
    patterns = own + (_GENERIC_VERSION,) if own else (_GENERIC_VERSION, _GENERIC_MODEL)
    for pattern in patterns:
        match = pattern.search(sys_descr)
        if not match:
            continue
        for key, value in match.groupdict().items():
            if value and key not in found:
                # Comware: "7.1.070, Release 6728P22" -> "7.1.070 Release 6728P22", as the SSH driver reports it
                found[key] = value.strip().rstrip(",").replace(", Release ", " Release ")
    return DescrFacts(model=found.get("model"), os_version=found.get("version"))
