"""Every demo role signs in and lands where its work is: a branch's home, the tree of the
units it oversees, or, for a member, their own year and their personal data."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .browser import PHONE, check_screen
from .conftest import SignIn

OVERSEEING = [
    "Đảng ủy xã Võ Lao",
    "Ban thường vụ Huyện ủy Văn Bàn",
    "Ủy ban Kiểm tra Tỉnh ủy Lào Cai",
    "Quản trị tỉnh",
]


@pytest.mark.parametrize("role", OVERSEEING)
def test_a_role_above_branches_reaches_vo_lao_through_the_tree(sign_in: SignIn, role: str) -> None:
    page = sign_in(role, PHONE)
    expect(page).to_have_url(re.compile(r"/units$"))
    page.get_by_role("link", name="Chi bộ thị tứ Võ Lao").click()
    expect(page.get_by_role("heading", name="Chi bộ thị tứ Võ Lao", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Đảng viên (41)")).to_be_visible()
    check_screen(page, f"units-{role.split()[0].lower()}", PHONE)


def test_a_member_sees_their_year_and_downloads_what_is_held_about_them(sign_in: SignIn) -> None:
    page = sign_in("Đảng viên Chi bộ thị tứ Võ Lao", PHONE)
    expect(page).to_have_url(re.compile(r"/me$"))
    page.get_by_label("Năm").select_option("2025")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_text("12/12").first).to_be_visible()
    expect(page.get_by_text("Hoàn thành tốt nhiệm vụ").first).to_be_visible()
    check_screen(page, "member-home", PHONE)
    with page.expect_download() as download:
        page.get_by_role("link", name="Sinh hoạt").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    # The attendance service's export of everything about them, under Vietnamese labels.
    assert book.sheetnames
    assert any(
        "Đảng viên" in str(cell.value) for row in book.worksheets[0].iter_rows() for cell in row
    )


def test_a_member_cannot_open_the_branch_home(sign_in: SignIn) -> None:
    page = sign_in("Đảng viên Chi bộ thị tứ Võ Lao", PHONE)
    page.goto("/branches/VL-TT")
    expect(page.get_by_role("alert")).to_contain_text("không có quyền")
