"""The OIDs the SNMP driver asks, by MIB. Numeric only: no MIB compilation at run time (lookupMib=False)."""

from __future__ import annotations

# SNMPv2-MIB system group (scalars, instance .0)
SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
SYS_CONTACT = "1.3.6.1.2.1.1.4.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
SYS_LOCATION = "1.3.6.1.2.1.1.6.0"
SYSTEM = (SYS_DESCR, SYS_OBJECT_ID, SYS_UPTIME, SYS_CONTACT, SYS_NAME, SYS_LOCATION)

# IF-MIB ifTable (1.3.6.1.2.1.2.2.1.<col>) and ifXTable (1.3.6.1.2.1.31.1.1.1.<col>), indexed by ifIndex
_IF = "1.3.6.1.2.1.2.2.1."
_IFX = "1.3.6.1.2.1.31.1.1.1."
IF_INDEX = _IF + "1"
IF_DESCR = _IF + "2"
IF_TYPE = _IF + "3"
IF_MTU = _IF + "4"
IF_SPEED = _IF + "5"
IF_PHYS_ADDRESS = _IF + "6"
IF_ADMIN_STATUS = _IF + "7"
IF_OPER_STATUS = _IF + "8"
IF_LAST_CHANGE = _IF + "9"
IF_IN_OCTETS = _IF + "10"
IF_IN_ERRORS = _IF + "14"
IF_OUT_OCTETS = _IF + "16"
IF_OUT_ERRORS = _IF + "20"
IF_NAME = _IFX + "1"
IF_HC_IN_OCTETS = _IFX + "6"
IF_HC_OUT_OCTETS = _IFX + "10"
IF_HIGH_SPEED = _IFX + "15"
IF_ALIAS = _IFX + "18"

# The light status poll: exactly these 8 columns (+ sysUpTime.0). Everything an operator watches between
# discoveries: state, when it last changed, traffic, errors, and the negotiated speed (changes on renegotiation).
STATUS_COLUMNS = (
    IF_ADMIN_STATUS,
    IF_OPER_STATUS,
    IF_LAST_CHANGE,
    IF_IN_ERRORS,
    IF_OUT_ERRORS,
    IF_HC_IN_OCTETS,
    IF_HC_OUT_OCTETS,
    IF_HIGH_SPEED,
)
INTERFACE_COLUMNS = (
    IF_INDEX,
    IF_DESCR,
    IF_TYPE,
    IF_MTU,
    IF_SPEED,
    IF_PHYS_ADDRESS,
    IF_ADMIN_STATUS,
    IF_OPER_STATUS,
    IF_LAST_CHANGE,
    IF_IN_OCTETS,
    IF_IN_ERRORS,
    IF_OUT_OCTETS,
    IF_OUT_ERRORS,
    IF_NAME,
    IF_HC_IN_OCTETS,
    IF_HC_OUT_OCTETS,
    IF_HIGH_SPEED,
    IF_ALIAS,
)

# ENTITY-MIB entPhysicalTable (1.3.6.1.2.1.47.1.1.1.1.<col>), indexed by entPhysicalIndex
_ENT = "1.3.6.1.2.1.47.1.1.1.1."
ENT_DESCR = _ENT + "2"
ENT_CLASS = _ENT + "5"
ENT_NAME = _ENT + "7"
ENT_HARDWARE_REV = _ENT + "8"
ENT_FIRMWARE_REV = _ENT + "9"
ENT_SOFTWARE_REV = _ENT + "10"
ENT_SERIAL = _ENT + "11"
ENT_MODEL = _ENT + "13"
ENTITY_COLUMNS: tuple[str, ...] = (ENT_DESCR, ENT_CLASS, ENT_NAME, ENT_HARDWARE_REV, ENT_FIRMWARE_REV, ENT_SOFTWARE_REV)
ENTITY_COLUMNS += (ENT_SERIAL, ENT_MODEL)
ENT_CLASS_CHASSIS = 3

# LLDP-MIB (IEEE 802.1AB-2005, 1.0.8802.1.1.2)
_LLDP_LOC_PORT = "1.0.8802.1.1.2.1.3.7.1."  # lldpLocPortTable, indexed by lldpLocPortNum
LLDP_LOC_PORT_ID_SUBTYPE = _LLDP_LOC_PORT + "2"
LLDP_LOC_PORT_ID = _LLDP_LOC_PORT + "3"
LLDP_LOC_PORT_DESC = _LLDP_LOC_PORT + "4"
_LLDP_REM = "1.0.8802.1.1.2.1.4.1.1."  # lldpRemTable, indexed by timeMark.localPortNum.remIndex
LLDP_REM_CHASSIS_ID_SUBTYPE = _LLDP_REM + "4"
LLDP_REM_CHASSIS_ID = _LLDP_REM + "5"
LLDP_REM_PORT_ID_SUBTYPE = _LLDP_REM + "6"
LLDP_REM_PORT_ID = _LLDP_REM + "7"
LLDP_REM_PORT_DESC = _LLDP_REM + "8"
LLDP_REM_SYS_NAME = _LLDP_REM + "9"
LLDP_COLUMNS: tuple[str, ...] = (LLDP_LOC_PORT_ID_SUBTYPE, LLDP_LOC_PORT_ID, LLDP_LOC_PORT_DESC)
LLDP_COLUMNS += (LLDP_REM_CHASSIS_ID_SUBTYPE, LLDP_REM_CHASSIS_ID, LLDP_REM_PORT_ID_SUBTYPE, LLDP_REM_PORT_ID)
LLDP_COLUMNS += (LLDP_REM_PORT_DESC, LLDP_REM_SYS_NAME)

# Vendor MIB extras, asked only when sysObjectID names the vendor.
# HH3C-ENTITY-EXT-MIB hh3cEntityExtManuSerialNum (hh3cEntityExtManuTable, indexed by entPhysicalIndex): Comware
# leaves entPhysicalSerialNum empty on many models; LibreNMS and Observium read the serial here too.
HH3C_ENTITY_EXT_MANU_SERIAL = "1.3.6.1.4.1.25506.2.6.1.2.1.1.2"
VENDOR_SERIAL_COLUMNS: dict[str, str] = {"h3c": HH3C_ENTITY_EXT_MANU_SERIAL}
