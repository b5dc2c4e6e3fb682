"""Load the intended inventory that matches a lab topology: areas, sites, device types/platforms/roles,
devices with their management address and credentials profile, planned links (with their two interfaces) and
VPN accounts. Idempotent: what already exists (by natural key) is left as it is. Every row created leaves a
ChangeRecord (actor ``lab:load``), as every inventory write must.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.text import slugify

from inventory import models as m
from inventory.changelog import acting_as, diff, record_changes, snapshot
from inventory.models.areas import kind_of, level_of
from lab import areas as lab_areas
from lab.snmpserve import ENTERPRISE
from lab.topology import LabDevice, Topology

ACTOR = "lab:load"
MANUFACTURERS = {"huawei": "Huawei", "h3c": "H3C", "ruijie": "Ruijie", "cisco": "Cisco", "hillstone": "Hillstone",
                 "sangfor": "Sangfor"}  # fmt: skip
# netmiko device types; plain "huawei" would make netmiko's TextFSM parsing return raw text for VRP.
NETMIKO = {"huawei_vrp": "huawei_vrp", "h3c_comware": "hp_comware", "ruijie_rgos": "ruijie_os",
           "cisco_ios": "cisco_ios", "hillstone_stoneos": "hillstone_stoneos", "sangfor_os": ""}  # fmt: skip
NAPALM = {"cisco_ios": "ios"}  # the community Huawei/H3C napalm drivers are not used (see docs/ssh.md)
SITE_KIND = {
    "data_centre": m.SiteKind.NETWORK_CENTRE,
    "township_government": m.SiteKind.TOWNSHIP_GOVERNMENT,
    "community": m.SiteKind.COMMUNITY_COMMITTEE,
    "village_committee": m.SiteKind.VILLAGE_COMMITTEE,
    "department": m.SiteKind.DEPARTMENT_OFFICE,
}

M = TypeVar("M", bound=models.Model)


def _create(model: type[M], objs: Sequence[M]) -> list[M]:
    """bulk_create plus the ChangeRecords that Model.save would have written."""
    created = model._default_manager.bulk_create(objs, batch_size=500)
    # diff() masks encrypted fields: a secret never reaches the change log.
    record_changes([(obj, "create", diff(None, snapshot(obj), model)) for obj in created], ACTOR)
    return created


def _areas(topo: Topology) -> list[lab_areas.Area]:
    if topo.profile == "kaifu":
        return lab_areas.kaifu_areas()
    return lab_areas.linyi_areas()


def load_areas(topo: Topology) -> int:
    have = set(m.Area.objects.values_list("code", flat=True))
    new = [
        m.Area(code=a.code, name=a.name, parent_id=a.parent_code, level=level_of(a.code), kind=kind_of(a.code))
        for a in sorted(_areas(topo), key=lambda a: a.code)
        if a.code not in have
    ]
    # Parents sort before children (shorter significant prefix, same digits): one bulk insert keeps FKs valid.
    new.sort(key=lambda a: (["province", "city", "county", "township", "village"].index(a.level), a.code))
    return len(_create(m.Area, new))


def _get_or_create(model: type[M], lookup: dict[str, Any], defaults: dict[str, Any]) -> M:
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults)
        obj.save()  # Tracked.save writes the ChangeRecord
    return obj


def _catalogue(topo: Topology) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Device types, platforms and roles by model / platform / role name."""
    makers = {
        v: _get_or_create(m.Manufacturer, {"name": name}, {"slug": slugify(name), "enterprise_number": ENTERPRISE[v]})
        for v, name in MANUFACTURERS.items()
        if any(d.vendor == v for d in topo.devices)
    }
    types, platforms, roles = {}, {}, {}
    for d in topo.devices:
        if d.model not in types:
            types[d.model] = _get_or_create(
                m.DeviceType,
                {"manufacturer": makers[d.vendor], "model": d.model},
                {"slug": slugify(f"{d.vendor}-{d.model}"), "sys_object_id": d.sys_object_id},
            )
        if d.platform not in platforms:
            platforms[d.platform] = _get_or_create(
                m.Platform,
                {"name": d.platform},
                {"slug": slugify(d.platform), "manufacturer": makers[d.vendor],
                 "netmiko_device_type": NETMIKO[d.platform], "napalm_driver": NAPALM.get(d.platform, "")},
            )  # fmt: skip
        if d.role not in roles:
            roles[d.role] = _get_or_create(m.DeviceRole, {"name": d.role}, {"slug": slugify(d.role)})
    return types, platforms, roles


def load_sites(topo: Topology) -> dict[tuple[str, str], Any]:
    """Every site of the topology, plus the sites devices stand in that are not access units of their own."""
    wanted: dict[tuple[str, str], str] = {(s.area_code, s.name): s.kind for s in topo.sites}
    for d in topo.devices:
        wanted.setdefault((d.area_code, d.site), "department")
    modes = {(s.area_code, s.name): s.access_mode for s in topo.sites}
    existing = {(s.area_id, s.name): s for s in m.Site.objects.filter(area_id__in={k[0] for k in wanted})}
    new = [
        m.Site(name=name, area_id=code, kind=SITE_KIND[kind], access_mode=modes.get((code, name), "dedicated"))
        for (code, name), kind in wanted.items()
        if (code, name) not in existing
    ]
    for site in _create(m.Site, new):
        existing[(site.area_id, site.name)] = site
    return existing


def _credentials(device: LabDevice) -> Any:
    profile = m.CredentialProfile(name=f"lab:{device.name}", ssh_username=device.ssh_username,
                                  ssh_password=device.ssh_password, ssh_port=device.ssh_port)  # fmt: skip
    if device.snmp_v3 is not None:
        user, auth_proto, auth_key, priv_proto, priv_key = device.snmp_v3
        profile.snmp_version = m.SnmpVersion.V3
        profile.snmp_v3_user, profile.snmp_v3_auth_proto, profile.snmp_v3_priv_proto = user, auth_proto, priv_proto
        profile.snmp_v3_auth_key, profile.snmp_v3_priv_key = auth_key, priv_key
    else:
        profile.snmp_version = m.SnmpVersion.V2C
        profile.snmp_community = device.snmp_community or ""
    return profile


def load_devices(topo: Topology, sites: dict[tuple[str, str], Any]) -> dict[str, Any]:
    types, platforms, roles = _catalogue(topo)
    existing = {d.name: d for d in m.Device.objects.filter(name__in=[d.name for d in topo.devices])}
    todo = [d for d in topo.devices if d.name not in existing]
    have_profiles = set(m.CredentialProfile.objects.filter(name__startswith="lab:").values_list("name", flat=True))
    profiles = {p.name: p for p in _create(m.CredentialProfile, [
        _credentials(d) for d in todo if f"lab:{d.name}" not in have_profiles])}  # fmt: skip
    profiles.update({p.name: p for p in m.CredentialProfile.objects.filter(name__in=[f"lab:{d.name}" for d in todo])})
    new = [
        m.Device(name=d.name, site=sites[(d.area_code, d.site)], role=roles[d.role], device_type=types[d.model],
                 platform=platforms[d.platform], management_ip=d.host, snmp_port=161,
                 credentials=profiles[f"lab:{d.name}"])
        for d in todo
    ]  # fmt: skip
    for device in _create(m.Device, new):
        existing[device.name] = device
    return existing


def load_links(topo: Topology, devices: dict[str, Any]) -> int:
    """Planned links with their two interfaces (created by name and ifIndex; polling fills in the rest)."""
    ends = {
        (e_dev, e_idx) for k in topo.links for e_dev, e_idx in ((k.a_device, k.a_if_index), (k.b_device, k.b_if_index))
    }
    ids = [devices[name].pk for name in {e[0] for e in ends}]
    have = {(i.device_id, i.if_index): i for i in m.Interface.objects.filter(device_id__in=ids, if_index__isnull=False)}
    new = []
    for name, if_index in sorted(ends):
        device = devices[name]
        if (device.pk, if_index) not in have:
            lab_if = topo.device(name).interface(if_index)
            new.append(m.Interface(device=device, if_index=if_index, name=lab_if.name, description=lab_if.descr,
                                   alias=lab_if.alias or "", type=lab_if.type, speed_bps=lab_if.speed_bps,
                                   monitored=True))  # fmt: skip
    for iface in _create(m.Interface, new):
        have[(iface.device_id, iface.if_index)] = iface
    linked = set(m.Link.objects.values_list("a_interface_id", flat=True)) | set(
        m.Link.objects.values_list("b_interface_id", flat=True)
    )
    links = []
    for k in topo.links:
        a, b = have[(devices[k.a_device].pk, k.a_if_index)], have[(devices[k.b_device].pk, k.b_if_index)]
        if a.pk not in linked and b.pk not in linked:
            links.append(m.Link(a_interface=a, b_interface=b, kind=k.kind, origin=m.LinkOrigin.PLANNED))
    return len(_create(m.Link, links))


def load_vpn_accounts(topo: Topology, sites: dict[tuple[str, str], Any], devices: dict[str, Any]) -> int:
    gateway = devices.get(topo.vpn_gateway) if topo.vpn_gateway else None
    have = set(m.VpnAccount.objects.values_list("account", flat=True))
    new = [
        m.VpnAccount(account=s.vpn_account, site=sites[(s.area_code, s.name)], gateway=gateway)
        for s in topo.sites
        if s.vpn_account and s.vpn_account not in have
    ]
    return len(_create(m.VpnAccount, new))


def load_topology(topo: Topology) -> dict[str, int]:
    """Create the intended inventory of `topo`; returns how many rows of each kind were created."""
    with transaction.atomic(), acting_as(ACTOR):
        counts = {"areas": load_areas(topo)}
        before = (m.Site.objects.count(), m.Device.objects.count())
        sites = load_sites(topo)
        devices = load_devices(topo, sites)
        counts["sites"] = m.Site.objects.count() - before[0]
        counts["devices"] = m.Device.objects.count() - before[1]
        counts["links"] = load_links(topo, devices)
        counts["vpn_accounts"] = load_vpn_accounts(topo, sites, devices)
    return counts
