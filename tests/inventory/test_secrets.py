from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from inventory import models as m
from inventory.secrets import MASK, Secret

COMMUNITY = "kf-Sup3r-s3cret-community"
SSH_PASSWORD = "Huawei@Lab#2026"


@pytest.fixture
def profile(db: None) -> m.CredentialProfile:
    return m.CredentialProfile.objects.create(
        name="county-a", snmp_version="2c", snmp_community=COMMUNITY, ssh_username="netops", ssh_password=SSH_PASSWORD
    )


def test_secret_is_encrypted_in_the_database_row(profile: m.CredentialProfile) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM inventory_credentialprofile WHERE id = %s", [profile.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert COMMUNITY not in row
    assert SSH_PASSWORD not in row
    loaded = m.CredentialProfile.objects.get(pk=profile.pk)
    assert loaded.snmp_community.reveal() == COMMUNITY
    assert loaded.ssh_password.reveal() == SSH_PASSWORD


def test_secret_never_prints(profile: m.CredentialProfile) -> None:
    loaded = m.CredentialProfile.objects.get(pk=profile.pk)
    for text in (str(loaded.snmp_community), repr(loaded.snmp_community), f"{loaded.ssh_password}", repr(vars(loaded))):
        assert COMMUNITY not in text and SSH_PASSWORD not in text
    assert str(loaded.snmp_community) == MASK


def test_change_record_masks_secrets(profile: m.CredentialProfile) -> None:
    loaded = m.CredentialProfile.objects.get(pk=profile.pk)
    loaded.snmp_community = Secret("another-secret-value")
    loaded.save()
    dumped = str(list(m.ChangeRecord.objects.values_list("changes", flat=True)))
    assert COMMUNITY not in dumped and "another-secret-value" not in dumped and SSH_PASSWORD not in dumped
    assert m.ChangeRecord.objects.latest("id").changes == {"snmp_community": [MASK, MASK]}


def test_secret_file_reference(db: None, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "community"
    path.write_text("from-a-file\n", encoding="utf-8")
    saved = m.CredentialProfile.objects.create(name="file-ref", snmp_community=f"file:{path}")
    loaded = m.CredentialProfile.objects.get(pk=saved.pk)
    assert loaded.snmp_community.reveal() == "from-a-file"


def test_admin_page_never_renders_secrets(profile: m.CredentialProfile) -> None:
    User.objects.create_superuser("root", "root@example.gov.cn", "pw-Root-123")
    client = Client()
    client.login(username="root", password="pw-Root-123")
    for url in ("/admin/inventory/credentialprofile/", f"/admin/inventory/credentialprofile/{profile.pk}/change/"):
        body = client.get(url).content.decode()
        assert COMMUNITY not in body and SSH_PASSWORD not in body
        assert "county-a" in body
    history = client.get("/admin/inventory/changerecord/").content.decode()
    assert COMMUNITY not in history


def test_admin_blank_secret_keeps_stored_value(profile: m.CredentialProfile) -> None:
    User.objects.create_superuser("root", "root@example.gov.cn", "pw-Root-123")
    client = Client()
    client.login(username="root", password="pw-Root-123")
    form = {"name": "county-a", "snmp_version": "2c", "snmp_community": "", "snmp_v3_user": "", "ssh_username": "ops2"}
    form |= {"snmp_v3_auth_proto": "", "snmp_v3_priv_proto": "", "ssh_password": "", "ssh_port": "22"}
    form |= {"snmp_v3_auth_key": "", "snmp_v3_priv_key": ""}
    response = client.post(f"/admin/inventory/credentialprofile/{profile.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    loaded = m.CredentialProfile.objects.get(pk=profile.pk)
    assert loaded.ssh_username == "ops2"
    assert loaded.snmp_community.reveal() == COMMUNITY
    assert loaded.ssh_password.reveal() == SSH_PASSWORD
