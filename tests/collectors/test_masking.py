"""Secrets in configs never reach any output: masked text, diffs, compliance evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.masking import MASK, config_diff, mask_config

FIXTURES = Path(__file__).parent / "fixtures"
CONFIG_FILES = sorted(FIXTURES.glob("configs/*.cfg")) + sorted(FIXTURES.glob("ssh/*/*/*configuration.txt"))
CONFIG_FILES += sorted(FIXTURES.glob("ssh/*/*/show_running-config.txt"))

# Every secret planted in the fixture configs, as raw strings.
FIXTURE_SECRETS = [
    # configs/
    "VrpAuthKeyCipher0101", "VrpPrivKeyCipher0102", "VrpTacacsKey0103", "VrpLocalUserHash0104",
    "VrpReadCommCipher0201", "VrpWriteCommPlain0202", "VrpTrapComm0203", "VrpReversibleUserPw0204",
    "VrpRadiusKey0205", "VrpPskPlain0206", "VrpConsolePw0207", "VrpVtyPw0208",
    "CwAuthSimple0301", "CwPrivSimple0302", "CwTacacsCipher0303", "CwTacacsPlain0304", "CwLocalUserHash0305",
    "CwReadComm0401", "CwWriteCommCipher0402", "CwTrapComm0403", "CwRadiusPlain0404", "CwReversibleAdmin0405",
    "CwPskPlain0406", "CwVtyPlain0407",
    # ssh/ recorded running configs
    "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8", "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2", "Secr3tHashValue1", "Tac4csSecretKey0001",
    "Auth#Simple2023", "Priv#Simple2023", "HwtacacsKeyCipher0002", "HwTacacsPlain#2023", "LocalUserHash0003",
    "EnableSecretHash0004", "LocalUserSecret0005", "IosCommunityRO5", "IosCommunityRW6", "070C285F4D06TacKey7",
    "RuijieEnableHash0007", "0822455D0A16RjUserPw8", "RuijieCommRO9", "IkePskCipher0010Secret",
]  # fmt: skip

# One-line cases of other secret-bearing commands: (line, secret).
MORE_LINES = [
    ("snmp-server user ywuser yw v3 auth sha IosV3Auth11 priv aes 128 IosV3Priv12", "IosV3Auth11"),
    ("snmp-server user ywuser yw v3 auth sha IosV3Auth11 priv aes 128 IosV3Priv12", "IosV3Priv12"),
    ("snmp-server host 10.20.0.9 version 2c IosTrapComm13", "IosTrapComm13"),
    ("snmp-server host 10.20.0.9 traps IosTrapComm14 snmp", "IosTrapComm14"),
    ("crypto isakmp key IsakmpKey15 address 0.0.0.0 0.0.0.0", "IsakmpKey15"),
    (" ip ospf message-digest-key 1 md5 OspfKey16", "OspfKey16"),
    ("  key-string KeyString17", "KeyString17"),
    (" neighbor 10.0.0.2 password BgpPw18", "BgpPw18"),
    ("enable password Enable19", "Enable19"),
    (" password 7 LinePw20", "LinePw20"),
    ("tacacs-server key TacKey21", "TacKey21"),
    ("super password level 15 cipher %^%#SuperPw22%^%#", "SuperPw22"),
    (" ospf authentication-mode md5 1 cipher %^%#OspfCipher23%^%#", "OspfCipher23"),
    ("super password role network-admin hash $h$6$SuperHash24$abc==", "SuperHash24"),
    (" radius-server shared-key cipher %^%#RadiusCipher25%^%#", "RadiusCipher25"),
    ("snmp-agent community read PlainComm26 acl 2000", "PlainComm26"),
    (" pre-shared-key IkePlain27", "IkePlain27"),
    (" authentication-mode simple cipher %$%$Rip28%$%$", "Rip28"),
    (" key accounting cipher $c$3$Acct29==", "Acct29"),
]

KEPT_AS_IS = [
    "password-control length 10",
    "password-control login-attempt 5 exceed lock-time 15",
    " local-aaa-user password policy administrator",
    "  password history record number 5",
    "ssh server cipher aes256_ctr aes128_ctr",
    " local-user netops-zhang service-type ssh",
    " authentication-mode aaa",
    "snmp-agent sys-info version v3",
    " description 至核心2",
    "interface GigabitEthernet0/0/1",
]


@pytest.mark.parametrize("path", CONFIG_FILES, ids=[p.name + "@" + p.parent.name for p in CONFIG_FILES])
def test_no_fixture_secret_survives_masking(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    masked = mask_config(text)
    leaked = [s for s in FIXTURE_SECRETS if s in masked]
    assert leaked == []
    assert len(masked.split("\n")) == len(text.split("\n"))  # line structure kept
    planted = [s for s in FIXTURE_SECRETS if s in text]
    assert masked.count(MASK) >= len(planted)


def test_every_planted_secret_is_in_some_fixture() -> None:
    corpus = "".join(p.read_text(encoding="utf-8") for p in CONFIG_FILES)
    assert [s for s in FIXTURE_SECRETS if s not in corpus] == []


@pytest.mark.parametrize(("line", "secret"), MORE_LINES)
def test_other_secret_commands_are_masked(line: str, secret: str) -> None:
    masked = mask_config(line)
    assert secret not in masked and MASK in masked
    assert masked.split()[0] == line.split()[0]  # the command stays readable


@pytest.mark.parametrize("line", KEPT_AS_IS)
def test_lines_without_secrets_are_unchanged(line: str) -> None:
    assert mask_config(line) == line


def test_diff_is_masked_and_shows_a_rotated_secret_as_changed() -> None:
    old = (FIXTURES / "configs" / "vrp_compliant.cfg").read_text(encoding="utf-8")
    new = old.replace("VrpLocalUserHash0104", "VrpRotatedHash9999").replace("至核心2", "至核心2(新)")
    diff = config_diff(old, new, "huawei_vrp")
    assert diff.startswith("--- previous\n+++ current\n")
    assert "VrpLocalUserHash0104" not in diff and "VrpRotatedHash9999" not in diff
    assert f"+ local-user netops-zhang password irreversible-cipher {MASK}(changed)" in diff
    assert "+ description 至核心2(新)" in diff
    assert config_diff(old, old) == ""


def test_diff_of_all_fixture_pairs_leaks_nothing() -> None:
    texts = [p.read_text(encoding="utf-8") for p in CONFIG_FILES]
    for old, new in zip(texts, texts[1:], strict=False):
        diff = config_diff(old, new)
        assert [s for s in FIXTURE_SECRETS if s in diff] == []
