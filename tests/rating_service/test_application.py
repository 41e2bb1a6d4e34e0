"""The rating service's own commands through its composition root (`bootstrap.boundary`),
without HTTP or NATS. One suite runs on the in-memory store (the consumed tree and members'
branches kept in memory: `MemoryFacts`) and on PostgreSQL (the same events through the facts
projection into a generation, rating's own read models written in each append's
transaction): the commands that read only where they act. The commands that weigh the
year's evidence or the decisions (a decision and its cancellation, the cohort, Charter
art. 8's removal) read what only the read models hold, and run on PostgreSQL alone. The same
permissions table decides on both, and a refused command stores nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest
from attendance_service.branch import BRANCH, OTHER
from delivered import as_delivered
from rating_domain.builders import book as rule_book

from chibo_chassis.auth import Boundary, Forbidden, acting_as
from chibo_contracts.rating import (
    AllowanceGranted,
    AppraisalNoteRecorded,
    AppraisalRecordedV2,
    CohortSet,
    CommentRecorded,
    ConclusionRecorded,
    DecisionCancellationReasonRecorded,
    DecisionCancelledV2,
    DecisionReasonsRecorded,
    DisciplineDecided,
    LevelDecidedV2,
    RemovalDecided,
    RemovalProposed,
    SelfAssessmentSubmitted,
    UnitAppraised,
)
from chibo_kernel import DomainEvent
from chibo_kernel.db import create_pool
from chibo_kernel.domain import Repository
from chibo_kernel.errors import NotFound, RuleViolation
from chibo_kernel.pool import LeanPool
from chibo_kernel.store import EventStore, InMemoryEventStore, PostgresEventStore
from rating.adapters.facts_projection import FactsProjection
from rating.adapters.facts_schema import create_facts_schema
from rating.adapters.memory_facts import MemoryFacts
from rating.adapters.places import Places, ReadModelPlaces
from rating.adapters.projection import project
from rating.application.whereabouts import FactWhereabouts
from rating.bootstrap import boundary
from rating.domain import commands as c
from rating.domain.events import REGISTRY
from rating.migrations import upgrade

from .builders import (
    ABSENT_MONTHS,
    ADMIN,
    BOARD,
    COMMITTEE,
    COMMUNE,
    LEAVER,
    MEMBER,
    MOVER,
    NEIGHBOUR,
    NEXT_DOOR,
    NEXT_DOOR_PATH,
    NEXT_DOOR_SECRETARY,
    NOTE,
    OWN,
    PATH,
    SECRETARY,
    YEAR,
    allowance,
    appraisal,
    book,
    cancel,
    cohort,
    consumed_world,
    decide,
    decide_removal,
    discipline,
    leave,
    notes,
    private_file,
    propose_removal,
    self_assessment,
    unit_appraisal,
)


class FirstGeneration:
    """The one generation of the facts these tests fill (`consumed`): read, never rebuilt."""

    active_schema = "rm_1"

    async def status(self) -> dict[str, Any]:
        return {"active": 1, "building": None}

    async def rebuild(self) -> int:
        raise NotImplementedError("no streams to rebuild the facts from")


class Backend:
    def __init__(self, bus: Boundary[Places], store: EventStore) -> None:
        self.bus, self.store = bus, store

    async def events(self, stream_id: str) -> list[DomainEvent]:
        return [r.decode(REGISTRY) for r in await self.store.load(stream_id)]

    async def filed_under(self, stream_id: str) -> list[list[str]]:
        """Each event's organisation path: where the audit and the relay file it."""
        return [r.metadata["org_path"] for r in await self.store.load(stream_id)]


async def consumed(pool: LeanPool, events: Sequence[DomainEvent]) -> None:
    """The other services' events through the facts projection into the first generation,
    in one transaction, as the consumers apply what JetStream delivers."""
    schema = FirstGeneration.active_schema
    received = as_delivered(events, datetime(2026, 1, 10, tzinfo=UTC))
    async with pool.acquire() as conn:
        await create_facts_schema(conn, schema)
        await conn.execute(
            "INSERT INTO consumed_read_models (name, generation, state, consumer) "
            "VALUES ('rating-facts', 1, 'active', 'rating-application-test-g1')"
        )
        async with conn.transaction():
            await FactsProjection(schema, rule_book().first_year).apply(conn, received)


def on_memory() -> Backend:
    memory, facts = InMemoryEventStore(), MemoryFacts()
    facts.consume(consumed_world())
    return Backend(
        boundary(Repository(lambda: memory, REGISTRY), rule_book(), facts, facts), memory
    )


@asynccontextmanager
async def on_postgres(url: str) -> AsyncIterator[Backend]:
    await asyncio.to_thread(upgrade, url)
    pool = await create_pool(url)
    try:
        await consumed(pool, consumed_world())
        store = PostgresEventStore(pool)
        generation = FirstGeneration()

        def schema() -> str:
            return generation.active_schema

        bus = boundary(
            Repository(lambda: store, REGISTRY, project=project),
            rule_book(),
            ReadModelPlaces(lambda: pool, schema),
            FactWhereabouts(lambda: pool, schema),
            read_models=(lambda: pool, generation),
        )
        yield Backend(bus, store)
    finally:
        await pool.close()


@pytest.fixture(params=["memory", "postgres"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    """The service, having consumed `builders.consumed_world`."""
    if request.param == "memory":
        yield on_memory()
        return
    async with on_postgres(request.getfixturevalue("fresh_database")) as backend:
        yield backend


@pytest.fixture
async def postgres(fresh_database: str) -> AsyncIterator[Backend]:
    """The service on its read models alone: for the commands that weigh what they hold."""
    async with on_postgres(fresh_database) as backend:
        yield backend


@contextmanager
def refused(code: str) -> Iterator[None]:
    with pytest.raises(RuleViolation) as refusal:
        yield
    assert refusal.value.code == code


async def test_a_member_assesses_their_own_year_once_in_their_branch_book(
    backend: Backend,
) -> None:
    bus = backend.bus
    with acting_as(OWN):
        saved = await bus.run(self_assessment())
        with pytest.raises(Forbidden):
            await bus.run(self_assessment(NEIGHBOUR))  # the member role acts on its own only
        with refused("self_assessment_exists"):
            await bus.run(self_assessment())
    assert saved.versions == {book(BRANCH): 1}
    assert len(saved.event_ids) == 1
    (submitted,) = await backend.events(book(BRANCH))
    assert isinstance(submitted, SelfAssessmentSubmitted)
    assert (submitted.member_id, submitted.branch_id, submitted.year) == (MEMBER, BRANCH, YEAR)
    assert (submitted.general_points, submitted.task_points, submitted.level) == (28, 60, "good")
    assert await backend.filed_under(book(BRANCH)) == [PATH]


async def test_a_member_moved_during_the_year_is_appraised_where_they_are_at_its_end(
    backend: Backend,
) -> None:
    bus = backend.bus
    with acting_as(SECRETARY):
        await bus.run(appraisal(MOVER))
        with pytest.raises(Forbidden):  # in the year before, the mover was next door
            await bus.run(appraisal(MOVER, YEAR - 1))
    with acting_as(NEXT_DOOR_SECRETARY):
        await bus.run(appraisal(MOVER, YEAR - 1, "excellent"))
        with pytest.raises(Forbidden):
            await bus.run(appraisal(MOVER))
    (here,) = await backend.events(book(BRANCH))
    (there,) = await backend.events(book(OTHER, YEAR - 1))
    assert isinstance(here, AppraisalRecordedV2)
    assert isinstance(there, AppraisalRecordedV2)
    assert (here.member_id, here.branch_id, here.level) == (MOVER, BRANCH, "good")
    assert (there.member_id, there.branch_id, there.level) == (MOVER, OTHER, "excellent")
    # The note stays beside the book, never published.
    assert await backend.events(notes(BRANCH)) == [
        AppraisalNoteRecorded(member_id=MOVER, branch_id=BRANCH, year=YEAR, note=NOTE)
    ]
    assert await backend.filed_under(book(OTHER, YEAR - 1)) == [NEXT_DOOR_PATH]
    assert await backend.events(book(OTHER)) == []


async def test_the_branch_records_leave_and_comments_and_the_committee_disciplines(
    backend: Backend,
) -> None:
    bus = backend.bus
    comment = c.RecordComment(
        MEMBER, YEAR, "residence", "Chi bộ khu dân cư số 2", " Gương mẫu ", date(YEAR, 11, 2)
    )
    conclusion = c.RecordConclusion(
        MEMBER, YEAR, "example_duty", date(YEAR, 10, 2), "Vi phạm nêu gương"
    )
    with acting_as(SECRETARY):
        await bus.run(leave(date(YEAR, 3, 1), date(YEAR, 4, 30)))
        await bus.run(comment)
        with pytest.raises(Forbidden):  # discipline is decided a level up
            await bus.run(discipline())
        with pytest.raises(Forbidden):
            await bus.run(conclusion)
    with acting_as(NEXT_DOOR_SECRETARY), pytest.raises(Forbidden):
        await bus.run(leave(date(YEAR, 9, 1), date(YEAR, 9, 30)))
    with acting_as(COMMITTEE):
        await bus.run(discipline())
        await bus.run(conclusion)
    filed = await backend.events(private_file(MEMBER))
    assert [e.event_type.split(".")[2] for e in filed] == [
        "leave_recorded",
        "comment_recorded",
        "discipline_decided",
        "conclusion_recorded",
    ]
    commented, decided, concluded = filed[1:]
    assert isinstance(decided, DisciplineDecided)
    assert (decided.measure, decided.violation_year, decided.in_duties) == ("reprimand", YEAR, True)
    # Who concluded is who signed in; a comment's author is the organisation that wrote it.
    assert isinstance(concluded, ConclusionRecorded)
    assert concluded.concluded_by == "Đảng ủy xã Võ Lao"
    assert isinstance(commented, CommentRecorded)
    assert commented.from_unit == "Chi bộ khu dân cư số 2"
    assert all(not e.published for e in filed)  # personal: kept off the public stream
    assert await backend.filed_under(private_file(MEMBER)) == [PATH] * 4


async def test_inputs_that_cannot_hold_are_refused_and_nothing_of_them_is_stored(
    backend: Backend,
) -> None:
    bus = backend.bus
    with acting_as(COMMITTEE):
        await bus.run(leave(date(YEAR, 3, 1), date(YEAR, 4, 30)))
        with refused("leave_overlaps"):
            await bus.run(leave(date(YEAR, 4, 1), date(YEAR, 5, 31)))
        with refused("leave_ends_before_it_starts"):
            await bus.run(leave(date(YEAR, 8, 1), date(YEAR, 7, 1)))
        with refused("outside_year"):
            await bus.run(discipline(decided_on=date(YEAR - 1, 12, 1)))
        with refused("tasks_inconsistent"):
            await bus.run(self_assessment(tasks_on_time=11))
    assert [e.event_type.split(".")[2] for e in await backend.events(private_file(MEMBER))] == [
        "leave_recorded"
    ]
    assert await backend.events(book(BRANCH)) == []


async def test_a_member_the_facts_do_not_place_is_unknown_to_the_province_and_out_of_scope_below(
    backend: Backend,
) -> None:
    bus = backend.bus
    with acting_as(ADMIN):
        with pytest.raises(NotFound):
            await bus.run(appraisal("nobody"))
        # Located at their last branch, so the province may ask; not in one at the year's
        # end, so there is nothing to appraise.
        with refused("member_unknown"):
            await bus.run(appraisal(LEAVER))
    with acting_as(SECRETARY), pytest.raises(Forbidden):
        await bus.run(appraisal("nobody"))
    assert await backend.events(book(BRANCH)) == []


async def test_the_level_above_appraises_a_branch_and_grants_its_cohort_the_allowance(
    backend: Backend,
) -> None:
    bus = backend.bus
    with acting_as(COMMITTEE):
        await bus.run(unit_appraisal())
        with refused("points_by_rule_set"):  # the 2025 rules score a collective out of 100
            await bus.run(unit_appraisal(OTHER, points=None))
        with pytest.raises(Forbidden):  # granted by the level above the commune
            await bus.run(allowance())
    with acting_as(BOARD):
        with refused("not_rated_here"):
            await bus.run(unit_appraisal("VB"))
        with refused("reason_required"):
            await bus.run(allowance(reason="  "))
        await bus.run(allowance())
        with refused("allowance_granted"):
            await bus.run(allowance())
    (appraised,) = await backend.events(book(BRANCH))
    assert isinstance(appraised, UnitAppraised)
    assert (appraised.unit_id, appraised.points, appraised.level) == (BRANCH, 92, "excellent")
    assert appraised.appraised_by == "Đảng ủy xã Võ Lao"  # the commune's committee signed in
    assert await backend.events(book(OTHER)) == []
    (granted,) = await backend.events(book(COMMUNE))
    assert isinstance(granted, AllowanceGranted)
    assert (granted.cohort_id, granted.reason) == (COMMUNE, "Đơn vị tiêu biểu")
    assert granted.granted_by == "Huyện ủy Văn Bàn"  # the district's board signed in
    assert await backend.filed_under(book(COMMUNE)) == [PATH[:3]]


async def test_the_service_itself_needs_no_principal(backend: Backend) -> None:
    saved = await backend.bus.run(appraisal(NEXT_DOOR))
    assert saved.versions == {book(OTHER): 1, notes(OTHER): 1}
    await backend.bus.run(unit_appraisal())
    (appraised,) = await backend.events(book(BRANCH))
    assert isinstance(appraised, UnitAppraised)
    assert appraised.appraised_by == "Dịch vụ đánh giá"  # no one signed in: it names itself


async def test_a_branch_decides_its_members_in_the_commune_cohort_and_the_commune_cancels(
    postgres: Backend,
) -> None:
    bus = postgres.bus
    with acting_as(SECRETARY), pytest.raises(Forbidden):  # a branch decides in a meeting
        await bus.run(decide(MEMBER, "completed"))
    with acting_as(COMMITTEE):
        with refused("not_in_cohort"):
            await bus.run(decide(NEXT_DOOR, "good"))
        await bus.run(decide(MEMBER, "completed"))
        with refused("already_decided"):
            await bus.run(decide(MEMBER, "good"))
        with refused("not_a_higher_level"):
            await bus.run(cancel(MEMBER, by_unit_id=BRANCH))
        await bus.run(cancel(MEMBER))
        await bus.run(decide(MEMBER, "good"))  # rated again once cancelled
    with acting_as(SECRETARY), pytest.raises(Forbidden):
        await bus.run(cancel(MEMBER))
    decided, cancelled, again = await postgres.events(book(COMMUNE))
    assert isinstance(decided, LevelDecidedV2)
    assert isinstance(cancelled, DecisionCancelledV2)
    assert isinstance(again, LevelDecidedV2)
    reasons, why, reasons_again = await postgres.events(notes(COMMUNE))
    assert isinstance(reasons, DecisionReasonsRecorded)
    assert isinstance(reasons_again, DecisionReasonsRecorded)
    assert (reasons.subject_id, reasons.cohort_id) == (MEMBER, COMMUNE)
    assert reasons.reasons  # what the service proposed, as the committee read it
    assert why == DecisionCancellationReasonRecorded(
        subject="member",
        subject_id=MEMBER,
        cohort_id=COMMUNE,
        year=YEAR,
        reason="Chưa xem xét kết luận của Ủy ban kiểm tra",
    )
    assert (decided.subject, decided.subject_id, decided.cohort_id) == ("member", MEMBER, COMMUNE)
    assert (decided.level, again.level) == ("completed", "good")
    # Who decided and who cancelled: the committee the token's role is held over.
    assert {decided.decided_by, cancelled.cancelled_by} == {"Đảng ủy xã Võ Lao"}
    assert (cancelled.subject_id, cancelled.by_unit_id) == (MEMBER, COMMUNE)
    assert await postgres.filed_under(book(COMMUNE)) == [PATH] * 3  # where the member is
    assert await postgres.events(book(BRANCH)) == []


async def test_a_cohort_set_for_a_branch_counts_its_decisions_and_stays_once_one_is_made(
    postgres: Backend,
) -> None:
    bus = postgres.bus
    with acting_as(COMMITTEE):
        with refused("not_a_branch"):
            await bus.run(cohort(COMMUNE, unit_id=COMMUNE))
        with refused("cohort_not_above"):  # the branch next door is off the branch's path
            await bus.run(cohort(OTHER))
        await bus.run(cohort(BRANCH))
        await bus.run(decide(MEMBER, "good"))
        with refused("cohort_in_use"):
            await bus.run(cohort(COMMUNE))
    chosen, decided = await postgres.events(book(BRANCH))
    assert isinstance(chosen, CohortSet)
    assert (chosen.unit_id, chosen.cohort_id, chosen.decided_by) == (
        BRANCH,
        BRANCH,
        "Đảng ủy xã Võ Lao",
    )
    assert isinstance(decided, LevelDecidedV2)
    assert (decided.subject_id, decided.cohort_id) == (MEMBER, BRANCH)
    assert await postgres.events(book(COMMUNE)) == []


async def test_the_branch_proposes_removing_a_member_absent_three_months_and_the_committee_decides(
    postgres: Backend,
) -> None:
    bus = postgres.bus
    with acting_as(SECRETARY):
        with refused("not_flagged"):
            await bus.run(propose_removal(MEMBER))
        await bus.run(propose_removal())
        with refused("removal_proposed"):
            await bus.run(propose_removal())
        with pytest.raises(Forbidden):
            await bus.run(decide_removal())
    with acting_as(COMMITTEE):
        await bus.run(decide_removal())
        with refused("no_removal_proposal"):  # decided once
            await bus.run(decide_removal(removed=False))
    proposed, decided = await postgres.events(private_file(NEIGHBOUR))
    assert isinstance(proposed, RemovalProposed)
    assert isinstance(decided, RemovalDecided)
    assert (proposed.branch_id, proposed.months) == (BRANCH, ABSENT_MONTHS)
    assert decided.removed is True
    assert (proposed.proposed_by, decided.decided_by) == (
        "Chi bộ thị tứ Võ Lao",  # the branch, its secretary signed in
        "Đảng ủy xã Võ Lao",
    )
    assert await postgres.events(private_file(MEMBER)) == []
