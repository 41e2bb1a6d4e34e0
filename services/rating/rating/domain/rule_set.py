"""A year's rating rules, typed. Each threshold is a `Cited` value read from a reviewed
rule-set file (`rating/rules/*.toml`) and nowhere else; the loader refuses an entry that
does not cite its article."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_contracts.rating import Level, Measure

from .cited import Cited


@dataclass(frozen=True, slots=True)
class Scoring:
    """Points out of 100, where the set scores: general criteria + task results."""

    general_max: Cited[float]
    tasks_max: Cited[float]


@dataclass(frozen=True, slots=True)
class LevelBar:
    """What one level asks of a member; an absent entry is not asked by that set."""

    min_score: Cited[float] | None = None
    tasks_done: Cited[float] | None = None  # share of tasks done, at least
    tasks_on_time: Cited[float] | None = None  # share done on time and well, at least
    tasks_exceeded: Cited[float] | None = None  # share exceeded, at least
    max_late: Cited[float] | None = None  # share late or below quality, at most
    shortcomings_fixed: Cited[bool] | None = None
    # Where the set rates criteria in words, not points: the committee's appraisal (else the
    # member's own) must reach this level.
    judged_at_least: Cited[bool] | None = None


@dataclass(frozen=True, slots=True)
class Forced:
    """What makes a member "không hoàn thành nhiệm vụ" whatever else holds."""

    tasks_done_below: Cited[float]  # "chỉ hoàn thành dưới 50% …"
    discipline_from: Cited[Measure]
    # True: only a measure for a violation in performing duties forces it.
    discipline_in_duties_only: Cited[bool]
    # True: a member who reported the violation and remedied it is not forced down.
    leniency_self_reported: Cited[bool]
    # True: a measure decided this year for an earlier year's violation counts this year.
    earlier_years_count_when_decided: Cited[bool]
    degradation: Cited[bool]
    forbidden_acts: Cited[bool] | None = None
    example_duty: Cited[bool] | None = None


@dataclass(frozen=True, slots=True)
class NotRated:
    exempt: Cited[bool]
    suspended: Cited[bool]
    admitted_within_months: Cited[int]
    # Sick leave this long or longer in the year (months added up) …
    long_sick_leave_months: Cited[int]
    # … caps the level here; absent: rated on the work actually done, as maternity leave is.
    long_sick_leave_cap: Cited[Level] | None = None
    # True: a member on temporary attendance is rated only with the host branch's comment.
    host_comment_required: Cited[bool] | None = None


@dataclass(frozen=True, slots=True)
class MemberRules:
    excellent: LevelBar
    good: LevelBar
    completed: LevelBar
    forced: Forced
    not_rated: NotRated
    scoring: Scoring | None = None


@dataclass(frozen=True, slots=True)
class CollectiveBar:
    """What one level asks of a branch or a grassroots organisation."""

    min_score: Cited[float] | None = None
    tasks_done: Cited[float] | None = None
    tasks_exceeded: Cited[float] | None = None
    sub_units_not_completed_max: Cited[int] | None = None
    sub_units_good_share: Cited[float] | None = None
    members_good_share: Cited[float] | None = None
    leaders_disciplined_max: Cited[int] | None = None
    sub_units_disciplined_max: Cited[int] | None = None
    judged_at_least: Cited[bool] | None = None


@dataclass(frozen=True, slots=True)
class CollectiveForced:
    tasks_done_below: Cited[float] | None = None
    sub_units_disciplined_share_above: Cited[float] | None = None
    disciplined: Cited[bool] | None = None  # the collective itself was disciplined


@dataclass(frozen=True, slots=True)
class CollectiveRules:
    excellent: CollectiveBar
    good: CollectiveBar
    completed: CollectiveBar
    forced: CollectiveForced
    scoring: Scoring | None = None


@dataclass(frozen=True, slots=True)
class Quota:
    excellent_of_good: Cited[float]
    allowance: Cited[float]  # what the competent level may grant an outstanding unit
    cohort: Cited[str]  # the default cohort: "grassroots" or "branch"
    excellent_in_base: Cited[bool]  # whether "good" counts the excellent too


@dataclass(frozen=True, slots=True)
class MeetingQuality:
    attendance_above: Cited[float]
    max_unexcused: Cited[int]
    max_absent_in_a_row: Cited[int]
    minutes_required: Cited[bool]
    prepared_required: Cited[bool]
    min_minutes: Cited[int] | None = None
    min_minutes_with_thematic: Cited[int] | None = None
    minutes_from: Cited[str] | None = None  # the first month (YYYY-MM) the minimum applies to


@dataclass(frozen=True, slots=True)
class BonTot:
    """ "Chi bộ bốn tốt": a title of its own, with four criteria whose measures are local."""

    since: Cited[int]  # the year the title was first given
    coverage: Cited[float]
    report_compliance: Cited[float]
    regular_meetings: Cited[int]
    quality_meeting_share: Cited[float]
    members_disciplined_max: Cited[int]
    removal_flags_max: Cited[int]
    members_good_share: Cited[float]
    members_not_completed_max: Cited[int]


@dataclass(frozen=True, slots=True)
class RuleSet:
    id: str
    title: str
    from_year: int
    to_year: int
    member: MemberRules
    collective: CollectiveRules
    quota: Quota
    meeting_quality: MeetingQuality
    bon_tot: BonTot | None = None

    def covers(self, year: int) -> bool:
        return self.from_year <= year <= self.to_year


@dataclass(frozen=True, slots=True)
class Charter:
    """Điều lệ Đảng: what the rating sets share (the removal procedure, meetings)."""

    removal_months: Cited[int]  # art. 8: months in a year absent without good reason
    regular_meetings_per_year: Cited[int]  # art. 24: the branch meets monthly
    award_years: Cited[int]  # years in a row "hoàn thành xuất sắc" for the multi-year award
    grassroots_cell_max_members: Cited[int]  # art. 21: a chi bộ cơ sở has fewer than this
