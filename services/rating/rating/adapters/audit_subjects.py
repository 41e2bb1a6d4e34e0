"""What `GET /v1/audit/{kind}/{id}` can answer for (who changed what, when): the subjects
the rating service answers for and where their events lie in its store.

- `member`: everything recorded about a member: self-assessments, appraisals (in the books
  of the branches they belonged to), the levels decided or cancelled for them, and their
  private file (discipline, conclusions, leave, comments, removal);
- `unit`: a unit's own rating books (its cohort's inputs and decisions, every year) and the
  levels decided or cancelled for the unit itself in the book above it;
- `rating`: one rating book, `<unit>-<year>`, whole.

The texts kept beside the books (`ratings_private-…`) and the private files show as who
recorded which fields when, never their values (the kernel's audit route).

Only events filed inside the caller's subtree are shown (the kernel's audit query filters
them; `permissions.py` gives its rule): a branch's auditor sees the branch's book, not the
decision about the branch that its grassroots organisation filed above it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from chibo_chassis.http import AuditSubject
from chibo_kernel.pool import LeanPool

from ..domain.cohort import CohortBook
from ..domain.cohort_notes import CohortNotes
from ..domain.member_file import MemberFile

KINDS = ("member", "unit", "rating")
BOOK = CohortBook.category
BOOKS = [BOOK, CohortNotes.category]  # a unit's books and the texts beside them
MEMBER_CATEGORIES = [*BOOKS, MemberFile.category]

# A rating store holds a few events per member and year: the audit, rare, reads it whole.
MEMBER_STREAMS_SQL = """
SELECT DISTINCT stream_id FROM events
 WHERE split_part(stream_id, '-', 1) = ANY ($2::text[])
   AND (data->>'member_id' = $1 OR data->>'subject_id' = $1)
 ORDER BY stream_id
"""
UNIT_STREAMS_SQL = """
SELECT DISTINCT stream_id FROM events
 WHERE split_part(stream_id, '-', 1) = ANY ($2::text[])
   AND (stream_id ~ ('^[a-z_]+-' || $3 || '-[0-9]+$') OR data->>'subject_id' = $1)
 ORDER BY stream_id
"""


def _escape_regex(text: str) -> str:
    return "".join(f"\\{c}" if not c.isalnum() and c not in "_" else c for c in text)


def resolver(
    pool: Callable[[], LeanPool],
) -> Callable[[str, str], Awaitable[AuditSubject | None]]:
    """Where a subject's events are, from the store's own tables."""

    async def resolve(kind: str, subject_id: str) -> AuditSubject | None:
        if kind == "rating":
            return AuditSubject([f"{category}-{subject_id}" for category in BOOKS])
        if kind == "member":
            rows = await pool().fetch(MEMBER_STREAMS_SQL, subject_id, MEMBER_CATEGORIES)

            def about_member(data: dict[str, Any]) -> bool:
                return subject_id in (data.get("member_id"), data.get("subject_id"))

            return AuditSubject([r["stream_id"] for r in rows], about_member)
        rows = await pool().fetch(UNIT_STREAMS_SQL, subject_id, BOOKS, _escape_regex(subject_id))

        def about_unit(data: dict[str, Any]) -> bool:
            return subject_id in (data.get("cohort_id"), data.get("branch_id")) or (
                data.get("subject_id") == subject_id
            )

        return AuditSubject([r["stream_id"] for r in rows], about_unit)

    return resolve
