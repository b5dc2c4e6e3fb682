"""Vendor identification (sysObjectID enterprise number) and sysDescr parsing."""

from __future__ import annotations

import pytest

from collectors import vendors

ENTERPRISES = {
    "huawei": 2011, "h3c": 25506, "ruijie": 4881, "zte": 3902, "maipu": 5651, "sangfor": 35047,
    "hillstone": 28557, "dptech": 31648, "cisco": 9, "juniper": 2636, "fortinet": 12356, "paloalto": 25461,
    "netsnmp": 8072,
}  # fmt: skip


@pytest.mark.parametrize(("slug", "number"), ENTERPRISES.items())
def test_every_domain_vendor_is_identified_by_enterprise(slug: str, number: int) -> None:
    vendor = vendors.identify(f"1.3.6.1.4.1.{number}.1.2.3")
    assert vendor is not None and vendor.slug == slug


def test_identification_edge_cases() -> None:
    assert vendors.identify(".1.3.6.1.4.1.2011.2.23.96").slug == "huawei"  # type: ignore[union-attr]
    assert vendors.identify("1.3.6.1.4.1.2011.2.62.2.9").slug == "huawei"  # type: ignore[union-attr]  # NE40E-X8
    assert vendors.identify("1.3.6.1.4.1.2011.10.1.88").slug == "h3c"  # type: ignore[union-attr]  # Huawei-3Com
    assert vendors.identify("1.3.6.1.4.1.99999.1", "Ruijie 10G Routing Switch").slug == "ruijie"  # type: ignore[union-attr]
    assert vendors.identify("1.3.6.1.4.1.99999.1", "some box") is None
    assert vendors.identify(None) is None
    assert vendors.enterprise_number("1.3.6.1.2.1.1") is None


@pytest.mark.parametrize(
    ("slug", "descr", "model", "version"),
    [
        ("huawei", "VRP (R) software, Version 8.180 (CE6850 V200R019C10SPC800)", "CE6850", "V200R019C10SPC800"),
        # VRP8 on an NE router: the bracket has the series, the last line the model (trailing blanks as sent)
        ("huawei", "Huawei Versatile Routing Platform Software \r\nVRP (R) software, Version 8.180 (NE40E "
         "V800R011C00SPC200) \r\nCopyright (C) 2012-2018 Huawei Technologies Co., Ltd. \r\nHUAWEI NE40E-X8 \r\n",
         "NE40E-X8", "V800R011C00SPC200"),
        ("huawei", "S5720-28X-SI-AC\r\nHuawei Versatile Routing Platform Software\r\n VRP (R) software,Version 5.170 "
         "(S5720 V200R011C10SPC600)", "S5720-28X-SI-AC", "V200R011C10SPC600"),
        ("h3c", "H3C Comware Platform Software, Software Version 7.1.070, Release 6728P22\r\nH3C S6800-54QF\r\n",
         "S6800-54QF", "7.1.070 Release 6728P22"),
        ("ruijie", "Ruijie Full Layer 3 Switch(S5750-48GT4XS-E) By Ruijie Networks.\r\nRGOS 11.4(1)B12P11",
         "S5750-48GT4XS-E", "11.4(1)B12P11"),
        ("cisco", "Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 15.0(2)SE11, RELEASE",
         None, "15.0(2)SE11"),
        ("juniper", "Juniper Networks, Inc. ex4300-48t Ethernet Switch, kernel JUNOS 18.4R2-S3, Build date",
         "ex4300-48t", "18.4R2-S3"),
        ("hillstone", "Hillstone Networks StoneOS software, Version 5.5R6P3 SG-6000-E3960", "SG-6000-E3960", "5.5R6P3"),
        ("netsnmp", "Linux kf-bastion 6.1.0-18-amd64 #1 SMP x86_64", None, "6.1.0-18-amd64"),
        ("sangfor", None, None, None),
    ],
)  # fmt: skip
def test_sys_descr_parsing(slug: str, descr: str | None, model: str | None, version: str | None) -> None:
    assert vendors.parse_sys_descr(slug, descr) == vendors.DescrFacts(model, version)
