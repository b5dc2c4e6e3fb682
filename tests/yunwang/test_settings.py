"""Production settings: DEBUG off needs SECRET_KEY and ALLOWED_HOSTS, and then `check --deploy` is clean."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "YUNWANG_CREDENTIALS_KEY", "YUNWANG_CREDENTIALS_KEY_FILE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key() -> None:
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="yunwang.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY and ALLOWED_HOSTS must come from the environment" in result.stderr


def test_production_refuses_to_start_without_a_credentials_key() -> None:
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="yunwang.example.gov.cn", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "YUNWANG_CREDENTIALS_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    credentials_key = tmp_path / "credentials_key"
    credentials_key.write_text(Fernet.generate_key().decode(), encoding="utf-8")
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY_FILE=str(key_file),
        YUNWANG_CREDENTIALS_KEY_FILE=str(credentials_key), ALLOWED_HOSTS="yunwang.example.gov.cn",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
