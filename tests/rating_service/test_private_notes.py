"""What is written about a member's year stays beside the published rating book: version 2
of an appraisal, a decision or a cancellation says what was decided, and a private event
appended with it carries the note, the proposal's reasons or why, keyed by the member. The
book and the read models come out the same from either version."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date

from rating_domain.builders import rules

from chibo_contracts.rating import (
    AppraisalNoteRecorded,
    AppraisalRecorded,
    AppraisalRecordedV2,
    DecisionCancellationReasonRecorded,
    DecisionCancelled,
    DecisionCancelledV2,
    DecisionReasonsRecorded,
    LevelDecided,
    LevelDecidedV2,
)
from chibo_kernel import DomainEvent
from chibo_kernel.db import create_pool
from chibo_kernel.privacy import Category, classified_fields
from chibo_kernel.store import StreamAppend
from rating.adapters.projection import project
from rating.domain.cohort import CohortBook
from rating.domain.cohort_notes import CohortNotes
from rating.domain.decisions import Decision, Proposed, RuleSetName
from rating.migrations import upgrade

BOOK_ID = "VL-2025"
NOTE = "còn nể nang, ngại va chạm"
REASONS = ["bị kỷ luật khiển trách ngày 01/07/2025", "nghỉ ốm 4 tháng"]
WHY = "chưa xem xét kết luận của Ủy ban kiểm tra"
RULE_SET = RuleSetName(rules(2025).id, rules(2025).title)
BY = {"decided_by": "Đảng ủy xã Võ Lao", "decided_on": date(2025, 12, 20)}
CANCEL = {"by_unit_id": "VB", "cancelled_by": "Ban Thường vụ Huyện ủy"}

Saved = list[tuple[list[DomainEvent], list[DomainEvent]]]


def v2_year() -> Saved:
    """Today's commands on one book: each command's (book events, notes)."""
    book = CohortBook(BOOK_ID)
    saved: Saved = []

    def appended() -> None:
        saved.append((list(book.pending), list(book.notes.pending)))
        book.pending.clear()
        book.notes.pending.clear()

    book.record_appraisal("m1", level="completed", note=f" {NOTE} ")
    appended()
    book.record_appraisal("m2", level="good", note="  ")  # no note, nothing kept beside
    appended()
    proposals = {"m1": Proposed("not_completed", REASONS), "m2": Proposed("good", [])}
    decisions = [Decision("m1", "completed"), Decision("m2", "good")]
    book.decide(
        "member",
        decisions,
        cohort=set(proposals),
        proposals=proposals,
        quota=rules(2025).quota,
        rule_set=RULE_SET,
        **BY,  # type: ignore[arg-type]
    )
    appended()
    book.cancel("member", "m1", reason=f" {WHY} ", cancelled_on=date(2025, 12, 28), **CANCEL)
    appended()
    return saved


def v1_year() -> Saved:
    """The same, as the service recorded it before version 2: texts in the published events."""
    decided = {
        "subject": "member",
        "cohort_id": "VL",
        "year": 2025,
        "rule_set": RULE_SET.id,
        **BY,
    }
    return [
        (
            [
                AppraisalRecorded(
                    member_id="m1", branch_id="VL", year=2025, level="completed", note=NOTE
                )
            ],
            [],
        ),
        ([AppraisalRecorded(member_id="m2", branch_id="VL", year=2025, level="good", note="")], []),
        (
            [
                LevelDecided(
                    subject_id="m1",
                    level="completed",
                    proposed_level="not_completed",
                    reasons=REASONS,
                    **decided,
                ),
                LevelDecided(
                    subject_id="m2",
                    level="good",
                    proposed_level="good",
                    reasons=[],
                    **decided,
                ),
            ],
            [],
        ),
        (
            [
                DecisionCancelled(
                    subject="member",
                    subject_id="m1",
                    cohort_id="VL",
                    year=2025,
                    reason=WHY,
                    cancelled_on=date(2025, 12, 28),
                    **CANCEL,
                )
            ],
            [],
        ),
    ]


def published(saved: Sequence[tuple[list[DomainEvent], list[DomainEvent]]]) -> list[DomainEvent]:
    return [e for public, _ in saved for e in public]


def kept(saved: Sequence[tuple[list[DomainEvent], list[DomainEvent]]]) -> list[DomainEvent]:
    return [e for _, private in saved for e in private]


def test_the_book_publishes_the_levels_and_keeps_what_was_written_beside_them() -> None:
    saved = v2_year()
    assert [type(e) for e in published(saved)] == [
        AppraisalRecordedV2,
        AppraisalRecordedV2,
        LevelDecidedV2,
        LevelDecidedV2,
        DecisionCancelledV2,
    ]
    for event in published(saved):
        assert Category.SENSITIVE not in classified_fields(type(event)).values()
        for text in (NOTE, WHY, *REASONS):
            assert text not in event.model_dump_json()
    assert kept(saved) == [
        AppraisalNoteRecorded(member_id="m1", branch_id="VL", year=2025, note=NOTE),
        DecisionReasonsRecorded(
            subject="member", subject_id="m1", cohort_id="VL", year=2025, reasons=REASONS
        ),
        DecisionCancellationReasonRecorded(
            subject="member", subject_id="m1", cohort_id="VL", year=2025, reason=WHY
        ),
    ]
    for event in kept(saved):
        model = type(event)
        assert not model.published
        assert classified_fields(model)[str(model.data_subject)] is Category.IDENTIFIER
    assert CohortNotes(BOOK_ID).stream_id == "ratings_private-VL-2025"


def test_a_book_rebuilt_from_either_version_holds_the_same_decisions() -> None:
    old = CohortBook.from_history(BOOK_ID, published(v1_year()))
    new = CohortBook.from_history(BOOK_ID, published(v2_year()))
    assert old.decided == new.decided == {"member": {"m2": "good"}, "unit": {}}


TABLES = {
    "appraisals": "SELECT * FROM appraisals ORDER BY member_id",
    "decisions": "SELECT * FROM decisions ORDER BY subject_id",
}


async def test_the_read_models_are_the_same_from_either_version(fresh_database: str) -> None:
    """Appended as the store appends them: each command's book events, then its notes, in
    one transaction; the scorecards and proposals read these rows."""
    await asyncio.to_thread(upgrade, fresh_database)
    pool = await create_pool(fresh_database)
    rows: list[dict[str, list[tuple[object, ...]]]] = []
    decided: list[object] = []  # m1's reasons once decided, before the cancellation
    try:
        for year in (v1_year(), v2_year()):
            async with pool.acquire() as conn, conn.transaction():
                await conn.execute("TRUNCATE appraisals, decisions")
                for public, private in year:
                    appends = [StreamAppend(f"ratings-{BOOK_ID}", 0, public)]
                    if private:
                        appends.append(StreamAppend(f"ratings_private-{BOOK_ID}", 0, private))
                    await project(conn, appends)
                    if isinstance(public[0], LevelDecided | LevelDecidedV2):
                        decided.append(
                            await conn.fetchval(
                                "SELECT reasons FROM decisions WHERE subject_id = 'm1'"
                            )
                        )
                rows.append(
                    {t: [tuple(r) for r in await conn.fetch(sql)] for t, sql in TABLES.items()}
                )
    finally:
        await pool.close()
    v1, v2 = rows
    assert v1 == v2
    assert decided == [REASONS, REASONS]
    assert [(r[0], r[4]) for r in v2["appraisals"]] == [("m1", NOTE), ("m2", "")]
    assert [r[1] for r in v2["decisions"]] == ["m2"]  # m1's was cancelled
