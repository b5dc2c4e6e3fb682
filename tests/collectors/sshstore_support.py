"""Helpers for the sshstore tests: recorded CLI sessions in a writable copy, and the secrets of a config."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from collectors.masking import mask_config
from collectors.records import Target
from collectors.ssh.testing import FixtureSession
from inventory.models import ComplianceResult, ConfigBackup

SSH_FIXTURES = Path(__file__).parent / "fixtures" / "ssh"


def copy_case(case: str, dest: Path) -> Path:
    """A writable copy of a recorded SSH case ("huawei_vrp/core_switch"), so a test can change the device."""
    shutil.copytree(SSH_FIXTURES / case, dest)
    return dest


def replay(folders: dict[str, Path]) -> Callable[[str, Target], FixtureSession]:
    """A session factory for the SSH driver: each host answers from its own fixture folder."""

    def factory(device_type: str, target: Target) -> FixtureSession:
        return FixtureSession(folders[target.host])

    return factory


def secrets_of(raw: str, platform: str | None) -> set[str]:
    """Every word the masking hides: words of a raw line that its masked line no longer has (at least 4 chars,
    so that no common word like "v3" counts)."""
    found: set[str] = set()
    for before, after in zip(raw.splitlines(), mask_config(raw, platform).splitlines(), strict=True):
        if before != after:
            found |= {w for w in before.split() if len(w) >= 4 and w not in after.split()}
    return found


def stored_text() -> str:
    """Everything the SSH store wrote that a person can see: backups, diffs, compliance evidence."""
    parts = [b.text + b.diff for b in ConfigBackup.objects.all()]
    parts += [r.evidence for r in ComplianceResult.objects.all()]
    return "\n".join(parts)


def leaked(secrets: set[str], text: str) -> set[str]:
    return {s for s in secrets if s in text}
