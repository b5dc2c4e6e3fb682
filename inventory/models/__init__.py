"""Inventory models, split by topic."""

from inventory.models.areas import Area, AreaKind, Exclusion, Level
from inventory.models.devices import (
    CredentialProfile,
    Device,
    DeviceRole,
    DeviceStatus,
    DeviceType,
    Manufacturer,
    Platform,
    SnmpVersion,
)
from inventory.models.history import (
    AlarmEvent,
    ChangeRecord,
    CheckStatus,
    ComplianceResult,
    ConfigBackup,
    Discovery,
    EventKind,
    PollCycle,
    StatusEvent,
)
from inventory.models.network import Interface, InterfaceCounters, IPAddress, Link, LinkKind, LinkOrigin, Prefix
from inventory.models.organisations import (
    AccessMode,
    BusinessSystem,
    Classification,
    CloudStatus,
    Department,
    ExemptionReason,
    Site,
    SiteKind,
    SiteStatus,
    VpnAccount,
    Zone,
)

__all__ = [
    "AccessMode", "AlarmEvent", "Area", "AreaKind", "BusinessSystem", "ChangeRecord", "CheckStatus",
    "Classification", "CloudStatus", "ComplianceResult", "ConfigBackup", "CredentialProfile", "Department",
    "Device", "DeviceRole", "DeviceStatus", "DeviceType", "Discovery", "EventKind", "Exclusion",
    "ExemptionReason", "IPAddress", "Interface", "InterfaceCounters", "Level", "Link", "LinkKind", "LinkOrigin",
    "Manufacturer", "Platform", "PollCycle", "Prefix", "Site", "SiteKind", "SiteStatus", "SnmpVersion",
    "StatusEvent", "VpnAccount", "Zone",
]  # fmt: skip
