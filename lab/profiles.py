"""The lab profiles: how kaifu, linyi and scale:N lay out devices, links and sites on a Builder."""

from __future__ import annotations

from lab.areas import Area, children, kaifu_areas, linyi_areas
from lab.builder import Builder, Place
from lab.vendors import GE, ROLE_MODELS, TEN_GE

KAIFU_STREETS_USED = 13
KAIFU_COMMUNITIES_USED = 102
LINYI_VILLAGE_SHARE = 0.714
LINYI_COUNTY_ROUTER = "NE40E-X8"  # each county's aggregation router, uplinked at 10G to both city cores


def _village_kind(code: str) -> str:
    # Village-level code 001-199: community (社区); 200-399: village committee (村委会).
    return "community" if int(code[9:]) < 200 else "village_committee"


def _round_robin(groups: list[list[Area]], limit: int) -> list[list[Area]]:
    """Take up to `limit` items over the groups, one from each in turn, keeping each group's order."""
    taken: list[list[Area]] = [[] for _ in groups]
    total, depth = 0, 0
    while total < limit and any(depth < len(g) for g in groups):
        for i, g in enumerate(groups):
            if depth < len(g) and total < limit:
                taken[i].append(g[depth])
                total += 1
        depth += 1
    return taken


def _kaifu_centre(b: Builder, centre: str, code: str) -> None:
    loc = "湖南省长沙市开福区电子政务外网网络管理中心机房"
    dev = Place(code, centre, loc)
    b.add_device("KF-CORE-01", "S12708", "core", encoding="utf-8", v3=True, place=dev)
    b.add_device("KF-CORE-02", "S12708", "core", encoding="utf-8", place=dev)
    b.add_device("KF-FW-01", "USG6650E", "firewall", v3=True, place=dev)
    b.add_device("KF-GAP-01", "GAP-1000-GI", "isolation_gateway", place=dev)
    b.add_device("KF-VPN-01", "SSL VPN M5400", "vpn_gateway", place=dev)
    b.add_device("KF-FW-02", "SG-6000-E5660", "firewall", place=dev)
    b.add_device("KF-IPS-01", "SG-6000-NIPS-S1060", "ips", place=dev)
    b.add_device("KF-LB-01", "AD-1000-B2200", "load_balancer", place=dev)
    b.add_device("KF-DC-01", "CE6881-48S6CQ", "access", encoding="gbk", place=dev)
    b.vpn_gateway = "KF-VPN-01"
    b.link("KF-CORE-01", "KF-CORE-02", "core_interconnect", TEN_GE)
    b.link("KF-CORE-01", "KF-CORE-02", "core_interconnect", TEN_GE)
    b.link("KF-CORE-01", "KF-FW-01", "uplink", TEN_GE)
    b.link("KF-CORE-02", "KF-FW-01", "uplink", TEN_GE)
    b.link("KF-CORE-02", "KF-GAP-01", "uplink", GE)
    # Internet exit: load balancer -> IPS -> firewall -> core; the VPN gateway hangs off the exit firewall.
    b.link("KF-CORE-01", "KF-FW-02", "uplink", GE)
    b.link("KF-FW-02", "KF-IPS-01", "uplink", GE)
    b.link("KF-IPS-01", "KF-LB-01", "uplink", GE)
    b.link("KF-FW-02", "KF-VPN-01", "uplink", GE)
    b.link("KF-CORE-01", "KF-DC-01", "uplink", TEN_GE)
    b.link("KF-CORE-02", "KF-DC-01", "uplink", TEN_GE)
    b.add_site(centre, code, "data_centre", device="KF-CORE-01")


def _kaifu_aggregation_model(b: Builder, s: int) -> str:
    if s == KAIFU_STREETS_USED:
        return "WS-C3560X-48T"  # the one legacy Cisco of the district
    if s == 3:
        return "S5560X-30C-EI"  # an H3C on SNMPv3
    return b.pick_model(ROLE_MODELS["aggregation"])


def build_kaifu(b: Builder) -> None:
    areas = kaifu_areas()
    root = next(a for a in areas if a.code == "430105000000")
    _kaifu_centre(b, "开福区电子政务外网网络管理中心", root.code)
    # The district report counts 13 connected streets and 102 communities: with the real code table (16 streets,
    # 115 village-level units) that is exactly the 13 streets with the most communities, and all of theirs.
    by_size = sorted(children(areas, root.code), key=lambda s: (-len(children(areas, s.code)), s.code))
    streets = sorted(by_size[:KAIFU_STREETS_USED], key=lambda s: s.code)
    communities = _round_robin([children(areas, s.code) for s in streets], KAIFU_COMMUNITIES_USED)
    for s, (street, comms) in enumerate(zip(streets, communities, strict=True), start=1):
        agg = f"KF-AGG-{s:02d}"
        encoding = {1: "gbk", 2: "utf-8"}.get(s)
        loc = f"湖南省长沙市开福区{street.name}办事处三楼机房"
        b.add_device(
            agg,
            _kaifu_aggregation_model(b, s),
            "aggregation",
            Place(street.code, f"{street.name}办事处", loc),
            encoding=encoding,
            v3=s == 3,
        )
        b.link(agg, "KF-CORE-01", "uplink", GE)
        b.link(agg, "KF-CORE-02", "uplink", GE)
        b.add_site(f"{street.name}办事处", street.code, "township_government", device=agg)
        for v, comm in enumerate(comms, start=1):
            site = f"{street.name}{comm.name}"
            # Some communities (~1 in 7) have no line and join through the VPN gateway; never the first.
            if v > 1 and b.rng.random() < 0.15:
                b.add_site(site, comm.code, _village_kind(comm.code), vpn_account=f"kf{comm.code}")
                continue
            acc = f"KF-ACC-{s:02d}{v:02d}"
            b.add_device(
                acc,
                b.pick_model(ROLE_MODELS["access"]),
                "access",
                Place(comm.code, site, f"湖南省长沙市开福区{street.name}{comm.name}居委会弱电间"),
            )
            b.link(acc, agg, "access", GE)
            b.add_site(site, comm.code, _village_kind(comm.code), device=acc)


def _linyi_centre(b: Builder) -> None:
    code, centre = "371300000000", "临沂市电子政务外网中心"
    dev = Place(code, centre, "山东省临沂市电子政务外网中心机房")
    b.add_device("LY-CORE-01", "S12708", "core", v3=True, place=dev)
    b.add_device("LY-CORE-02", "S12708", "core", place=dev)
    b.add_device("LY-FW-01", "USG6650E", "firewall", place=dev)
    b.add_device("LY-VPN-01", "SSL VPN M5400", "vpn_gateway", place=dev)
    b.vpn_gateway = "LY-VPN-01"
    b.link("LY-CORE-01", "LY-CORE-02", "core_interconnect", TEN_GE)
    b.link("LY-CORE-01", "LY-FW-01", "uplink", TEN_GE)
    b.link("LY-FW-01", "LY-VPN-01", "uplink", GE)
    b.add_site(centre, code, "data_centre", device="LY-CORE-01")


def build_linyi(b: Builder) -> None:
    areas = linyi_areas()
    _linyi_centre(b)
    for c, county in enumerate(children(areas, "371300000000"), start=1):
        cdev = f"LY-{county.code[4:6]}-CORE"
        b.add_device(
            cdev,
            LINYI_COUNTY_ROUTER,
            "aggregation",
            Place(county.code, f"{county.name}电子政务外网中心", f"山东省临沂市{county.name}政务服务中心机房"),
            v3=c % 5 == 0,
        )
        b.link(cdev, "LY-CORE-01", "uplink", TEN_GE)
        b.link(cdev, "LY-CORE-02", "uplink", TEN_GE)
        b.add_site(f"{county.name}电子政务外网中心", county.code, "data_centre", device=cdev)
        for town in children(areas, county.code):
            _linyi_town(b, areas, county, town, cdev)


def _linyi_town(b: Builder, areas: list[Area], county: Area, town: Area, cdev: str) -> None:
    agg = f"LY-{town.code[4:9]}-AGG"
    site = f"{county.name}{town.name}政府"
    b.add_device(
        agg,
        b.pick_model(ROLE_MODELS["aggregation"]),
        "aggregation",
        Place(town.code, site, f"山东省临沂市{county.name}{town.name}政府机房"),
    )
    b.link(cdev, agg, "uplink", GE)
    b.add_site(site, town.code, "township_government", device=agg)
    for village in children(areas, town.code):
        # ~3,157 access units over 4,186 villages in the real table: not every village is one yet.
        if b.rng.random() > LINYI_VILLAGE_SHARE:
            continue
        vsite = f"{town.name}{village.name}"
        # Most villages join over the VPN platform (3,616 accounts in the real city); some have a line.
        if b.rng.random() < 0.65 or not b.free_port_exists(agg):
            b.add_site(vsite, village.code, _village_kind(village.code), vpn_account=f"ly{village.code}")
            continue
        acc = f"LY-{village.code[4:]}-ACC"
        b.add_device(
            acc,
            b.pick_model(ROLE_MODELS["access"]),
            "access",
            Place(village.code, vsite, f"山东省临沂市{county.name}{town.name}{village.name}便民服务中心"),
        )
        b.link(acc, agg, "access", GE)
        b.add_site(vsite, village.code, _village_kind(village.code), device=acc)


def build_scale(b: Builder, n: int) -> None:
    """n devices: a core pair, aggregation switches (the first 50 on the cores, later ones under earlier ones),
    20 access switches under each aggregation switch."""
    towns = [a for a in linyi_areas() if a.code.endswith("000") and not a.code.endswith("000000")]
    code = "371300000000"
    dev = Place(code, "临沂市电子政务外网中心", "山东省临沂市电子政务外网中心机房")
    b.add_device("SC-CORE-01", "S12708", "core", place=dev)
    b.add_device("SC-CORE-02", "S12708", "core", place=dev)
    b.link("SC-CORE-01", "SC-CORE-02", "core_interconnect", TEN_GE)
    b.add_site(dev.site, code, "data_centre", device="SC-CORE-01")
    aggs: list[str] = []
    access_left = 0
    for i in range(n - 2):
        if access_left == 0:
            k = len(aggs)
            town = towns[k % len(towns)]
            agg = f"SC-AGG-{k + 1:04d}"
            b.add_device(
                agg,
                b.pick_model(ROLE_MODELS["aggregation"]),
                "aggregation",
                Place(town.code, f"{town.name}政府", f"{town.name}政府机房"),
            )
            for parent in ("SC-CORE-01", "SC-CORE-02") if k < 50 else (aggs[(k - 50) // 4],):
                b.link(parent, agg, "uplink", GE)
            aggs.append(agg)
            access_left = 20
            continue
        agg, access_left = aggs[-1], access_left - 1
        acc = f"SC-ACC-{i + 1:05d}"
        b.add_device(
            acc,
            b.pick_model(ROLE_MODELS["access"]),
            "access",
            Place(b.devices[agg].area_code, f"接入点{i + 1:05d}", f"接入点{i + 1:05d}弱电间"),
        )
        b.link(acc, agg, "access", GE)
        b.add_site(f"接入点{i + 1:05d}", b.devices[agg].area_code, "department", device=acc)
