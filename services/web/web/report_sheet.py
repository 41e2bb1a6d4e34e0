"""A branch's month of reports as the secretary fills it in: one row per member and what
they report on (their households, and each duty they hold), the texts typed so far, and
what a sheet or a review form turns into for the service, checked before it is sent so
that a refusal names the member by name and keeps everything typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .formats import ERASED_VI, day, nfc, vietnamese_order

HOUSEHOLDS = "households"
MAX_TEXT = 4000  # the service's bound on every text
MAX_PROBLEMS = 20  # per report, the service's bound
STATES = {
    "on_time": ("Đã nộp đúng hạn", "Reported on time"),
    "late": ("Nộp muộn", "Reported late"),
    "missing": ("Chưa nộp", "Not reported"),
}
EVALUATIONS = {"good": ("Tốt", "Good"), "fair": ("Khá", "Fair"), "weak": ("Yếu", "Weak")}
ENTERED_BY = {
    "member": ("Đảng viên tự ghi", "The member"),
    "secretary": ("Bí thư ghi", "Secretary"),
}
DUTY_KINDS = {"group": ("Nhóm hộ", "Household group"), "route": ("Tuyến", "Route")}
DUTY_KINDS |= {"task": ("Nhiệm vụ", "Task")}

Pair = tuple[str, str]


@dataclass(frozen=True)
class Row:
    """One report expected this month: a member, and what it is about."""

    index: int
    member_id: str
    assignment: str
    name: str
    duty: Pair | None  # None for the member's households
    state: str
    submitted_on: str | None
    entered_by: str | None
    evaluation: str | None

    @property
    def key(self) -> str:
        return f"{self.member_id}|{self.assignment}"

    @property
    def reported(self) -> bool:
        return self.state != "missing"


def duty_of(assignment: str, duty_names: Mapping[str, str]) -> Pair | None:
    if assignment == HOUSEHOLDS:
        return None
    kind, _, target = assignment.partition(":")
    vi, en = DUTY_KINDS.get(kind, (kind, kind))
    what = nfc(duty_names.get(assignment) or target)
    return f"{vi}: {what}", f"{en}: {what}"


def build_rows(
    reports: Iterable[Mapping[str, Any]], names: Mapping[str, str | None], duties: Mapping[str, str]
) -> list[Row]:
    """In the order the branch's list is read out; a member's households before duties."""

    def order(report: Mapping[str, Any]) -> tuple[Any, ...]:
        name = names.get(report["member_id"]) or ERASED_VI
        return (*vietnamese_order(name), report["assignment"] != HOUSEHOLDS, report["assignment"])

    return [
        Row(
            index,
            r["member_id"],
            r["assignment"],
            nfc(names.get(r["member_id"]) or ERASED_VI),
            duty_of(r["assignment"], duties),
            r["state"],
            r.get("submitted_on"),
            r.get("entered_by"),
            r.get("evaluation"),
        )
        for index, r in enumerate(sorted(reports, key=order))
    ]


@dataclass
class Typed:
    situation: str = ""
    problems: list[str] = field(default_factory=list)
    evaluation: str = ""
    comment: str = ""


@dataclass
class Checked:
    """What a form asks for, ready to send; or why not, with everything typed."""

    body: list[dict[str, Any]] = field(default_factory=list)
    typed: dict[str, Typed] = field(default_factory=dict)
    errors: list[tuple[int | None, str]] = field(default_factory=list)  # (row index, message)
    date: str = ""

    def errors_of(self, index: int) -> list[str]:
        return [message for row, message in self.errors if row == index]


def _say(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def _clean(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _rows_in(form: Any, prefix: str, rows: Mapping[str, Row]) -> list[tuple[str, Row]]:
    """The rows a form was rendered with, by the number each had in it, that are still
    open to it now (another phone may have saved some meanwhile)."""
    found = []
    for name in dict.fromkeys(form.keys()):
        row = rows.get(str(form.get(name, ""))) if name.startswith(f"{prefix}-") else None
        if row is not None:
            found.append((name.removeprefix(f"{prefix}-"), row))
    return found


def _date(form: Any, name: str, earliest: dt.date, today: dt.date, lang: str) -> str | Pair:
    """The ISO day, or the message saying which days are allowed."""
    raw = str(form.get(name, ""))
    try:
        chosen = dt.date.fromisoformat(raw)
    except ValueError:
        chosen = None
    if chosen is None or not earliest <= chosen <= today:
        return (
            f"Ngày phải từ {day(earliest)} đến {day(today)}.",
            f"The day must be from {day(earliest)} to {day(today)}.",
        )
    return chosen.isoformat()


def _wrong(row: Row, situation: str, problems: list[str]) -> Pair | None:
    if not situation and problems:
        return (
            f"{row.name}: đã ghi vấn đề nhưng chưa ghi tình hình các hộ.",
            f"{row.name}: a problem is written but not the situation.",
        )
    if len(situation) > MAX_TEXT or any(len(p) > MAX_TEXT for p in problems):
        return (
            f"{row.name}: mỗi ô ghi tối đa {MAX_TEXT} ký tự.",
            f"{row.name}: each box holds at most {MAX_TEXT} characters.",
        )
    if len(problems) > MAX_PROBLEMS:
        return (
            f"{row.name}: tối đa {MAX_PROBLEMS} vấn đề một báo cáo.",
            f"{row.name}: at most {MAX_PROBLEMS} problems a report.",
        )
    return None


def _already(row: Row) -> Pair:
    return (
        f"{row.name}: báo cáo tháng này đã được ghi trước đó (có thể từ máy khác), "
        "nên phần vừa ghi cho đảng viên này không được lưu.",
        f"{row.name}: this month's report was recorded meanwhile (perhaps from another "
        "phone), so what was just typed for them is not saved.",
    )


NOTHING_WRITTEN = (
    "Chưa ghi tình hình của đảng viên nào: không có gì để lưu.",
    "No situation is written yet: nothing to save.",
)


def check_sheet(
    form: Any, rows: list[Row], first: dt.date, today: dt.date, entered_by: str, lang: str
) -> Checked:
    """The reports typed on the month's sheet: rows left empty are not sent."""
    checked = Checked(date=str(form.get("submitted_on", "")))
    for index, row in _rows_in(form, "who", {r.key: r for r in rows}):
        typed = Typed(str(form.get(f"situation-{index}", "")).strip())
        typed.problems = [str(p) for p in form.getlist(f"problem-{index}") if _clean(p)]
        checked.typed[row.key] = typed
        situation, problems = _clean(typed.situation), [_clean(p) for p in typed.problems]
        wrong = _wrong(row, situation, problems)
        if row.reported and (situation or problems):  # saved meanwhile, from another phone
            checked.errors.append((None, _say(lang, *_already(row))))
        elif wrong:
            checked.errors.append((row.index, _say(lang, *wrong)))
        elif situation:
            report: dict[str, Any] = {"member_id": row.member_id, "assignment": row.assignment}
            report |= {"situation": situation, "entered_by": entered_by, "problems": problems}
            checked.body.append(report)
    submitted_on = _date(form, "submitted_on", first, today, lang)
    if isinstance(submitted_on, tuple):
        checked.errors.insert(0, (None, _say(lang, *submitted_on)))
    else:
        for sent in checked.body:
            sent["submitted_on"] = submitted_on
    if not checked.body and not checked.errors:
        checked.errors.append((None, _say(lang, *NOTHING_WRITTEN)))
    return checked


def check_reviews(form: Any, rows: list[Row], first: dt.date, today: dt.date, lang: str) -> Checked:
    """The meeting's review of the reports in: rows without an evaluation are not sent. A
    comment left empty says the evaluation itself, as the meeting's minutes would."""
    checked = Checked(date=str(form.get("reviewed_on", "")))
    to_review = {r.key: r for r in rows if r.reported and not r.evaluation}
    for index, row in _rows_in(form, "reviewed", to_review):
        evaluation = str(form.get(f"evaluation-{index}", ""))
        typed = Typed(evaluation=evaluation, comment=str(form.get(f"comment-{index}", "")))
        checked.typed[row.key] = typed
        if evaluation not in EVALUATIONS:
            continue
        comment = _clean(typed.comment)[:MAX_TEXT] or EVALUATIONS[evaluation][0]
        checked.body.append(
            {
                "member_id": row.member_id,
                "assignment": row.assignment,
                "evaluation": evaluation,
                "comment": comment,
            }
        )
    reviewed_on = _date(form, "reviewed_on", first, today, lang)
    if isinstance(reviewed_on, tuple):
        checked.errors.append((None, _say(lang, *reviewed_on)))
    elif not checked.body:
        checked.errors.append(
            (None, _say(lang, "Chưa chọn đánh giá nào.", "No evaluation is chosen yet."))
        )
    checked.date = reviewed_on if isinstance(reviewed_on, str) else checked.date
    return checked
