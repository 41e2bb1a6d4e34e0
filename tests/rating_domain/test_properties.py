"""Properties over random members and years: points stay within 0–100, and no proposal says
"good" or better without tasks done on record, whatever the rule set."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from chibo_contracts.rating import Level
from rating.domain.member_rating import GOOD_OR_BETTER, rate_member
from rating.domain.member_year import DisciplineCase, MemberYear, SelfAssessment, TaskRecord

from .builders import rules

LEVELS: st.SearchStrategy[Level] = st.sampled_from(
    ["excellent", "good", "completed", "not_completed"]
)


@st.composite
def task_records(draw: st.DrawFn) -> TaskRecord | None:
    if draw(st.booleans()):
        return None
    expected = draw(st.integers(0, 40))
    done = draw(st.integers(0, expected))
    return TaskRecord(expected, done, draw(st.integers(0, done)))


@st.composite
def self_assessments(draw: st.DrawFn) -> SelfAssessment | None:
    if draw(st.booleans()):
        return None
    total = draw(st.integers(0, 30))
    return SelfAssessment(
        draw(st.floats(0, 30)),
        draw(st.floats(0, 70)),
        total,
        draw(st.integers(0, total)),
        draw(st.integers(0, total)),
        draw(st.booleans()),
        draw(LEVELS),
    )


@st.composite
def members(draw: st.DrawFn) -> MemberYear:
    year = draw(st.integers(2018, 2027))
    disciplines = draw(
        st.lists(
            st.builds(
                DisciplineCase,
                measure=st.sampled_from(["reprimand", "warning", "dismissal", "expulsion"]),
                decided_on=st.dates(date(year - 1, 1, 1), date(year, 12, 31)),
                violation_year=st.integers(year - 3, year),
                in_duties=st.none() | st.booleans(),
                self_reported_and_remedied=st.booleans(),
            ),
            max_size=2,
        )
    )
    return MemberYear(
        member_id="dv",
        full_name="Hoàng Thị Mai",
        year=year,
        admission_date=draw(st.dates(date(1960, 1, 1), date(year, 12, 31))),
        exempt=draw(st.booleans()),
        suspended=draw(st.booleans()),
        reports=draw(task_records()),
        sick_leave_months=draw(st.integers(0, 12)),
        disciplines=tuple(disciplines),
        self_assessment=draw(self_assessments()),
        appraisal_level=draw(st.one_of(st.none(), LEVELS)),
    )


@settings(max_examples=400, deadline=None)
@given(members())
def test_no_good_or_better_without_every_task_on_record_done(member: MemberYear) -> None:
    found = rate_member(member, rules(member.year).member)
    if found.score is not None:
        assert 0 <= found.score <= 100
    if not found.rated:
        assert found.level is None
    if found.level in GOOD_OR_BETTER:
        tasks = member.reports
        assert tasks is not None
        assert tasks.done > 0
    assert all(r.source for r in (*found.reasons, *found.missing)), found.texts
