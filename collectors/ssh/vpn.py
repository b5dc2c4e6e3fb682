"""VPN sessions from a VRP IPsec gateway's `display ike sa` listing.

Format (VRP V200, AR/USG command reference)::

    IKE SA information :
        Conn-ID    Peer              VPN   Flag(s)     Phase   RemoteType  RemoteID
      ---------------------------------------------------------------------------------
        83887864   10.1.1.2:500            RD|ST|A     v2:2    FQDN        cun-430105001001
        83887652   10.1.1.2:500            RD|ST|A     v2:1    FQDN        cun-430105001001

Each tunnel shows one phase-1 (IKE) SA and one phase-2 (IPsec) SA per flow; a session is one *ready* (RD)
phase-1 SA. The account is the peer's remote ID (the identity the village unit logs in with); when the gateway
prints only an address, the address is the account.
"""

from __future__ import annotations

from collectors.records import VpnSession
from collectors.ssh.textparse import parse


def _peer_address(peer: str) -> str:
    """'10.1.1.2:500' / '10.1.1.2/4500' / '10.1.1.2' -> '10.1.1.2' (IPv4 with a port suffix)."""
    for separator in ("/", ":"):
        host, sep, port = peer.rpartition(separator)
        if sep and port.isdigit() and host.count(":") == 0:
            return host
    return peer


def _is_phase1(phase: str) -> bool:
    return phase in {"1", "v1:1", "v2:1"}


def parse_ike_sa(output: str) -> tuple[VpnSession, ...]:
    """Ready phase-1 SAs as VpnSession records, one per (account, peer), in listing order."""
    sessions: dict[tuple[str, str], VpnSession] = {}
    for row in parse("huawei_vrp", "display ike sa", output):
        if not _is_phase1(row["phase"]) or "RD" not in row["flags"].split("|"):
            continue
        address = _peer_address(row["peer"])
        account = row["remote_id"] or address
        sessions.setdefault((account, address), VpnSession(account=account, peer_address=address))
    return tuple(sessions.values())
