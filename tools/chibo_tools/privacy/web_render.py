"""The web app's part of the inventory as Markdown: its session cookie, its downloads column
by column and its log fields; and the cookie among the places copies live."""

from __future__ import annotations

from web.downloads import DOWNLOADS, Download

from .render import table
from .web_session import session_section
from .web_surfaces import LOG_FIELDS, web_log_sites, who_may_download

DECLARED_IN = "`services/web/web/downloads.py`"


def _reads(download: Download) -> str:
    if download.passes_on:
        return f"`GET /v1{download.passes_on}` of the service chosen, passed on unchanged"
    return ", ".join(f"{s} `GET /v1{p}`" for s, _, p in (r.partition(" ") for r in download.reads))


def _who(download: Download) -> str:
    if download.passes_on:
        return "the signed-in member: their own only (the token's `chibo_member`)"
    return ", ".join(f"`{r}`" for r in who_may_download(download))


def downloads_section() -> list[str]:
    files = [(f"`GET {d.route}`", f"{d.what_vi} · {d.what_en}", _reads(d), _who(d))
             for d in DOWNLOADS]  # fmt: skip
    columns = [
        (f"`{d.route}`", c.sheet or "—", c.header_vi, c.header_en, c.category, c.note)
        for d in DOWNLOADS
        for c in d.columns
    ]
    return [
        "### Downloads · Tệp tải xuống",
        "",
        "Mỗi tệp được lập từ API của các dịch vụ bằng mã thông báo của người tải, nên phân "
        "quyền và nhật ký đọc của dịch vụ áp dụng như khi gọi API; ứng dụng không giữ lại tệp "
        "nào. · Each file is built from the services' APIs with the downloading person's "
        "token, so the services' access rules and read log apply as to an API call (the "
        "download is logged as that read, not as a file); the app keeps no copy. *Who may "
        "download*: the roles every read it is built from allows. The category of each "
        f"column is declared in {DECLARED_IN}, next to the export code.",
        "",
        *table(("route", "file · tệp", "built from", "who may download"), files),
        *table(("route", "sheet", "header (vi)", "column", "category", "note"), columns),
    ]


def logs_section() -> list[str]:
    sites: dict[str, list[str]] = {}
    for where, _, fields in web_log_sites():
        for field in fields:
            sites.setdefault(field, []).append(f"`{where}`")
    sites["exception"] = ["an unexpected error"]
    rows = [
        (f"`{f}`", c, why, ", ".join(sites.get(f, [])) or "every line")
        for f, (c, why) in sorted(LOG_FIELDS.items())
    ]
    return [
        "### Log fields · Trường nhật ký",
        "",
        "Một dòng mỗi yêu cầu: mẫu đường dẫn, không ghi người đăng nhập. · One line per "
        "request (`web/request_log.py`): the route template, never the path, and not who is "
        "signed in; the server's own access log is off.",
        "",
        *table(("field", "category", "why", "logged at"), rows),
    ]


def web_section() -> list[str]:
    return [
        "## The web app · Ứng dụng web (`services/web`)",
        "",
        "Không có cơ sở dữ liệu, không đọc luồng: mọi trang và mọi tệp được đọc từ API của "
        "ba dịch vụ bằng mã thông báo của người đăng nhập. · No database, no stream: every "
        "page and file is read from the three services' APIs with the signed-in person's "
        "token. What it holds itself: the session cookie, the files it hands out, its logs.",
        "",
        *session_section(),
        *downloads_section(),
        *logs_section(),
    ]
