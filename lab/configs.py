"""Running configurations of the lab devices, in each vendor's dialect, with a realistic mix of MLPS 2.0
(等保2.0, GB/T 22239-2019) level-3 compliant and non-compliant settings.

`compliance_profile(device)` says which of the 16 checks (`CHECKS`) a device is meant to pass, so the compliance
engine can be tested against it; `config_for(device, topology)` renders the configuration that says so. Both are
deterministic: the same device of the same (profile, seed) always gets the same answers.

Secrets appear the way devices print them: irreversible hashes (`irreversible-cipher $1c$...`, `hash $h$6$...`,
`secret 9 $9$...`) or reversible cipher text (`cipher %^%#...%^%#`, `cipher $c$3$...`, `password 7 ...`) — fake
strings, not the lab's real SSH password. The SNMP community is the device's real lab community, in plain text as
older releases print it: whatever shows or exports configs must mask it.
"""

from __future__ import annotations

import base64
import hashlib

from lab.topology import LabDevice, Topology

CHECKS: tuple[str, ...] = (
    "ssh_not_telnet",  # Telnet server off, VTY inbound SSH only
    "no_http_management",  # no plain HTTP management server
    "ssh_strong_crypto",  # no SSHv1 compatibility, no weak ciphers (des/3des/arcfour)
    "aaa_login",  # VTY and console log in through AAA (scheme), not a line password or nothing
    "password_irreversible",  # local-user passwords stored as irreversible hashes
    "login_lockout",  # lockout after repeated login failures
    "idle_timeout",  # VTY/console idle timeout <= 10 minutes (the platforms' default is 10)
    "acl_on_management",  # ACL on VTY/SSH and on SNMP
    "snmpv3_only",  # SNMPv3 authPriv, no v1/v2c communities, no write community
    "remote_syslog",  # info-center loghost / logging host
    "ntp",  # NTP server configured
    "command_accounting",  # commands accounted to HWTACACS/TACACS+
    "insecure_services_off",  # FTP server off (and TFTP)
    "no_default_accounts",  # no admin/huawei/h3c-style default or shared accounts
    "unused_ports_shutdown",  # every physical port is either in use (described) or shut down
    "login_banner",  # a login banner (header login / banner motd)
)

LOGHOST = "10.43.0.10"
NTP_SERVER = "10.43.0.30"
TACACS_SERVER = "10.43.0.20"
MGMT_NET = ("10.43.0.0", "0.0.0.255")
BANNER = "本设备属于电子政务外网，仅限授权人员访问，所有操作均被记录审计。"
_CIPHER_CHARS = "!#%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("/".join(map(str, parts)).encode()).digest()


def chance(device: LabDevice, what: str) -> float:
    """A stable number in [0, 1) per device and question (serials differ per seed, so seeds differ too)."""
    return int.from_bytes(_digest(device.name, device.serial, what)[:4], "big") / 2**32


def _chars(seed: bytes, n: int, alphabet: str) -> str:
    out: list[str] = []
    block = seed
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += [alphabet[b % len(alphabet)] for b in block]
    return "".join(out[:n])


def fake_secret(kind: str, device: LabDevice, purpose: str) -> str:
    """A realistic-looking stored secret of `kind` (vrp_irreversible, vrp_cipher, comware_hash, comware_cipher,
    ios_secret9, ios_type7)."""
    seed = _digest(device.name, device.serial, purpose, kind)
    b64 = base64.b64encode(hashlib.sha512(seed).digest()).decode()
    if kind == "vrp_irreversible":
        return f"$1c${_chars(seed, 20, _CIPHER_CHARS)}${_chars(seed[::-1], 48, _CIPHER_CHARS)}$"
    if kind == "vrp_cipher":
        return f"%^%#{_chars(seed, 52, _CIPHER_CHARS)}%^%#"
    if kind == "comware_hash":
        return f"$h$6${b64[:16]}${b64[16:86]}=="
    if kind == "comware_cipher":
        return f"$c$3${b64[:44]}=="
    if kind == "ios_secret9":
        return f"$9${b64[:14].replace('+', '.')}${b64[14:57].replace('+', '.')}"
    if kind == "ios_type7":
        return "0" + seed[:10].hex().upper()
    raise ValueError(f"unknown secret kind {kind!r}")


def _pass_rate(device: LabDevice) -> float:
    # The centre's devices are looked after better than the ones in street and community rooms.
    return {"core": 0.85, "firewall": 0.85, "vpn_gateway": 0.8, "aggregation": 0.7}.get(device.role, 0.55)


def unused_ports_shut(device: LabDevice) -> bool:
    """Config-visible rule: each physical port carries a description (in use or reserved) or is shut down."""
    return all(i.alias or not i.admin_up for i in device.interfaces if i.type == 6)


def compliance_profile(device: LabDevice) -> dict[str, bool]:
    """Which MLPS checks this device's configuration passes (True) or fails (False).

    Two checks follow from the lab's data rather than a draw: `snmpv3_only` (devices served on SNMPv3 only) and
    `unused_ports_shutdown` (the topology's admin status of unused ports). Every check is rendered for VRP,
    Comware, IOS and RGOS; the short Hillstone/Sangfor configs only reflect `ssh_not_telnet`, `snmpv3_only`,
    `remote_syslog` and `ntp`.
    """
    rate = _pass_rate(device)
    profile = {check: chance(device, check) < rate for check in CHECKS}
    profile["snmpv3_only"] = device.snmp_community is None and device.snmp_v3 is not None
    profile["unused_ports_shutdown"] = unused_ports_shut(device)
    return profile


def config_for(device: LabDevice, topology: Topology) -> str:
    """The running configuration of `device` as its CLI prints it (lines joined by \\n)."""
    # Imported here: the dialect renderers import the helpers above.
    from lab.ssh.config_comware import comware_config
    from lab.ssh.config_ios import ios_config, simple_config
    from lab.ssh.config_vrp import vrp_config

    profile = compliance_profile(device)
    if device.platform == "huawei_vrp":
        return vrp_config(device, topology, profile)
    if device.platform == "h3c_comware":
        return comware_config(device, topology, profile)
    if device.platform in ("cisco_ios", "ruijie_rgos"):
        return ios_config(device, topology, profile)
    return simple_config(device, topology, profile)
