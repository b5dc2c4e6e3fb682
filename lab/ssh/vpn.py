"""VPN gateway session listings (VRP/USG style), one IKE SA pair and one IPSec SA pair per village account.

Each village (community) that reaches the extranet over VPN dials in with its own account; the gateway's
RemoteID column is that account, which is how a collector maps tunnels back to VPN accounts.
"""

from __future__ import annotations

from lab.ssh.model import DeviceView

GATEWAY_PUBLIC_IP = "100.64.0.1"
_RULE = "  " + "-" * 118


def display_ike_sa(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines = [
        "IKE SA information :",
        f"   {'Conn-ID':<11}{'Peer':<46}{'VPN':<6}{'Flag(s)':<25}{'Phase':<7}{'RemoteType':<12}RemoteID",
        _RULE,
    ]
    for s in view.vpn_sessions:
        for conn_id, phase in ((s.conn_id + 1, "v2:2"), (s.conn_id, "v2:1")):
            peer = f"{s.peer_ip}:500"
            lines.append(f"   {conn_id:<11}{peer:<46}{'':<6}{'RD|A':<25}{phase:<7}{'FQDN':<12}{s.account}")
    lines += [
        "",
        f"  Number of IKE SA : {2 * len(view.vpn_sessions)}",
        _RULE,
        "",
        "  Flag Description:",
        "  RD--READY   ST--STAYALIVE   RL--REPLACED   FD--FADING   TO--TIMEOUT",
        "  HRT--HEARTBEAT   LKG--LAST KNOWN GOOD SEQ NO.   BCK--BACKED UP",
        "  M--ACTIVE   S--STANDBY   A--ALONE  NEG--NEGOTIATING",
    ]
    return "\n".join(lines)


def display_ipsec_sa_brief(view: DeviceView, args: tuple[str, ...] = ()) -> str:
    lines = [
        "IPSec SA information:",
        f"  {'Src address':<18}{'Dst address':<18}{'SPI':<13}{'VPN':<6}{'Protocol':<10}Algorithm",
        "  " + "-" * 96,
    ]
    algorithm = "E:AES-256 A:SHA2_256_128"
    for s in view.vpn_sessions:
        lines.append(f"  {s.peer_ip:<18}{GATEWAY_PUBLIC_IP:<18}{s.spi_in:<13}{'':<6}{'ESP':<10}{algorithm}")
        lines.append(f"  {GATEWAY_PUBLIC_IP:<18}{s.peer_ip:<18}{s.spi_out:<13}{'':<6}{'ESP':<10}{algorithm}")
    lines += ["", f"  Number of IPSec SA : {2 * len(view.vpn_sessions)}", "  " + "-" * 96]
    return "\n".join(lines)
