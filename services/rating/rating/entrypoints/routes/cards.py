"""A read model's rows as the API shows them: a member's scorecard, a unit's card, a figure
phrased as the seeds phrase it."""

from __future__ import annotations

from ...application.queries.assessments import MemberAssessment, UnitAssessment
from ...application.queries.scorecard import Tally
from .. import schemas as s


def scorecard(m: MemberAssessment, quarter: int | None) -> s.Scorecard:
    e = m.evidence
    tally = e.year if quarter is None else e.quarters.get(quarter, Tally())
    return s.Scorecard(
        member_id=e.member_id,
        full_name=e.full_name,
        branch_id=e.branch_id,
        quarter=quarter,
        assigned=bool(e.assignments),
        assignments=e.assignments,
        assigned_months=[
            month
            for month in e.assigned_months
            if quarter is None or (month - 1) // 3 + 1 == quarter
        ],
        reports_expected=tally.reports_expected,
        reports_submitted=tally.reports_submitted,
        reports_on_time=tally.reports_on_time,
        reviews_good=tally.reviews.get("good", 0),
        reviews_fair=tally.reviews.get("fair", 0),
        reviews_weak=tally.reviews.get("weak", 0),
        problems_raised=tally.problems_raised,
        problems_resolved=tally.problems_resolved,
        meetings_expected=tally.meetings_expected,
        meetings_present=tally.present,
        meetings_excused=tally.excused,
        meetings_unexcused=tally.unexcused,
        unexcused_months=e.unexcused_months,
        art8_flag=m.removal is not None,
        excluded=m.excluded,
        score=m.proposal.score,
        proposed_level=m.proposal.level,
        reasons=m.reasons,
        decided_level=e.decided,
    )


def unit_card(u: UnitAssessment) -> s.UnitCard:
    branch = u.branch
    title = branch.bon_tot if branch is not None else None
    return s.UnitCard(
        unit_id=u.unit_id,
        name=u.name,
        kind=u.kind,
        path=u.path,
        metrics=branch.metrics if branch else {},
        proposed_level=u.proposal.level if u.proposal else None,
        reasons=u.proposal.texts if u.proposal else [],
        decided_level=u.decided,
        bon_tot=title.held() if title else {},
        bon_tot_title=title.title if title else None,
        months_missed=branch.months_missed if branch else [],
        member_levels=u.levels,
        meetings=branch.meetings if branch else [],
    )


def figure(good: int, total: int) -> s.Figure:
    share = f" ({good / total:.1%})" if total else ""
    return s.Figure(
        good_or_better=good,
        total=total,
        text=f"{good:,}/{total:,}{share}",
        percent=f"{good / total:.2%}" if total else None,
    )
