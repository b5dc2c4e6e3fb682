"""VPN session listings -> VpnSession records (VRP `display ike sa`, Sangfor `show vpn online-user`)."""

from __future__ import annotations

from pathlib import Path

from collectors.records import VpnSession
from collectors.ssh.platforms import SangforOs
from collectors.ssh.testing import FixtureSession
from collectors.ssh.vpn import parse_ike_sa

AR_V200R010 = """\
IKE SA information :
    Conn-ID       Peer            VPN   Flag(s)   Phase   RemoteType  RemoteID
  ---------------------------------------------------------------------------------
    117477244     10.100.1.1/4500 vrf1  RD|M      v2:2    IP          10.100.1.1
    117477242     10.100.1.1/4500 vrf1  RD|M      v2:1    IP          10.100.1.1

  Number of IKE SA : 2
"""

OLD_VRP = """\
    Conn-ID  Peer            VPN   Flag(s)                Phase
  ---------------------------------------------------------------
       16    202.38.0.2      0     RD|ST                  2
       14    202.38.0.2      0     RD|ST                  1
       15    202.38.0.3      0     FD|ST                  1

  Flag Description:
  RD--READY   ST--STAYALIVE   RL--REPLACED   FD--FADING   TO--TIMEOUT
"""


def test_v200r010_listing_one_session_per_tunnel() -> None:
    assert parse_ike_sa(AR_V200R010) == (VpnSession(account="10.100.1.1", peer_address="10.100.1.1"),)


def test_old_listing_without_remote_id_uses_the_peer_and_skips_fading_sas() -> None:
    assert parse_ike_sa(OLD_VRP) == (VpnSession(account="202.38.0.2", peer_address="202.38.0.2"),)


def test_empty_listing_is_no_sessions() -> None:
    assert parse_ike_sa("IKE SA information :\n\n  Number of IKE SA : 0\n") == ()


def test_sangfor_online_users(tmp_path: Path) -> None:
    folder = tmp_path
    (folder / "show_vpn_online-user.txt").write_text(
        "Online users: 2\n"
        "No.  User                  Client IP        Virtual IP      Online time  Site\n"
        "1    kf430105001007        100.96.106.206   10.250.0.3      14:17:38     芙蓉北路街道凤亭社区\n"
        "2    kf430105006007        100.101.218.209  10.250.0.4      105:49:54\n",
        encoding="utf-8",
    )
    device = SangforOs(FixtureSession(folder))
    assert device.is_vpn_gateway()
    assert device.get_vpn_sessions() == (
        VpnSession("kf430105001007", "100.96.106.206", 14 * 3600 + 17 * 60 + 38.0),
        VpnSession("kf430105006007", "100.101.218.209", 105 * 3600 + 49 * 60 + 54.0),
    )


def test_appliance_without_vpn_listing_is_not_a_gateway(tmp_path: Path) -> None:
    assert SangforOs(FixtureSession(tmp_path)).is_vpn_gateway() is False
