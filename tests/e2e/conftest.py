"""The browser the end-to-end tests share: one headless Chromium for the session, pointed at the live server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.browser import Browser, start_browser


@pytest.fixture(scope="session")
def browser_session(live_server: Any) -> Iterator[Browser]:
    # Depends on the live server so that Chromium quits first: its idle keep-alive connections would otherwise end
    # after the server released the shared test database, and each ending request thread would raise.
    yield from start_browser()


@pytest.fixture
def browser(browser_session: Browser, live_server: Any) -> Iterator[Browser]:
    browser_session.base_url = live_server.url
    browser_session.console_errors()  # drain what earlier tests left
    yield browser_session
    errors = browser_session.console_errors()
    # Leave no page open: an auto-refreshing board would keep calling the live server while the next test
    # flushes the database, or after the live server is gone.
    browser_session.driver.get("about:blank")
    assert errors == []
