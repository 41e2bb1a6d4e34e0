"""The monthly reports screen and the problems follow-up, in Chromium, as the Võ Lao
secretary enters November 2026's reports (the demo seeds 2023-2025 only), and as the other
branch's secretary, who must see none of it."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

import httpx
import pytest
from demo_stack import Up
from playwright.sync_api import Locator, Page, expect

from chibo_kernel.clock import VIETNAM

from .browser import DESKTOP, Viewport, check_screen
from .conftest import OTHER_SECRETARY, SECRETARY, VIEWPORTS, SignIn

BRANCH = "VL-TT"
MONTH = "2026-11"
MONTH_PAGE = f"/branches/{BRANCH}/reports/{MONTH}"


RAISED_IN_OCTOBER = "Nước sinh hoạt thiếu vào mùa khô"


@pytest.fixture(scope="module", autouse=True)
def plan_2026(demo_up: Up) -> None:
    """Who reports in 2026 comes from 2026's plan: the demo has none, so the secretary's
    2025 assignments are carried over through the API, for every member and household a
    plan screen's test has not already given. October's report of one member raises a
    problem for the problems screen to show."""
    headers = {"Authorization": f"Bearer {demo_up.token('branch_secretary')}"}
    base = f"{demo_up.service_url('assignment')}/v1/branches/{BRANCH}"
    with httpx.Client(base_url=base, headers=headers, trust_env=False, timeout=30) as api:
        plan = api.get("/plans/2026").raise_for_status().json()
        if plan["status"] == "none":
            api.post("/plans/2026", json={}).raise_for_status()
        held = {h["household_id"] for a in plan["assignments"] for h in a["households"]}
        holding = {a["member_id"] for a in plan["assignments"] if a["households"]}
        last_year = api.get("/plans/2025").raise_for_status().json()["assignments"]
        assignments = [
            {"member_id": a["member_id"], "household_ids": free}
            for a in last_year
            if a["member_id"] not in holding
            and (
                free := [
                    h["household_id"] for h in a["households"] if h["household_id"] not in held
                ]
            )
        ]
        if assignments:
            given = api.post("/plans/2026/assignments", json={"assignments": assignments})
            given.raise_for_status()
            plan = api.get("/plans/2026").raise_for_status().json()
        holder = next(a["member_id"] for a in plan["assignments"] if a["households"])
        report = {"member_id": holder, "situation": "Các hộ ổn định", "submitted_on": "2026-10-30"}
        report["problems"] = [RAISED_IN_OCTOBER]
        api.post("/reports/2026-10", json={"reports": [report]}).raise_for_status()


def reported(page: Page) -> tuple[int, int]:
    """The "35/37" figure: reports in, reports expected."""
    done, expected = page.locator("#reported").inner_text().split("/")
    return int(done), int(expected)


def sheet_members(page: Page, count: int) -> list[str]:
    """The first members on the sheet who have not reported yet, by name: of those with one
    report due (a member holding households and a task, as the plan screen's tests may have
    given, reports for each, under the same name)."""
    names = page.locator("form.sheet fieldset.report legend").all_inner_texts()
    # A task's report reads "Name · Nhiệm vụ: …"; its member's households' report "Name".
    single = [
        n for n in names if " · " not in n and not any(o.startswith(f"{n} · ") for o in names)
    ]
    assert len(single) >= count, names
    return single[:count]


def report_of(page: Page, name: str) -> Locator:
    """A member's report on the sheet of those not reported yet."""
    return page.locator("form.sheet").get_by_role("group", name=name, exact=True)


def test_the_secretary_enters_a_months_reports_on_one_screen_and_resolves_the_problem_raised(
    sign_in: SignIn,
) -> None:
    page = sign_in(SECRETARY, DESKTOP)
    page.goto(f"/branches/{BRANCH}/reports")
    expect(page).to_have_url(re.compile(r"/reports/\d{4}-\d{2}$"))
    page.goto(MONTH_PAGE)
    expect(page.get_by_role("heading", name="Báo cáo tháng 11/2026", level=1)).to_be_visible()
    before, expected = reported(page)
    first, second, third = sheet_members(page, 3)
    problem = f"Đường liên thôn sạt lở ({uuid.uuid4().hex[:6]})"

    report_of(page, first).get_by_label("Tình hình các hộ").fill("Các hộ ổn định, lúa tốt")
    report_of(page, first).get_by_label("Vấn đề nảy sinh 1").fill(problem)
    report_of(page, first).get_by_role("button", name="Thêm vấn đề").click()
    expect(report_of(page, first).get_by_label("Vấn đề nảy sinh 2")).to_be_focused()
    report_of(page, second).get_by_label("Tình hình các hộ").fill("Nhân dân phấn khởi")
    report_of(page, third).get_by_label("Tình hình các hộ").fill("Hai hộ đi làm ăn xa")
    page.get_by_role("button", name="Lưu báo cáo tháng").click()

    expect(page.get_by_role("status")).to_have_text("Đã lưu 3 báo cáo, 1 vấn đề nảy sinh.")
    expect(page.locator("#reported")).to_have_text(f"{before + 3}/{expected}")
    listed = page.locator("#reported-list")
    for name in (first, second, third):
        # Handed in today (in December 2026), after the 5th: late.
        late = re.compile(rf"^{re.escape(name)} Nộp muộn")
        expect(listed.get_by_role("row", name=late)).to_have_count(1)
        expect(report_of(page, name)).to_have_count(0)  # off the sheet: recorded
    export = page.request.get(f"{MONTH_PAGE}.csv").text()
    assert export.startswith("\ufeffHọ và tên,Phụ trách,Tình trạng,Ngày nộp,Người ghi,Đánh giá")
    handed_in = f"{datetime.now(VIETNAM).date():%d/%m/%Y}"  # the sheet's day: Vietnam's
    assert f"{first},Các hộ được phân công,Nộp muộn,{handed_in},Bí thư ghi," in export

    review = page.locator("form.review").get_by_role("group", name=second, exact=True)
    review.get_by_role("radio", name="Khá").check()
    review.get_by_label("Nhận xét").fill("Cần nắm tình hình sát hơn")
    page.get_by_role("button", name="Lưu nhận xét").click()
    reviewed = re.compile(rf"^{re.escape(second)} Nộp muộn .* Khá$")
    expect(listed.get_by_role("row", name=reviewed)).to_have_count(1)

    page.get_by_role("link", name="vấn đề đang theo dõi").click()
    followed = page.get_by_role("article").filter(has_text=problem)
    expect(followed).to_contain_text(f"Người nêu: {first}, báo cáo tháng 11/2026")
    followed.get_by_text("Giải quyết", exact=True).click()
    followed.get_by_label("Cách giải quyết").fill("Xã đã cho xe san lấp, đi lại bình thường")
    followed.get_by_role("button", name="Ghi đã giải quyết").click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi vấn đề được giải quyết.")
    expect(page.get_by_text(problem)).to_have_count(0)


def test_a_refused_sheet_names_the_member_and_keeps_what_was_typed(sign_in: SignIn) -> None:
    page = sign_in(SECRETARY, DESKTOP)
    page.goto(MONTH_PAGE)
    (name,) = sheet_members(page, 1)
    report_of(page, name).get_by_label("Vấn đề nảy sinh 1").fill("Thiếu nước sinh hoạt")
    page.get_by_role("button", name="Lưu báo cáo tháng").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"{name}: đã ghi vấn đề nhưng chưa ghi tình hình các hộ."
    )
    expect(report_of(page, name).get_by_label("Vấn đề nảy sinh 1")).to_have_value(
        "Thiếu nước sinh hoạt"
    )

    # The same member saved meanwhile from another phone: refused by name, nothing lost.
    other = sign_in(SECRETARY, DESKTOP)
    other.goto(MONTH_PAGE)
    report_of(other, name).get_by_label("Tình hình các hộ").fill("Các hộ ổn định")
    report_of(page, name).get_by_label("Tình hình các hộ").fill("Các hộ chăm lo sản xuất")
    other.get_by_role("button", name="Lưu báo cáo tháng").click()
    expect(other.get_by_role("status")).to_contain_text("Đã lưu 1 báo cáo")
    page.get_by_role("button", name="Lưu báo cáo tháng").click()
    expect(page.get_by_role("alert")).to_contain_text(f"{name}: báo cáo tháng này đã được ghi")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
def test_the_month_and_the_problems_are_usable_on_a_phone_and_a_desktop(
    sign_in: SignIn, viewport: Viewport
) -> None:
    page = sign_in(SECRETARY, viewport)
    page.goto(MONTH_PAGE)
    expect(page.locator("#reported")).to_have_text(re.compile(r"^\d+/\d+$"))
    check_screen(page, "reports-month", viewport)
    page.goto(f"/branches/{BRANCH}/problems")
    expect(page.get_by_role("article").filter(has_text=RAISED_IN_OCTOBER)).to_be_visible()
    page.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")
    check_screen(page, "reports-problems", viewport)


def test_a_problem_handed_to_the_unit_above_stays_followed_until_resolved(
    sign_in: SignIn,
) -> None:
    page = sign_in(SECRETARY, DESKTOP)
    page.goto(f"/branches/{BRANCH}/problems")
    followed = page.get_by_role("article").filter(has_text=RAISED_IN_OCTOBER)
    followed.get_by_text("Báo cáo lên cấp trên", exact=True).click()
    followed.get_by_label("Ghi chú gửi cấp trên").fill("Cần xã hỗ trợ khoan giếng")
    followed.get_by_role("button", name="Gửi báo cáo lên cấp trên").click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi vấn đề được báo cáo lên cấp trên.")
    # The unit above by its name, as the org tree gives it.
    expect(followed).to_contain_text("Đã báo cáo lên cấp trên (Đảng bộ xã Võ Lao)")
    expect(followed.get_by_role("button", name="Gửi báo cáo lên cấp trên")).to_have_count(0)
    expect(followed.get_by_text("Giải quyết", exact=True)).to_be_visible()


def test_the_other_branchs_secretary_sees_none_of_vo_lao_reports(sign_in: SignIn) -> None:
    page = sign_in(OTHER_SECRETARY, DESKTOP)
    for path in (MONTH_PAGE, f"/branches/{BRANCH}/problems"):
        page.goto(path)
        expect(page.get_by_role("alert")).to_contain_text("không có quyền")
        assert "Võ Lao" not in page.locator("main").inner_text()
    export = page.request.get(f"{MONTH_PAGE}.xlsx")
    assert export.status == 403
    assert "thị tứ Võ Lao" not in export.text()
