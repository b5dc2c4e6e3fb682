"""Debian's headless Chromium driven by Selenium through Debian's chromedriver (no browser downloads).

One browser per test session; every page visit is checked for JavaScript console errors, and screenshots go to
test-artifacts/ (gitignored) for people to look at.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
    "--lang=zh-CN",
)


class Browser:
    """A thin layer over the WebDriver: open pages on the live server, wait, check the console, screenshot."""

    def __init__(self, driver: webdriver.Chrome) -> None:
        self.driver = driver
        self.base_url = ""

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def find(self, css: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css: str) -> str:
        return self.find(css).text.strip()

    def wait_for(self, condition: Any, timeout: float = 10) -> Any:
        # Elements go stale while a click navigates: keep polling through that instead of failing.
        ignored = (StaleElementReferenceException, NoSuchElementException)
        wait = WebDriverWait(self.driver, timeout, poll_frequency=0.1, ignored_exceptions=ignored)
        return wait.until(lambda _driver: condition())

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def console_errors(self) -> list[str]:
        """SEVERE console entries since the last call (the log is drained on every read)."""
        return [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def sign_in(self, username: str, password: str) -> None:
        self.driver.delete_all_cookies()
        self.open("/login/")
        self.find("#id_username").send_keys(username)
        self.find("#id_password").send_keys(password)
        self.find("#signin").click()
        self.wait_for(lambda: "/login/" not in self.driver.current_url)


def start_browser() -> Iterator[Browser]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        raise RuntimeError("Debian chromium and chromium-driver are needed: apt-get install chromium chromium-driver")
    profile = tempfile.mkdtemp(prefix="yunwang-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # A Chinese desktop's browser: Accept-Language zh-CN (headless ignores --lang for the header).
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    try:
        yield Browser(driver)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
