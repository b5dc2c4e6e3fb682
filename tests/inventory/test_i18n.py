from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client


def test_admin_is_zh_hans_by_default_and_english_on_request(db: None) -> None:
    User.objects.create_superuser("root", "root@example.gov.cn", "pw-Root-123")
    client = Client()
    client.login(username="root", password="pw-Root-123")
    zh = client.get("/admin/inventory/").content.decode()
    assert "资源台账" in zh and "接入单位" in zh and "业务系统" in zh
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    en = client.get("/admin/inventory/").content.decode()
    assert "Sites (access units)" in en and "Business systems" in en
    assert "接入单位" not in en


def test_every_catalogue_string_has_a_translation() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    block = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)
    for app in ("inventory", "dashboards"):
        po = (root / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
        untranslated = [m.group(1) for m in block.finditer(po) if m.group(1) != '""\n' and m.group(2) == '""\n']
        assert untranslated == [], (app, untranslated)
