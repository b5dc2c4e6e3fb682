from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inventory import models as m
from inventory.models.areas import kind_of, level_of, parent_code_of, prefix_of
from tests.inventory.factories import area_chain, device, kaifu_areas


@pytest.mark.parametrize(
    ("code", "level", "parent", "kind"),
    [
        ("430000000000", "province", None, ""),
        ("430100000000", "city", "430000000000", ""),
        ("430105000000", "county", "430100000000", ""),
        ("430105001000", "township", "430105000000", "street"),
        ("371302100000", "township", "371302000000", "town"),
        ("371302201000", "township", "371302000000", "township"),
        ("371302001001", "village", "371302001000", "community"),
        ("371302100201", "village", "371302100000", "village"),
        ("371302100450", "village", "371302100000", "similar"),
    ],
)
def test_code_derives_level_parent_and_kind(code: str, level: str, parent: str | None, kind: str) -> None:
    assert level_of(code) == level
    assert parent_code_of(code) == parent
    assert kind_of(code) == kind


def test_prefix_selects_subtree() -> None:
    assert prefix_of("371300000000") == "3713"
    assert prefix_of("371302001000") == "371302001"


@pytest.mark.parametrize("bad", ["43010500000", "4301050000000", "43010500000a", ""])
def test_bad_code_rejected(db: None, bad: str) -> None:
    with pytest.raises(ValidationError) as err:
        m.Area(code=bad, name="x").full_clean()
    assert "code" in err.value.message_dict


def test_parent_must_match_code(db: None) -> None:
    areas = kaifu_areas()
    wrong = m.Area(code="430105002000", name="望麓园街道", parent=areas["city"])
    with pytest.raises(ValidationError) as err:
        wrong.full_clean()
    assert "parent" in err.value.message_dict
    wrong.parent = areas["county"]
    wrong.full_clean()


def test_level_is_derived_on_save(db: None) -> None:
    areas = kaifu_areas()
    assert areas["street"].level == "township"
    assert areas["street"].kind == "street"


def test_subtree_is_a_prefix_query(db: None) -> None:
    kaifu_areas()
    area_chain(("440000000000", "广东省"))
    codes = set(m.Area.objects.subtree("430100000000").values_list("code", flat=True))
    assert codes == {"430100000000", "430105000000", "430105001000"}


def test_exclusion_needs_reason(db: None) -> None:
    street = kaifu_areas()["street"]
    street.exclusion = m.Exclusion.MERGED
    with pytest.raises(ValidationError) as err:
        street.full_clean()
    assert "exclusion_reason" in err.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Area.objects.filter(pk=street.pk).update(exclusion="merged", exclusion_reason="")


def test_exempt_system_needs_reason_in_clean_and_db(db: None) -> None:
    dept = m.Department.objects.create(name="市公安局")
    system = m.BusinessSystem(name="警务综合平台", department=dept, cloud_status=m.CloudStatus.EXEMPT)
    with pytest.raises(ValidationError) as err:
        system.full_clean()
    assert "exemption_reason" in err.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        system.save()


def test_classified_system_must_be_exempt(db: None) -> None:
    dept = m.Department.objects.create(name="市保密局")
    system = m.BusinessSystem(name="涉密办公", department=dept, classification=m.Classification.CLASSIFIED)
    with pytest.raises(ValidationError) as err:
        system.full_clean()
    assert "cloud_status" in err.value.message_dict


def _two_interfaces(db: None) -> tuple[m.Interface, m.Interface, m.Interface]:
    street = kaifu_areas()["street"]
    site = m.Site.objects.create(name="街道办", area=street)
    a = device("KF-AGG-01", site)
    b = device("KF-ACC-01", site, management_ip="127.20.0.2")
    ia = m.Interface.objects.create(device=a, name="GE0/0/1", if_index=1)
    ib = m.Interface.objects.create(device=b, name="GE0/0/1", if_index=1)
    ic = m.Interface.objects.create(device=b, name="GE0/0/2", if_index=2)
    return ia, ib, ic


def test_link_needs_two_distinct_interfaces(db: None) -> None:
    ia, _, _ = _two_interfaces(db)
    link = m.Link(a_interface=ia, b_interface=ia)
    with pytest.raises(ValidationError):
        link.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        link.save()


def test_interface_in_at_most_one_link(db: None) -> None:
    ia, ib, ic = _two_interfaces(db)
    m.Link.objects.create(a_interface=ia, b_interface=ib)
    reuse = m.Link(a_interface=ic, b_interface=ia)  # ia is already an A end elsewhere
    with pytest.raises(ValidationError) as err:
        reuse.full_clean()
    assert "b_interface" in err.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Link.objects.create(a_interface=ia, b_interface=ic)


# The database itself (constraints + the triggers of migration 0003) keeps one link per interface, for writes that
# never call full_clean: collectors, bulk code, raw SQL.


def test_interface_cannot_be_an_a_end_and_a_b_end(db: None) -> None:
    ia, ib, ic = _two_interfaces(db)
    m.Link.objects.create(a_interface=ia, b_interface=ib)
    with pytest.raises(IntegrityError, match="already in another link"), transaction.atomic():
        m.Link.objects.create(a_interface=ic, b_interface=ia)  # ia is the A end of the first link
    with pytest.raises(IntegrityError, match="already in another link"), transaction.atomic():
        m.Link.objects.create(a_interface=ib, b_interface=ic)  # ib is the B end of the first link
    assert m.Link.objects.count() == 1


def test_update_into_a_clash_is_refused(db: None) -> None:
    ia, ib, ic = _two_interfaces(db)
    i4 = m.Interface.objects.create(device=ic.device, name="GE0/0/3", if_index=3)
    m.Link.objects.create(a_interface=ia, b_interface=ib)
    second = m.Link.objects.create(a_interface=ic, b_interface=i4)
    with pytest.raises(IntegrityError, match="already in another link"), transaction.atomic():
        m.Link.objects.filter(pk=second.pk).update(b_interface=ia)
    second.a_interface = ib
    with pytest.raises(IntegrityError, match="already in another link"), transaction.atomic():
        second.save()
    assert m.Link.objects.filter(pk=second.pk, a_interface=ic, b_interface=i4).exists()


def test_moving_an_end_to_a_free_interface_works(db: None) -> None:
    ia, ib, ic = _two_interfaces(db)
    link = m.Link.objects.create(a_interface=ia, b_interface=ib)
    link.b_interface = ic
    link.save()
    m.Link.objects.filter(pk=link.pk).update(a_interface=ib, b_interface=ia)  # a row may reuse its own ends
    link.refresh_from_db()
    assert (link.a_interface, link.b_interface) == (ib, ia)
    m.Link.objects.filter(pk=link.pk).update(oper_up=True)  # status writes do not touch the ends


def test_deleted_link_frees_its_interfaces(db: None) -> None:
    ia, ib, ic = _two_interfaces(db)
    m.Link.objects.create(a_interface=ia, b_interface=ib).delete()
    m.Link.objects.create(a_interface=ib, b_interface=ia)
    m.Link.objects.filter(a_interface=ib).delete()
    m.Link.objects.bulk_create([m.Link(a_interface=ic, b_interface=ia)])
    assert list(m.Link.objects.values_list("a_interface", "b_interface")) == [(ic.pk, ia.pk)]


def test_active_device_needs_management_ip(db: None) -> None:
    site = m.Site.objects.create(name="x", area=kaifu_areas()["street"])
    role = m.DeviceRole.objects.create(name="core", slug="core")
    with pytest.raises(ValidationError) as err:
        m.Device(name="d", site=site, role=role, status=m.DeviceStatus.ACTIVE).full_clean()
    assert "management_ip" in err.value.message_dict
