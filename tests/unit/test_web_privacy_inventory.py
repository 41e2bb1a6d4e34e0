"""The web app's part of the data inventory (docs/privacy-inventory.md, "The web app"):
every file it hands out is declared column by column next to its export code
(`web.downloads`), every key it writes into the session cookie and every field it logs is
classified, and the checks name whatever a change to the app leaves unclassified."""

from __future__ import annotations

import ast
import dataclasses
import io
from types import ModuleType
from typing import Any

from openpyxl import load_workbook

from chibo_tools.privacy.code_scan import Function, log_calls
from chibo_tools.privacy.web_session import SESSION, session_keys, unclassified_session_keys
from chibo_tools.privacy.web_surfaces import (
    download_routes,
    is_download,
    unclassified_downloads,
    unclassified_log_fields,
    unclassified_web_surfaces,
    web_log_field_names,
    who_may_download,
)
from chibo_tools.privacy_inventory import expected_text
from web.branch_data import Branch
from web.downloads import DOWNLOADS, PERSONAL, Download, FileColumn
from web.import_members_template import members_template
from web.plan_data import PlanScreen
from web.plan_template import plan_template
from web.session import SignedIn

NEW_ROUTE = "/branches/{branch_id}/households.{fmt}"
MEMBERS_TEMPLATE = "/branches/{branch_id}/members/import/template.xlsx"
NEW_EXPORT = f'''
def add_routes(router, api):
    @router.get("{NEW_ROUTE}")
    async def households_export(branch_id, fmt, user):
        columns = [Column("Hộ"), Column("Người phụ trách")]
        return export(fmt, "Hộ", "Danh sách hộ", columns, rows)
'''
MEMBER: dict[str, Any] = {
    "member_id": "m1",
    "full_name": "Nguyễn Văn An",
    "card_number": "0012345",
    "roles": ["secretary"],
    "standing": "active",
    "admitted_on": "2001-05-19",
}


def declared(route: str) -> Download:
    return next(d for d in DOWNLOADS if d.route == route)


def parsed_route(source: str) -> Function:
    return next(
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef) and node.decorator_list
    )


def header_rows(workbook: bytes) -> dict[str, list[str]]:
    book = load_workbook(io.BytesIO(workbook))
    return {sheet.title: [str(c.value) for c in sheet[1]] for sheet in book.worksheets}


def test_every_web_download_session_key_and_log_field_is_classified() -> None:
    assert unclassified_web_surfaces() == []
    assert unclassified_session_keys() == []


def test_a_download_route_added_without_a_declaration_is_reported_column_by_column() -> None:
    function = parsed_route(NEW_EXPORT)
    assert is_download(NEW_ROUTE, function)
    routes = {**download_routes(), NEW_ROUTE: (ModuleType("web.sample"), function)}
    assert unclassified_downloads(DOWNLOADS, routes) == [f"web download {NEW_ROUTE}"]

    households = Download(
        NEW_ROUTE,
        "Danh sách hộ",
        "the branch's households",
        ("assignment /branches/{branch_id}/households",),
        (FileColumn("Hộ", "a household's label", PERSONAL),),
    )
    assert unclassified_downloads((*DOWNLOADS, households), routes) == [
        f"web download column Người phụ trách ({NEW_ROUTE})"
    ]
    holder = FileColumn("Người phụ trách", "who holds it", PERSONAL)
    complete = dataclasses.replace(households, columns=(*households.columns, holder))
    assert unclassified_downloads((*DOWNLOADS, complete), routes) == []


def test_a_header_renamed_on_one_side_only_is_reported_both_ways() -> None:
    sheet = declared("/meetings/{meeting_id}.{fmt}")
    renamed = tuple(
        dataclasses.replace(c, header_vi="Lý do") if c.header_vi == "Lý do vắng" else c
        for c in sheet.columns
    )
    downloads = [dataclasses.replace(d, columns=renamed) if d is sheet else d for d in DOWNLOADS]
    assert unclassified_downloads(downloads, download_routes()) == [
        "web download column Lý do vắng (/meetings/{meeting_id}.{fmt})",
        "no such web download column: Lý do (/meetings/{meeting_id}.{fmt})",
    ]


def test_a_declared_read_the_services_do_not_answer_is_reported() -> None:
    members = declared("/branches/{branch_id}/members.{fmt}")
    wrong = dataclasses.replace(members, reads=("assignment /branches/{branch_id}/everyone",))
    downloads = [wrong if d is members else d for d in DOWNLOADS]
    assert unclassified_downloads(downloads, download_routes()) == [
        "web download /branches/{branch_id}/members.{fmt}: "
        "no API assignment /branches/{branch_id}/everyone"
    ]


def test_a_new_log_field_is_reported_until_it_is_classified() -> None:
    source = 'log.warning("sign_in_failed", reason=kind, email=claims["email"])'
    ((_, _, fields),) = log_calls(ast.parse(source))
    found = sorted({*web_log_field_names(), *fields})
    assert unclassified_log_fields(found) == ["web log field email"]
    assert unclassified_log_fields(web_log_field_names()) == []


def test_the_session_is_classified_field_by_field_of_the_signed_in_person() -> None:
    person = {f"user.{f.name}" for f in dataclasses.fields(SignedIn)}
    assert person <= set(session_keys())
    assert {"csrf", "lang", "next"} <= set(session_keys())
    assert SESSION["user.token"][0] == "identifier"


def test_each_template_sheet_has_the_declared_headers_and_no_birth_date() -> None:
    branch = Branch("b1", "Chi bộ 1", [MEMBER])
    households = [{"household_id": "h1", "label": "Hộ bà Lan"}]
    held: dict[str, Any] = {"member_id": "m1", "full_name": MEMBER["full_name"]}
    held |= {"groups": [], "routes": [], "tasks": [], "households": households}
    area = {"households": [{"household_id": "h1", "label": "Hộ bà Lan", "holder": MEMBER}]}
    screen = PlanScreen(branch, 2026, {"status": "draft", "assignments": [held]}, None, area)
    built = {
        "/branches/{branch_id}/plans/{year}/template.xlsx": plan_template(screen),
        MEMBERS_TEMPLATE: members_template(branch),
    }
    for route, workbook in built.items():
        sheets = header_rows(workbook)
        first = next(iter(sheets))
        by_sheet: dict[str, list[str]] = {}
        for column in declared(route).columns:
            by_sheet.setdefault(column.sheet or first, []).append(column.header_vi)
        for title, headers in by_sheet.items():
            assert sheets[title] == [h.format(year=screen.year) for h in headers], route
        # The other sheets are the instructions: prose, one line a row, no columns.
        assert set(sheets) - set(by_sheet) == {"Hướng dẫn"}, route
    sheet = load_workbook(io.BytesIO(built[MEMBERS_TEMPLATE])).worksheets[0]
    name, birth_date = next(sheet.iter_rows(min_row=2, max_col=2, values_only=True))
    assert (name, birth_date) == ("Nguyễn Văn An", None)  # a birth date is never given out


def test_the_inventory_shows_the_web_apps_sensitive_columns_and_who_may_download() -> None:
    text = expected_text()
    assert "## The web app · Ứng dụng web (`services/web`)" in text
    reason = next(line for line in text.splitlines() if "| Lý do vắng |" in line)
    assert "| sensitive |" in reason
    problem = next(line for line in text.splitlines() if "| Vấn đề | the problem's" in line)
    assert "| sensitive |" in problem
    assert "member" not in who_may_download(declared("/branches/{branch_id}/members.{fmt}"))
    detail = next(line for line in text.splitlines() if line.startswith("| `detail` |"))
    assert "| personal |" in detail
    assert "`web/entrypoints/errors.py:" in detail
