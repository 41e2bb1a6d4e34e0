"""Once a member is erased, the aggregates that hold texts about them still load, on the
in-memory store and its keyring: attendance's meeting notes, rating's member file and the
notes beside a cohort's book, with the erased texts as None."""

from __future__ import annotations

from datetime import date

from attendance.domain.events import REGISTRY as ATTENDANCE
from attendance.domain.meeting_notes import MeetingNotes
from chibo_contracts.attendance_private import AbsenceReasonRecorded
from chibo_contracts.rating_member_records import CommentRecorded, DisciplineDecided
from chibo_contracts.rating_notes import AppraisalNoteRecorded
from chibo_kernel.domain import Repository
from chibo_kernel.store import InMemoryEventStore
from rating.domain.cohort_notes import CohortNotes
from rating.domain.events import REGISTRY as RATING
from rating.domain.member_file import MemberFile

MEMBER = "m-erased"


async def test_the_meeting_notes_load_with_the_erased_reason_as_none() -> None:
    store = InMemoryEventStore()
    reason = AbsenceReasonRecorded(
        meeting_id="mt-06", branch_id="VL-TT", member_id=MEMBER, reason="Đi viện điều trị"
    )
    await store.append("meetings_private-VL-TT-2020", 0, [reason], org_path=["LC", "VL-TT"])

    await store.keyring.destroy(MEMBER)

    notes = await Repository(lambda: store, ATTENDANCE).load(MeetingNotes, "VL-TT-2020")
    assert notes.version == 1
    assert notes.absence_reasons == {("mt-06", MEMBER): None}


async def test_the_rating_files_and_notes_load_once_their_texts_are_erased() -> None:
    store = InMemoryEventStore()
    discipline = DisciplineDecided(
        member_id=MEMBER,
        branch_id="VL-TT",
        year=2020,
        measure="reprimand",
        decided_on=date(2020, 11, 20),
        violation_year=2020,
        in_duties=True,
        self_reported_and_remedied=False,
        reason="Vi phạm quy định",
    )
    comment = CommentRecorded(
        member_id=MEMBER,
        branch_id="VL-TT",
        year=2020,
        source="residence",
        from_unit="Chi bộ khu dân cư",
        comment="Gương mẫu nơi cư trú",
        commented_on=date(2020, 12, 1),
    )
    note = AppraisalNoteRecorded(member_id=MEMBER, branch_id="VL-TT", year=2020, note="Tốt")
    file_stream = f"{MemberFile.category}-{MEMBER}-2020"
    await store.append(file_stream, 0, [discipline, comment], org_path=["LC", "VL-TT"])
    await store.append(f"{CohortNotes.category}-VL-TT-2020", 0, [note], org_path=["LC"])

    await store.keyring.destroy(MEMBER)

    repository = Repository(lambda: store, RATING)
    member_file = await repository.load(MemberFile, f"{MEMBER}-2020")
    notes = await repository.load(CohortNotes, "VL-TT-2020")
    assert (member_file.version, notes.version) == (2, 1)
    loaded = [e for r in await store.load(file_stream) for e in [r.decode(RATING)]]
    assert [getattr(e, "reason", None) or getattr(e, "comment", None) for e in loaded] == [
        None,
        None,
    ]
