"""Signing in and the branch home, in Chromium, as the people who use them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from .browser import DESKTOP, PHONE, Viewport, check_screen, page_weight
from .conftest import OTHER_SECRETARY, SECRETARY, VIEWPORTS, SignIn


def test_opening_the_app_leads_to_the_sign_in_with_the_demo_roles_marked_as_such(
    browser: Browser, web_url: str
) -> None:
    context = browser.new_context(viewport=PHONE.as_dict(), base_url=web_url)
    page = context.new_page()
    page.goto("/")
    expect(page).to_have_url(f"{web_url}/sign-in")
    expect(page.get_by_role("heading", name="Đăng nhập thử (dữ liệu mẫu)")).to_be_visible()
    expect(page.get_by_role("button", name=SECRETARY)).to_be_visible()
    check_screen(page, "sign-in", PHONE)
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
def test_the_secretary_lands_on_the_branch_home_with_members_by_name(
    sign_in: SignIn, viewport: Viewport
) -> None:
    page = sign_in(SECRETARY, viewport)
    expect(page).to_have_url(re.compile(r"/branches/VL-TT$"))
    expect(page.get_by_role("heading", name="Chi bộ thị tứ Võ Lao", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Đảng viên (41)")).to_be_visible()
    # Names, never ids: no 32-hex id anywhere in the text people read.
    body = page.locator("main").inner_text()
    assert not any(len(w) == 32 and all(c in "0123456789abcdef" for c in w) for w in body.split())
    check_screen(page, "branch-home", viewport)


def test_a_secretary_of_another_branch_sees_none_of_vo_lao(sign_in: SignIn, web_url: str) -> None:
    page = sign_in(OTHER_SECRETARY, DESKTOP)
    page.goto("/branches/VL-TT")
    expect(page.get_by_role("alert")).to_contain_text("không có quyền")
    assert "Chi bộ thị tứ Võ Lao" not in page.locator("main").inner_text()


def test_signing_out_ends_the_session(sign_in: SignIn, web_url: str) -> None:
    page = sign_in(SECRETARY, DESKTOP)
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(f"{web_url}/sign-in")
    page.goto("/branches/VL-TT")
    expect(page).to_have_url(re.compile(r"/sign-in"))


def test_the_branch_home_is_light_enough_for_a_slow_mobile_link(sign_in: SignIn) -> None:
    """The heaviest page a secretary opens daily: everything it loads, compressed."""
    page = sign_in(SECRETARY, PHONE)
    weight = page_weight(page, "/branches/VL-TT")
    print(f"branch home: {weight / 1024:.1f} kB on the wire with a cold cache")
    assert weight < 100 * 1024


def test_english_is_one_tap_away_and_stays_chosen(sign_in: SignIn) -> None:
    page = sign_in(SECRETARY, PHONE)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Members (41)")).to_be_visible()
    page.reload()
    expect(page.get_by_role("button", name="Tiếng Việt")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
