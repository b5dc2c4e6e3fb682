from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.lab_fixture import RunningLab, kaifu_lab  # noqa: F401


@pytest.fixture
def lab(kaifu_lab: RunningLab) -> Iterator[RunningLab]:  # noqa: F811
    """The shared Kaifu lab, healed after the test."""
    yield kaifu_lab
    if kaifu_lab.has_faults():
        kaifu_lab.heal()
