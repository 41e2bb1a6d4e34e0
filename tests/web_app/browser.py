"""Real Chromium (Debian's, installed by the test command) driven by Playwright, and what
every screen is held to: no serious or critical axe-core violation, nothing scrolling
sideways on a 360-pixel phone, a screenshot at phone and desktop size for people to look at."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Response, ViewportSize

ROOT = Path(__file__).parents[2]
AXE = ROOT / "services/web/assets/node_modules/axe-core/axe.min.js"
# Not committed (build/ is ignored); the test run leaves the last screenshots here.
SCREENSHOTS = ROOT / "build" / "screenshots"


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Debian's chromium is missing: ./chibo test installs it (tools/chromium/fetch)"
    return found


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int

    def as_dict(self) -> ViewportSize:
        return {"width": self.width, "height": self.height}


PHONE = Viewport("phone", 360, 740)
DESKTOP = Viewport("desktop", 1280, 900)


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA rules on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def scrolls_sideways(page: Page) -> bool:
    return bool(
        page.evaluate(
            "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
    )


def screenshot(page: Page, name: str, viewport: Viewport) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{viewport.name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_screen(page: Page, name: str, viewport: Viewport) -> None:
    """What every screen must pass, at the size it is shown."""
    assert serious_violations(page) == [], f"{name} at {viewport.name} size"
    assert not scrolls_sideways(page), f"{name} scrolls sideways at {viewport.name} size"
    screenshot(page, name, viewport)


def page_weight(page: Page, path: str) -> int:
    """Bytes on the wire (compressed bodies and headers) to open `path` with a cold cache."""
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    responses: list[Response] = []

    def seen(response: Response) -> None:
        responses.append(response)

    page.on("response", seen)
    page.goto(path, wait_until="networkidle")
    page.remove_listener("response", seen)
    total = 0
    for response in responses:
        sizes = response.request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total
