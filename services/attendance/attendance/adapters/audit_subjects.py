"""What `GET /v1/audit/{kind}/{id}` can answer for, and where each subject's events are:
every event of the service lives in a branch's meeting book for a year
(`meetings-<branch>-<year>`) or in the notes beside it (`meetings_private-<branch>-<year>`:
the reasons people gave, shown as who recorded which fields when, never the text), so a
subject is a set of books and the events in them that concern it. The kernel's audit route
shows only those filed inside the caller's subtree."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from chibo_chassis.http import AuditSubject
from chibo_kernel.pool import LeanPool

from ..domain.meeting_book import MeetingBook, book_id
from ..domain.meeting_notes import MeetingNotes

# meeting: one meeting, from scheduling to corrections; member: the marks and guest visits
# that name a member; branch: everything recorded in a branch's meeting books.
KINDS = ("meeting", "member", "branch")

MEMBER_BOOKS_SQL = """
SELECT DISTINCT m.branch_id, m.year FROM meetings m
 WHERE m.meeting_id IN (SELECT meeting_id FROM attendance_marks WHERE member_id = $1
                        UNION SELECT meeting_id FROM guest_visits WHERE guest_id = $1)
 ORDER BY m.branch_id, m.year
"""


def _streams(books: Sequence[Any]) -> list[str]:
    ids = [book_id(b["branch_id"], b["year"]) for b in books]
    return [f"{kind.category}-{i}" for i in ids for kind in (MeetingBook, MeetingNotes)]


def _names(member_id: str) -> Callable[[dict[str, Any]], bool]:
    def concerns(data: dict[str, Any]) -> bool:
        marks = data.get("marks") or ()
        return member_id in (data.get("guest_id"), data.get("member_id")) or any(
            m.get("member_id") == member_id for m in marks
        )

    return concerns


def resolver(pool: Callable[[], LeanPool]) -> Callable[[str, str], Awaitable[AuditSubject | None]]:
    async def resolve(kind: str, subject_id: str) -> AuditSubject | None:
        db = pool()
        if kind == "meeting":
            row = await db.fetchrow(
                "SELECT branch_id, year FROM meetings WHERE meeting_id = $1", subject_id
            )
            if row is None:
                return None
            return AuditSubject(
                _streams([row]), concerns=lambda data: data.get("meeting_id") == subject_id
            )
        if kind == "member":
            books = await db.fetch(MEMBER_BOOKS_SQL, subject_id)
            return AuditSubject(_streams(books), concerns=_names(subject_id)) if books else None
        books = await db.fetch(
            "SELECT DISTINCT branch_id, year FROM meetings WHERE branch_id = $1 ORDER BY year",
            subject_id,
        )
        return AuditSubject(_streams(books)) if books else None

    return resolve
