"""What a member's year shows (assignments, reports, meetings, people's inputs) and the named
metrics the rule sets are written against. Every metric a rule-set file may name is here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .rules import RuleSet

MEMBER_METRICS = frozenset(
    {
        "score",
        "tasks_on_time_ratio",
        "tasks_exceeded_ratio",
        "tasks_late_ratio",
        "tasks_not_done_ratio",
        "shortcomings_fixed",
        "discipline_rank",
        "art8_months",
        "reports_on_time_ratio",
        "reports_submitted_ratio",
        "attendance_ratio",
        "review_good_ratio",
        "unexcused_absences",
    }
)
BRANCH_METRICS = frozenset(
    {
        "coverage",
        "report_compliance",
        "regular_meetings_held",
        "quality_meeting_ratio",
        "members_disciplined",
        "art8_members",
        "members_good_ratio",
        "members_not_completed",
        "bon_tot_criteria",
    }
)
ORGANISATION_METRICS = frozenset({"branches_good_ratio", "members_good_ratio"})
DISCIPLINE_RANK = {"reprimand": 1, "warning": 2, "dismissal": 3, "expulsion": 4}


@dataclass
class Tally:
    """Counts over a span of months: the year, or one quarter."""

    reports_expected: int = 0
    reports_submitted: int = 0
    reports_on_time: int = 0
    reviews: dict[str, int] = field(default_factory=dict)  # good / fair / weak
    meetings_expected: int = 0
    present: int = 0
    excused: int = 0
    unexcused: int = 0
    problems_raised: int = 0
    problems_resolved: int = 0


@dataclass
class MemberEvidence:
    member_id: str
    full_name: str
    branch_id: str
    admission_date: date
    committee: bool = False
    assignments: list[str] = field(default_factory=list)
    assigned_months: list[int] = field(default_factory=list)
    year: Tally = field(default_factory=Tally)
    quarters: dict[int, Tally] = field(default_factory=dict)
    unexcused_months: list[str] = field(default_factory=list)
    standing: set[str] = field(default_factory=set)  # exempt / suspended at year end
    discipline: str | None = None  # the heaviest measure of the year
    self_assessment: Mapping[str, Any] | None = None
    appraisal: str | None = None
    decided: str | None = None

    def excluded(self, rules: RuleSet, year: int) -> list[str]:
        """Why this member is not rated this year (empty: rated)."""
        reasons = []
        if rules.exclusions.get("exempt") and "exempt" in self.standing:
            reasons.append("exempt from work and meetings | miễn công tác và sinh hoạt đảng")
        if rules.exclusions.get("suspended") and "suspended" in self.standing:
            reasons.append("suspended | đình chỉ sinh hoạt")
        months = int(rules.exclusions.get("admitted_within_months", 0))
        if months and _months_before_year_end(self.admission_date, year) < months:
            reasons.append(
                f"admitted less than {months} months before the year's end | "
                f"vào Đảng chưa đủ {months} tháng tính đến cuối năm"
            )
        return reasons

    def metrics(self, rules: RuleSet) -> dict[str, float]:
        y = self.year
        expected = y.reports_expected
        on_time = ratio(y.reports_on_time, expected)
        submitted = ratio(y.reports_submitted, expected)
        reviewed = sum(y.reviews.values())
        own = self.self_assessment
        tasks_total = int(own["tasks_total"]) if own else 0
        values: dict[str, float] = {
            "reports_on_time_ratio": on_time,
            "reports_submitted_ratio": submitted,
            "tasks_on_time_ratio": (
                own["tasks_on_time"] / tasks_total if own and tasks_total else on_time
            ),
            "tasks_exceeded_ratio": own["tasks_exceeded"] / tasks_total
            if own and tasks_total
            else 0,
            "tasks_late_ratio": ratio(y.reports_submitted - y.reports_on_time, expected, 0.0),
            "tasks_not_done_ratio": ratio(expected - y.reports_submitted, expected, 0.0),
            "shortcomings_fixed": 1.0 if not own or own["shortcomings_fixed"] else 0.0,
            "discipline_rank": float(DISCIPLINE_RANK.get(self.discipline or "", 0)),
            "art8_months": float(len(self.unexcused_months)),
            "attendance_ratio": ratio(y.present, y.meetings_expected),
            "review_good_ratio": ratio(y.reviews.get("good", 0), reviewed, 0.0),
            "unexcused_absences": float(y.unexcused),
        }
        values["score"] = self.score(rules, values) or 0.0
        return values

    def score(self, rules: RuleSet, values: Mapping[str, float]) -> float | None:
        """Points out of 100 where the rule set scores (30 general + 70 task results)."""
        scoring = rules.scoring
        if scoring is None:
            return None
        own = self.self_assessment
        general = min(float(own["general_points"]), scoring.general_max) if own else None
        reviewed = sum(self.year.reviews.values())
        review_value = (
            sum(scoring.review_values.get(k, 0) * n for k, n in self.year.reviews.items())
            / reviewed
            if reviewed
            else values["reports_on_time_ratio"]
        )
        parts = {
            "reports_on_time": values["reports_on_time_ratio"],
            "attendance": values["attendance_ratio"],
            "reviews": review_value,
        }
        tasks = scoring.tasks_max * sum(w * parts[k] for k, w in scoring.weights.items())
        return round((scoring.general_max if general is None else general) + tasks, 1)


def ratio(part: int, whole: int, empty: float = 1.0) -> float:
    """Nothing expected is nothing failed: 1 (or `empty`)."""
    return round(part / whole, 4) if whole else empty


def _months_before_year_end(admitted: date, year: int) -> int:
    return (year - admitted.year) * 12 + (12 - admitted.month)
