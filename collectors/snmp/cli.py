"""SNMP options for command-line tools (`manage.py probe`, and the poll runner's ad-hoc target options).

Secrets can come from the environment (YUNWANG_SNMP_COMMUNITY, YUNWANG_SNMP_AUTH_KEY, YUNWANG_SNMP_PRIV_KEY) so
they stay out of shell history and `ps`; they are never printed back.
"""

from __future__ import annotations

import argparse
import os
from typing import Any, cast

from collectors.records import SnmpCredentials

AUTH_CHOICES = ("MD5", "SHA", "SHA256", "SHA512")
PRIV_CHOICES = ("DES", "AES", "AES256")


def add_snmp_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("SNMP")
    group.add_argument("--port", type=int, default=161, help="SNMP UDP port (default 161)")
    group.add_argument("--community", help="SNMPv2c community (or env YUNWANG_SNMP_COMMUNITY)")
    group.add_argument("--v3-user", help="SNMPv3 user name (selects SNMPv3)")
    group.add_argument("--auth-proto", choices=AUTH_CHOICES, help="SNMPv3 authentication protocol")
    group.add_argument("--auth-key", help="SNMPv3 authentication passphrase (or env YUNWANG_SNMP_AUTH_KEY)")
    group.add_argument("--priv-proto", choices=PRIV_CHOICES, help="SNMPv3 privacy protocol (omit for authNoPriv)")
    group.add_argument("--priv-key", help="SNMPv3 privacy passphrase (or env YUNWANG_SNMP_PRIV_KEY)")
    group.add_argument("--mode", choices=("full", "status"), default="full", help="full discovery or status poll")


def snmp_credentials(options: dict[str, Any]) -> SnmpCredentials | None:
    """Credentials from parsed options; None when no SNMP option was given. ValueError on an incomplete set."""
    user = options.get("v3_user")
    community = options.get("community") or os.environ.get("YUNWANG_SNMP_COMMUNITY")
    if user:
        auth_proto = options.get("auth_proto") or ""
        priv_proto = options.get("priv_proto") or ""
        auth_key = options.get("auth_key") or os.environ.get("YUNWANG_SNMP_AUTH_KEY", "")
        priv_key = options.get("priv_key") or os.environ.get("YUNWANG_SNMP_PRIV_KEY", "")
        if priv_proto and not auth_proto:
            raise ValueError("SNMPv3 privacy needs authentication: give --auth-proto too")
        if (auth_proto and len(auth_key) < 8) or (priv_proto and len(priv_key) < 8):
            raise ValueError("SNMPv3 keys must be at least 8 characters (RFC 3414)")
        return SnmpCredentials(
            version="3",
            user=user,
            auth_proto=cast(Any, auth_proto),
            auth_key=auth_key,
            priv_proto=cast(Any, priv_proto),
            priv_key=priv_key,
        )
    if community:
        return SnmpCredentials(version="2c", community=community)
    return None
