"""The year's plan and the sheet imports, in Chromium, as the Võ Lao secretary uses them: the
2026 plan (drafted here if it is not yet), its sheet downloaded, filled in with openpyxl and
uploaded, a bad row named until it is fixed, households given on screen, the member list
imported as a job. Only 2026 is written; the member import adds nobody."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from .browser import DESKTOP, PHONE, check_screen
from .conftest import OTHER_SECRETARY, SECRETARY, VIEWPORTS, SignIn

YEAR = 2026
PLAN = f"/branches/VL-TT/plans/{YEAR}"
PLAN_FILE_LABEL = "Tệp phân công (.xlsx hoặc .csv)"
MEMBER_FILE_LABEL = "Tệp danh sách đảng viên (.xlsx hoặc .csv)"
HEADERS = ["Họ và tên", "Số thẻ đảng viên", "Hộ phụ trách", "Nhóm hộ", "Tuyến đường", "Nhiệm vụ"]
JOB_SECONDS = 30
LEAD_TASK = "Lãnh đạo chung, hướng dẫn, giúp đỡ đảng viên"  # the demo area's task


def plan_page(page: Page) -> Page:
    """The 2026 plan page, the plan drafted first if there is none yet."""
    page.goto("/branches/VL-TT/plans")
    expect(page).to_have_url(re.compile(f"{PLAN}$"))
    draft = page.get_by_role("button", name=f"Lập kế hoạch năm {YEAR}")
    if draft.count():
        draft.click()
    expect(page.locator("#coverage-households")).to_be_visible()
    return page


def figures(page: Page) -> tuple[int, int]:
    """(members given households, households looked after), as the plan page shows them."""
    plan_page(page)
    members = page.locator("#coverage-members").inner_text().split("/")[0]
    households = page.locator("#coverage-households").inner_text().split("/")[0]
    return int(members), int(households)


def download(page: Page, link: str, to: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    info.value.save_as(to)
    return to


def upload(page: Page, label: str, sheet: Path) -> None:
    page.get_by_label(label).set_input_files(str(sheet))
    page.get_by_role("button", name="Tải lên").click()


def fill_plan_sheet(sheet_path: Path, members: int, each: int) -> tuple[list[str], int, str]:
    """Gives `each` free households to `members` rank-and-file members holding none, the
    last of them also a household that does not exist. (their names, that row, its cell)"""
    book = load_workbook(sheet_path)
    sheet, lists = book["Phân công"], book["Danh mục"]
    assert [c.value for c in sheet[1]][:6] == HEADERS
    free = [r[1] for r in lists.iter_rows(min_row=2, values_only=True) if r[0] == "Hộ" and not r[3]]
    rows = [r for r in sheet.iter_rows(min_row=2) if not r[2].value and not r[6].value]
    assert len(rows) >= members
    assert len(free) >= members * each
    names = []
    for index, row in enumerate(rows[:members]):
        row[2].value = ", ".join(free[index * each : (index + 1) * each])
        names.append(str(row[0].value))
    bad = rows[members - 1][2]
    good_cell = str(bad.value)
    bad.value = f"{good_cell}, h999"
    book.save(sheet_path)
    return names, bad.row, good_cell


def test_a_filled_sheet_with_a_bad_row_is_refused_naming_it_then_taken_once_fixed(
    sign_in: SignIn, tmp_path: Path
) -> None:
    page = plan_page(sign_in(SECRETARY, DESKTOP))
    members_before, households_before = figures(page)
    sheet = download(page, "Tải bảng mẫu để điền", tmp_path / "phan-cong.xlsx")
    names, bad_row, good_cell = fill_plan_sheet(sheet, members=3, each=2)

    page.get_by_role("link", name="Nhập phân công từ Excel").click()
    upload(page, PLAN_FILE_LABEL, sheet)
    expect(page.locator("#import-progress")).to_have_attribute("value", "100")
    expect(page.get_by_role("alert")).to_contain_text("chưa lưu gì")
    refused = page.get_by_role("row").filter(has_text=f"Dòng {bad_row}")
    expect(refused).to_contain_text(names[-1])
    expect(refused).to_contain_text("Hộ không thuộc địa bàn chi bộ: h999")
    expect(page.locator("#import-status tbody tr")).to_have_count(1)
    check_screen(page, "plan-import-refused", DESKTOP)
    # The sheet was refused whole: the other rows recorded nothing either.
    assert figures(page.context.new_page()) == (members_before, households_before)

    book = load_workbook(sheet)
    book["Phân công"].cell(bad_row, 3).value = good_cell
    book.save(sheet)
    upload(page, PLAN_FILE_LABEL, sheet)  # same page: the form got a new key with the answer
    expect(page.get_by_role("status")).to_contain_text("Đã nhận")
    expect(page.locator("#import-progress")).to_have_attribute("value", "100")
    check_screen(page, "plan-import-taken", DESKTOP)

    assert figures(page) == (members_before + 3, households_before + 6)
    for name in names:
        expect(page.get_by_role("row").filter(has_text=name)).to_contain_text("2 hộ")


def test_the_plan_page_and_a_refused_sheet_read_well_on_phone_and_desktop(
    sign_in: SignIn, tmp_path: Path
) -> None:
    for viewport in VIEWPORTS:
        page = plan_page(sign_in(SECRETARY, viewport))
        check_screen(page, "plan", viewport)
        sheet = tmp_path / f"khong-co-the-{viewport.name}.csv"
        sheet.write_text("Số thẻ đảng viên,Hộ phụ trách\n1234567,h001\n", encoding="utf-8")
        page.goto(f"{PLAN}/import")
        upload(page, PLAN_FILE_LABEL, sheet)
        refused = page.get_by_role("row").filter(has_text="Dòng 2")
        expect(refused).to_contain_text("Không có đảng viên đang sinh hoạt ở chi bộ với số thẻ")
        check_screen(page, "plan-import-result", viewport)


def test_households_are_given_on_screen_and_a_taken_one_is_refused_by_name(
    sign_in: SignIn,
) -> None:
    page = plan_page(sign_in(SECRETARY, DESKTOP))
    idle = page.locator("tbody tr").filter(has_text="chưa có").filter(has_not_text="Miễn sinh hoạt")
    first, second = idle.nth(0), idle.nth(1)
    first_name = first.locator("td").first.inner_text()
    second_name = second.locator("td").first.inner_text()

    first.get_by_role("link", name=f"Giao hộ cho {first_name}").click()
    boxes = page.locator("fieldset").first.locator("input[type=checkbox]:not([disabled])")
    chosen = [boxes.nth(i).evaluate("b => b.labels[0].innerText") for i in range(2)]
    for label in chosen:
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Lưu phân công").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã lưu phân công của {first_name}")
    for label in chosen:
        expect(page.get_by_role("row").filter(has_text=first_name)).to_contain_text(label)

    page.get_by_role("link", name=f"Giao hộ cho {second_name}").click()
    page.get_by_text("Hộ đã có người khác phụ trách").click()
    page.get_by_label(f"{chosen[0]} ({first_name})", exact=True).check()
    page.get_by_role("button", name="Lưu phân công").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("hộ đã có đảng viên phụ trách")
    expect(alert).to_contain_text(f"{chosen[0]} ({first_name})")
    check_screen(page, "plan-member-refused", DESKTOP)


def test_a_task_is_given_on_screen_on_a_phone_and_shows_on_the_plan(sign_in: SignIn) -> None:
    page = plan_page(sign_in(SECRETARY, PHONE))
    rows = page.locator("tbody tr").filter(has_not_text=LEAD_TASK)
    row = rows.filter(has_not_text="Miễn sinh hoạt").first
    name = row.locator("td").first.inner_text()
    row.get_by_role("link", name=f"Giao hộ cho {name}").click()

    save = page.get_by_role("button", name="Lưu nhóm hộ, tuyến đường, nhiệm vụ")
    save.click()  # nothing chosen: refused on the form, in Vietnamese
    expect(page.get_by_role("alert")).to_contain_text("Hãy chọn ít nhất một nhóm hộ")
    check_screen(page, "plan-member-duties-refused", PHONE)

    page.get_by_label(f"Nhiệm vụ: {LEAD_TASK}").check()
    save.click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã lưu phân công của {name}")
    expect(page.get_by_role("row").filter(has_text=name)).to_contain_text(LEAD_TASK)

    page.get_by_role("row").filter(has_text=name).get_by_role("link").click()
    given = page.get_by_label(f"Nhiệm vụ: {LEAD_TASK} (đang phụ trách)")
    expect(given).to_be_checked()
    expect(given).to_be_disabled()
    check_screen(page, "plan-member-duties", PHONE)


def test_the_member_list_imports_as_a_job_and_names_its_bad_row(
    sign_in: SignIn, tmp_path: Path
) -> None:
    page = sign_in(SECRETARY, DESKTOP)
    page.goto("/branches/VL-TT/members/import")
    sheet = download(page, "Tải bảng mẫu đã ghi sẵn đảng viên của chi bộ", tmp_path / "dv.xlsx")
    book = load_workbook(sheet)
    members = book["Đảng viên"]
    listed = members.max_row - 1
    for (birth,) in members.iter_rows(min_row=2, min_col=2, max_col=2):
        birth.value = "08/03/1975"  # every demo member's, so each row is unchanged
    members.append(["Nguyễn Thị Thử", "31/02/1980", "19/05/2010", "9912345", "VL-TT"])
    book.save(sheet)

    upload(page, MEMBER_FILE_LABEL, sheet)
    progress = page.locator("#import-progress")
    expect(progress).to_have_attribute("value", "100", timeout=JOB_SECONDS * 1000)
    expect(page.get_by_role("status")).to_contain_text(f"0 dòng ghi mới, {listed} dòng không đổi")
    refused = page.get_by_role("row").filter(has_text=f"Dòng {listed + 2}")
    expect(refused).to_contain_text("không có trên lịch")
    check_screen(page, "member-import-result", DESKTOP)


def test_without_javascript_the_uploads_answer_with_whole_pages(
    browser: Browser, web_url: str, tmp_path: Path
) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=web_url)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name=SECRETARY).click()
    page.wait_for_url(lambda url: "/sign-in" not in url)
    plan_page(page)
    sheet = tmp_path / "khong-co-the.csv"
    sheet.write_text("Số thẻ đảng viên,Hộ phụ trách\n1234567,h001\n", encoding="utf-8")
    page.goto(f"{PLAN}/import")
    upload(page, PLAN_FILE_LABEL, sheet)
    expect(page.get_by_role("row").filter(has_text="Dòng 2")).to_contain_text("số thẻ '1234567'")

    members = tmp_path / "dv.csv"
    members.write_text(
        "Họ và tên,Ngày sinh,Ngày vào Đảng,Số thẻ đảng viên,Chi bộ\n"
        "Nguyễn Thị Thử,31/02/1980,19/05/2010,9912345,VL-TT\n",
        encoding="utf-8",
    )
    page.goto("/branches/VL-TT/members/import")
    upload(page, MEMBER_FILE_LABEL, members)
    expect(page).to_have_url(re.compile(r"/branches/VL-TT/imports/[0-9a-f]{32}$"))
    deadline = time.monotonic() + JOB_SECONDS
    while page.locator("#import-progress").get_attribute("value") != "100":
        assert time.monotonic() < deadline, "the member import job did not finish"
        page.get_by_role("link", name="Xem tiến độ mới nhất").click()
    expect(page.get_by_role("row").filter(has_text="Dòng 2")).to_contain_text("không có trên lịch")
    context.close()


PAGES = [PLAN, f"{PLAN}/import", f"{PLAN}/template.xlsx", f"{PLAN}.csv"]


@pytest.mark.parametrize("path", [*PAGES, "/branches/VL-TT/members/import"])
def test_a_secretary_of_another_branch_sees_none_of_the_vo_lao_plan(
    sign_in: SignIn, path: str
) -> None:
    page = sign_in(OTHER_SECRETARY, DESKTOP)
    answer = page.request.get(path)
    assert answer.status == 403
    assert "Đảng viên 0" not in answer.text()
    assert "Chi bộ thị tứ Võ Lao" not in answer.text()


def test_the_plan_exports_with_vietnamese_headers(sign_in: SignIn) -> None:
    page = plan_page(sign_in(SECRETARY, DESKTOP))
    csv = page.request.get(f"{PLAN}.csv")
    assert csv.ok
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text().lstrip("\ufeff").splitlines()[0] == (
        'Họ và tên,Số hộ,Hộ phụ trách,"Nhóm hộ, tuyến đường, nhiệm vụ"'
    )
    xlsx = page.request.get(f"{PLAN}.xlsx")
    assert xlsx.ok
    assert xlsx.body()[:2] == b"PK"
