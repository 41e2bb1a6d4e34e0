"""What the meeting sheet page needs, read from the services at once: the meeting (first,
so a caller who may not read it learns nothing else), the branch's members by name, the
roster of the meeting's day for the checklist, the absences in a row before it, those who
follow the branch that year (the guests it may record), and the verdict. The form state
(`Sheet`) is built here and filled by the routes."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .adapters.api import Api
from .branch_data import Branch, branch_members
from .formats import ERASED_VI
from .meeting_guests import GuestChoice, GuestSeen, followers, offered, recorded_guests
from .meeting_sheet import Line, Sheet, encode_runs, roster_lines
from .meeting_times import clock_text, day_text, local, minutes_between
from .meeting_verdict import Verdict, judge, prior_runs, stored_facts
from .session import SignedIn


@dataclass
class MeetingPage:
    meeting: dict[str, Any]
    branch: Branch
    sheet: Sheet | None  # the form while the sheet is not recorded
    recorded: list[Line] = field(default_factory=list)  # the sheet as recorded
    runs: dict[str, int] = field(default_factory=dict)
    verdict: Verdict | None = None
    verdict_problem: str | None = None
    message: str | None = None  # a refusal or the upload's outcome, shown on the form
    problems: list[str] = field(default_factory=list)  # an upload's bad rows
    guests: list[GuestSeen] = field(default_factory=list)  # as recorded, by name

    @property
    def held_minutes(self) -> int | None:
        """The meeting's length as held, when only the sheet is still to be recorded."""
        start, end = local(self.meeting.get("started_at")), local(self.meeting.get("ended_at"))
        return minutes_between(start, end) if start and end else None

    @property
    def day(self) -> dt.date:
        when = local(self.meeting.get("started_at") or self.meeting["scheduled_for"])
        assert when is not None
        return when.date()

    def as_typed(self, form: Mapping[str, Any]) -> dict[str, Any]:
        """The form with the sheet's marks as they stand (an upload may have changed them),
        for the verdict."""
        typed = {k: v for k, v in form.items() if not k.startswith("mark_")}
        lines = self.sheet.lines if self.sheet else []
        typed.update({f"mark_{line.member_id}": line.state for line in lines})
        return typed

    def context(self) -> dict[str, Any]:
        chair = str(self.meeting.get("chair_id") or "")
        names = {line.member_id: line.full_name for line in self.recorded}
        return {
            "meeting": self.meeting,
            "branch": self.branch,
            "branch_id": self.branch.branch_id,
            "sheet": self.sheet,
            "recorded_lines": self.recorded,
            "runs": encode_runs(self.runs),
            "verdict": self.verdict,
            "verdict_problem": self.verdict_problem,
            "message": self.message,
            "problems": self.problems,
            "recorded_guests": self.guests,
            "held_minutes": self.held_minutes,
            "chair_name": names.get(chair) or (self.branch.name_of(chair) if chair else ""),
            "scheduled": local(self.meeting["scheduled_for"]),
            "started": local(self.meeting.get("started_at")),
            "ended": local(self.meeting.get("ended_at")),
        }


async def load(
    api: Api,
    user: SignedIn,
    meeting_id: str,
    lang: str,
    on: dt.date | None = None,
    runs: dict[str, int] | None = None,
) -> MeetingPage:
    """`on`: the day typed on the form, whose roster the sheet is checked against; `runs`:
    the absences in a row the form carries (read from the meetings before when None)."""
    meeting = await api.get("attendance", f"/meetings/{meeting_id}", user.token)
    found = MeetingPage(meeting, Branch(meeting["branch_id"], ""), None)
    day = on or found.day
    # The followers of the meeting's year: the guests a sheet offers, or names those recorded.
    named_guests = not meeting.get("recorded") or bool(meeting.get("guests"))
    following = meeting["status"] != "cancelled" and named_guests
    year = int(str(meeting["month"])[:4])
    found.branch, found.runs, candidates = await asyncio.gather(
        branch_members(api, user, meeting["branch_id"], day),
        _given(runs) if runs is not None else prior_runs(api, user.token, meeting),
        followers(api, user.token, meeting["branch_id"], year) if following else _nobody(),
    )
    if meeting.get("recorded"):
        found.guests = recorded_guests(meeting.get("guests", []), candidates)
        found.recorded = [
            Line(x["member_id"], x.get("full_name") or ERASED_VI, x["state"], x.get("reason") or "")
            for x in meeting.get("lines", [])
        ]
        found.verdict, found.verdict_problem = await judge(
            api, user.token, stored_facts(meeting, found.runs), lang, recorded=True
        )
    elif meeting["status"] != "cancelled":
        roster = await api.get(
            "attendance",
            f"/branches/{meeting['branch_id']}/roster",
            user.token,
            {"on": day.isoformat()},
        )
        found.sheet = blank_sheet(meeting, roster, found.branch, user)
        members = {m["member_id"] for m in roster.get("members", [])}
        already = {str(g.get("guest_id")) for g in meeting.get("guests", [])}
        found.sheet.guests = offered(candidates, members | already)
    return found


def blank_sheet(
    meeting: dict[str, Any], roster: dict[str, Any], branch: Branch, user: SignedIn
) -> Sheet:
    """Everyone expected present; the times as scheduled, the end left to be typed."""
    expected, others = roster_lines(roster, meeting["kind"])
    when = local(meeting["scheduled_for"])
    on_roster = {line.member_id for line in expected + others}
    secretaries = [
        m["member_id"]
        for m in branch.members
        if "secretary" in m.get("roles", []) and m["member_id"] in on_roster
    ]
    chair = next(
        iter(secretaries),
        user.member_id
        if user.member_id in on_roster
        else (expected[0].member_id if expected else ""),
    )
    return Sheet(
        expected,
        others,
        on=day_text(when),
        start=clock_text(when),
        place=meeting.get("place", ""),
        chair_id=chair or "",
    )


def filled_message(lang: str, absent: int, left_out: list[str]) -> str:
    names = ", ".join(left_out)
    if lang == "en":
        text = f"The form is filled from the file ({absent} absent). Check it, then record it."
        return text + (f" Not in the file, kept present: {names}." if left_out else "")
    text = f"Đã điền bảng từ tệp ({absent} người vắng). Xin xem lại rồi bấm Ghi nhận."
    return text + (f" Không có trong tệp, giữ là có mặt: {names}." if left_out else "")


async def _given(runs: dict[str, int]) -> dict[str, int]:
    return runs


async def _nobody() -> list[GuestChoice]:
    return []
