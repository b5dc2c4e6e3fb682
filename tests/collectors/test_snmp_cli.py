"""SNMP command-line options (shared by `manage.py probe` and later the poll runner)."""

from __future__ import annotations

import pytest

from collectors.snmp.cli import snmp_credentials


def test_v2c_from_option_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert snmp_credentials({"community": "c0mm"}).community == "c0mm"  # type: ignore[union-attr]
    monkeypatch.setenv("YUNWANG_SNMP_COMMUNITY", "from-env")
    creds = snmp_credentials({})
    assert creds is not None and creds.version == "2c" and creds.community == "from-env"
    assert "from-env" not in repr(creds)


def test_no_snmp_options_means_no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YUNWANG_SNMP_COMMUNITY", raising=False)
    assert snmp_credentials({"community": None, "v3_user": None}) is None


def test_v3_levels_and_validation() -> None:
    auth_priv = snmp_credentials({"v3_user": "u", "auth_proto": "SHA256", "auth_key": "k" * 8, "priv_proto": "AES",
                                  "priv_key": "p" * 8})  # fmt: skip
    assert auth_priv is not None and (auth_priv.auth_proto, auth_priv.priv_proto) == ("SHA256", "AES")
    auth_only = snmp_credentials({"v3_user": "u", "auth_proto": "MD5", "auth_key": "k" * 8})
    assert auth_only is not None and auth_only.priv_proto == ""
    with pytest.raises(ValueError, match="8 characters"):
        snmp_credentials({"v3_user": "u", "auth_proto": "SHA", "auth_key": "short"})
    with pytest.raises(ValueError, match="needs authentication"):
        snmp_credentials({"v3_user": "u", "priv_proto": "AES", "priv_key": "p" * 8})
