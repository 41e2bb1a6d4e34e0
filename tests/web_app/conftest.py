"""The web app's browser tests run on the session's full demo run (`./chibo up`,
tests/demo_stack.py), signed in through the app's demo sign-in as a person would. They
write in 2026 only, so the demo's 2025 figures that other suites read stay as seeded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from demo_stack import Up
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from .browser import DESKTOP, PHONE, Viewport, chromium_path


@pytest.fixture(scope="session")
def web_url(demo_up: Up) -> str:
    """The app as `./chibo up` serves it, over the demo data."""
    return demo_up.service_url("web")


# Per module, not per session: while Playwright's sync API runs, its event loop is the
# thread's running loop, and the async tests after these (the demo's privacy probes) could
# not start theirs.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
    yield chromium
    chromium.close()


class SignIn:
    """Opens a fresh browser context (its own cookies) signed in as a demo role."""

    def __init__(self, browser: Browser, web_url: str) -> None:
        self.browser, self.web_url = browser, web_url
        self.contexts: list[BrowserContext] = []

    def __call__(self, role_label: str, viewport: Viewport = DESKTOP) -> Page:
        context = self.browser.new_context(
            viewport=viewport.as_dict(), base_url=self.web_url, locale="vi-VN"
        )
        self.contexts.append(context)
        page = context.new_page()
        page.goto("/")
        page.get_by_role("button", name=role_label).click()
        page.wait_for_url(lambda url: "/sign-in" not in url)
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def sign_in(browser: Browser, web_url: str) -> Iterator[SignIn]:
    opened = SignIn(browser, web_url)
    yield opened
    opened.close()


SECRETARY = "Bí thư Chi bộ thị tứ Võ Lao"
OTHER_SECRETARY = "Bí thư Chi bộ thôn Khe Có"
VIEWPORTS = [PHONE, DESKTOP]
