"""The meeting screens in Chromium, as the Võ Lao secretary uses them: schedule a meeting,
mark only the absentees on its sheet, see the quality verdict as the sheet is filled and
once recorded, fill the sheet from the exported Excel file, pick a guest from a higher
committee among those who follow the branch; and what a secretary of another branch sees of
it (nothing)."""

from __future__ import annotations

import io
import re

import httpx
from demo_stack import Up
from openpyxl import Workbook, load_workbook
from playwright.sync_api import FilePayload, Locator, Page, expect

from .browser import DESKTOP, PHONE, check_screen
from .conftest import OTHER_SECRETARY, SECRETARY, SignIn

BRANCH = "VL-TT"
GUEST = "Lò Thị Hoa"  # of the Khe Có branch, following the commune of Võ Lao in 2026
NO_UNEXCUSED = "Không có đảng viên vắng mặt không có lý do"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Clicks:
    """What the secretary taps, counted; typing a reason or a time is not a click."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, target: Locator) -> None:
        target.click()
        self.count += 1


def month_without_regular_meeting(page: Page) -> int:
    """A month of 2026 already over (today is in December) with no regular meeting yet."""
    page.goto(f"/branches/{BRANCH}/meetings?year=2026")
    for number in range(1, 12):
        heading = page.get_by_role("heading", name=f"Tháng {number:02d}/2026", exact=True)
        card = page.get_by_role("listitem").filter(has=heading)
        if "Sinh hoạt thường kỳ: chưa có" in " ".join(card.inner_text().split()):
            return number
    raise AssertionError("every month of 2026 already has a regular meeting")


def schedule(page: Page, on: str, kind: str = "Sinh hoạt thường kỳ", topic: str = "") -> str:
    page.goto(f"/branches/{BRANCH}/meetings")
    page.get_by_role("link", name="Lên lịch cuộc họp").click()
    page.get_by_label("Loại cuộc họp").select_option(label=kind)
    page.get_by_label("Ngày họp", exact=True).fill(on)
    page.get_by_label("Giờ họp", exact=True).fill("19:30")
    page.get_by_label("Địa điểm", exact=True).fill("Nhà văn hóa thị tứ Võ Lao")
    if topic:
        page.get_by_label("Chủ đề (sinh hoạt chuyên đề)").fill(topic)
    page.get_by_role("button", name="Lên lịch", exact=True).click()
    expect(page).to_have_url(re.compile(r"/meetings/[A-Za-z0-9_-]+$"))
    return page.url


def member(page: Page, name: str) -> Locator:
    """A member's line of the sheet: the group named by their name."""
    return page.get_by_role("group", name=name, exact=True)


def members_on_sheet(page: Page) -> list[str]:
    return [n.strip() for n in page.locator("ol.sheet legend").all_inner_texts()]


def test_the_secretary_records_a_meeting_marking_only_the_absentees_in_a_few_clicks(
    sign_in: SignIn,
) -> None:
    page = sign_in(SECRETARY, DESKTOP)
    month = month_without_regular_meeting(page)
    url = schedule(page, f"10/{month:02d}/2026")
    title = f"Sinh hoạt thường kỳ tháng {month:02d}/2026"
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    chair = page.get_by_label("Người chủ trì").locator("option:checked").inner_text().strip()
    absent = [name for name in members_on_sheet(page) if name != chair][2:5]
    assert len(set(absent)) == 3
    # Everyone starts as present: only the exceptions are marked.
    expect(member(page, absent[0]).get_by_label("Có mặt", exact=True)).to_be_checked()
    phone = sign_in(SECRETARY, PHONE)
    phone.goto(f"/branches/{BRANCH}/meetings?year=2026")
    check_screen(phone, "meetings-year", PHONE)
    phone.get_by_role("link", name="Lên lịch cuộc họp").click()
    check_screen(phone, "meeting-new", PHONE)
    phone.goto(url)
    check_screen(phone, "meeting-sheet", PHONE)
    check_screen(page, "meeting-sheet", DESKTOP)

    clicks = Clicks()
    clicks(member(page, absent[0]).get_by_label("Vắng có lý do", exact=True))
    member(page, absent[0]).get_by_label("Lý do vắng").fill("Ốm, đang điều trị")
    clicks(member(page, absent[1]).get_by_label("Vắng có lý do", exact=True))
    member(page, absent[1]).get_by_label("Lý do vắng").fill("Đi công tác xa")
    clicks(member(page, absent[2]).get_by_label("Vắng không lý do", exact=True))
    page.get_by_label("Giờ kết thúc", exact=True).fill("21:30")
    clicks(page.get_by_label("Có ghi biên bản cuộc họp"))
    clicks(page.get_by_label("Chi ủy đã họp chuẩn bị trước"))
    # The verdict as the sheet is filled (htmx): one absent without reason fails it.
    verdict = page.locator("#verdict")
    expect(verdict.get_by_role("listitem").filter(has_text=NO_UNEXCUSED)).to_contain_text("✗")
    expect(verdict).to_contain_text("Chưa đạt chất lượng")
    clicks(page.get_by_role("button", name="Ghi nhận cuộc họp"))

    expect(page.get_by_role("heading", name="Đã ghi nhận")).to_be_visible()
    assert clicks.count == 6, clicks.count
    assert clicks.count < 10
    # The verdict now comes from the facts the attendance service stored.
    expect(verdict).to_contain_text("Theo số liệu đã ghi nhận")
    expect(verdict.get_by_role("listitem").filter(has_text=NO_UNEXCUSED)).to_contain_text("✗")
    expect(verdict).to_contain_text("Chưa đạt chất lượng")
    absentees = page.locator("ul.absent")
    for name in absent:
        expect(absentees).to_contain_text(name)
    expect(absentees).to_contain_text("Ốm, đang điều trị")
    expect(page.locator("dl.facts")).to_contain_text("2 vắng có lý do, 1 vắng không lý do")
    check_screen(page, "meeting-recorded", DESKTOP)
    phone.reload()
    check_screen(phone, "meeting-recorded", PHONE)

    other = sign_in(OTHER_SECRETARY, DESKTOP)
    other.goto(url)
    expect(other.get_by_role("alert")).to_contain_text("không có quyền")
    seen = other.locator("body").inner_text()
    assert not [name for name in absent if name in seen]
    export = other.request.get(f"{url}.csv")
    assert export.status == 403
    assert not [name for name in absent if name in export.text()]


def upload(page: Page, book: Workbook) -> None:
    out = io.BytesIO()
    book.save(out)
    if page.locator("details.upload").get_attribute("open") is None:
        page.get_by_text("Điền bảng từ tệp Excel").click()
    payload: FilePayload = {"name": "diem-danh.xlsx", "mimeType": XLSX, "buffer": out.getvalue()}
    page.get_by_label("Tệp bảng điểm danh (.xlsx)").set_input_files(files=payload)
    page.get_by_role("button", name="Điền bảng từ tệp", exact=True).click()


def test_the_exported_sheet_filled_in_fills_the_form_and_a_refusal_keeps_what_was_typed(
    sign_in: SignIn,
) -> None:
    page = sign_in(SECRETARY, DESKTOP)
    url = schedule(page, "20/11/2026", "Sinh hoạt chuyên đề", topic="Học tập nghị quyết")
    csv = page.request.get(f"{url}.csv")
    assert csv.ok
    assert csv.text().lstrip("\ufeff").splitlines()[0] == "STT,Họ và tên,Điểm danh,Lý do vắng"
    book = load_workbook(io.BytesIO(page.request.get(f"{url}.xlsx").body()))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["STT", "Họ và tên", "Điểm danh", "Lý do vắng"]
    excused, unexcused = str(sheet.cell(3, 2).value), str(sheet.cell(4, 2).value)
    assert sheet.cell(3, 3).value == "Có mặt"
    sheet.cell(3, 3).value = "Vắng có lý do"  # its reason forgotten
    sheet.cell(4, 3).value = "vắng không lý do"

    upload(page, book)
    expect(page.get_by_role("alert")).to_contain_text(
        f"Dòng 3 ({excused}): vắng có lý do phải ghi lý do."
    )
    expect(member(page, unexcused).get_by_label("Có mặt", exact=True)).to_be_checked()

    sheet.cell(3, 4).value = "Ốm"
    upload(page, book)
    expect(page.get_by_role("alert")).to_contain_text("Đã điền bảng từ tệp (2 người vắng)")
    expect(member(page, excused).get_by_label("Vắng có lý do", exact=True)).to_be_checked()
    expect(member(page, excused).get_by_label("Lý do vắng")).to_have_value("Ốm")
    expect(member(page, unexcused).get_by_label("Vắng không lý do", exact=True)).to_be_checked()

    # The attendance service refuses an excused absence without its reason, by name; the
    # form comes back as it was typed.
    member(page, excused).get_by_label("Lý do vắng").fill("")
    page.get_by_label("Giờ kết thúc", exact=True).fill("21:45")
    page.get_by_role("button", name="Ghi nhận cuộc họp").click()
    expect(page.get_by_role("alert")).to_contain_text(f"vắng có lý do phải ghi rõ lý do: {excused}")
    expect(member(page, excused).get_by_label("Vắng có lý do", exact=True)).to_be_checked()
    expect(member(page, unexcused).get_by_label("Vắng không lý do", exact=True)).to_be_checked()
    expect(page.get_by_label("Giờ kết thúc", exact=True)).to_have_value("21:45")


def follower_of_the_commune(demo_up: Up) -> None:
    """GUEST, a member of the other branch of Võ Lao, follows the commune in 2026: entered
    through the assignment API as the province administrator, as the province would. She
    began attending in 2026, so the demo's 2025 figures stay as seeded."""
    headers = {"Authorization": f"Bearer {demo_up.token('province_admin')}"}
    with httpx.Client(base_url=demo_up.service_url("assignment"), headers=headers) as api:
        listed = api.get("/v1/branches/VL-KC/members")
        assert listed.status_code == 200, listed.text
        found = [m["member_id"] for m in listed.json()["members"] if m["full_name"] == GUEST]
        if not found:
            body = {
                "full_name": GUEST,
                "branch_id": "VL-KC",
                "admission_date": "2008-03-03",
                "attending_since": "2026-01-05",
                "card_number": "66000101",
                "birth_date": "1972-04-04",
            }
            registered = api.post("/v1/members", json=body)
            assert registered.status_code == 201, registered.text
            found = [registered.json()["member_id"]]
        following = {"level": "commune", "unit_ids": ["VL"]}
        followed = api.post(f"/v1/followers/{found[0]}/years/2026", json=following)
        assert followed.status_code == 201, followed.text


def test_the_secretary_ticks_a_guest_among_those_following_the_branch_and_sees_them_named(
    sign_in: SignIn, demo_up: Up
) -> None:
    follower_of_the_commune(demo_up)
    page = sign_in(SECRETARY, DESKTOP)
    url = schedule(page, "24/11/2026", "Sinh hoạt chuyên đề", topic="Học tập chỉ thị")
    guests = page.get_by_role("group", name="Khách mời cấp trên")
    guest = guests.get_by_role("checkbox", name=f"{GUEST} (cấp xã, Đảng bộ xã Võ Lao)")
    expect(guest).not_to_be_checked()  # guests are optional: nobody is ticked at first
    assert GUEST not in members_on_sheet(page)
    phone = sign_in(SECRETARY, PHONE)
    phone.goto(url)
    expect(phone.get_by_role("checkbox", name=GUEST)).to_be_visible()
    check_screen(phone, "meeting-sheet-guests", PHONE)

    guest.focus()
    page.keyboard.press("Space")  # as a keyboard user ticks it
    expect(guest).to_be_checked()
    page.get_by_label("Giờ kết thúc", exact=True).fill("21:30")
    page.get_by_role("button", name="Ghi nhận cuộc họp").click()

    expect(page.get_by_role("heading", name="Đã ghi nhận")).to_be_visible()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Khách mời cấp trên")
    expect(facts).to_contain_text(f"{GUEST} (cấp xã, Đảng bộ xã Võ Lao)")
    phone.reload()
    check_screen(phone, "meeting-recorded-guests", PHONE)
