""" "Chi bộ bốn tốt" (Nghị quyết 21-NQ/TW, mục III.1.1): a title of its own beside the rating
levels, held when all four criteria hold. The text names the four; the measures of each are
the province's, in the rule file. A criterion the records cannot show is not held."""

from __future__ import annotations

from dataclasses import dataclass

from .branch_record import BranchRecord
from .cited import Cited, Reason, percent
from .collective_year import GOOD_OR_BETTER
from .rule_set import BonTot

CRITERIA = {
    "political": ("political tasks done well", "hoàn thành tốt nhiệm vụ chính trị"),
    "meetings": ("good meeting quality", "chất lượng sinh hoạt tốt"),
    "unity": ("good unity and discipline", "đoàn kết, kỷ luật tốt"),
    "cadres": ("good cadres and members", "cán bộ, đảng viên tốt"),
}


@dataclass(frozen=True, slots=True)
class Criterion:
    name: str
    holds: bool | None  # None: the records cannot show it
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class BonTotResult:
    criteria: tuple[Criterion, ...]

    @property
    def title(self) -> bool:
        return all(c.holds for c in self.criteria)

    def held(self) -> dict[str, bool]:
        return {c.name: bool(c.holds) for c in self.criteria}


def bon_tot(branch: BranchRecord, rules: BonTot) -> BonTotResult:
    levels = branch.member_levels
    rated = [x for x in levels if x is not None]
    good = sum(1 for x in rated if x in GOOD_OR_BETTER)
    not_completed = sum(1 for x in rated if x == "not_completed")
    undecided = len(levels) - len(rated)
    return BonTotResult(
        (
            _criterion(
                "political",
                _at_least(
                    rules.coverage,
                    branch.members_assigned,
                    branch.eligible_members,
                    "members with a task",
                    "đảng viên được phân công",
                ),
                _at_least(
                    rules.report_compliance,
                    branch.reports_submitted,
                    branch.reports_expected,
                    "reports submitted",
                    "báo cáo đã nộp",
                ),
            ),
            _criterion(
                "meetings",
                _count_at_least(
                    rules.regular_meetings,
                    branch.regular_meeting_months,
                    "months with a regular meeting",
                    "tháng có sinh hoạt thường kỳ",
                ),
                _at_least(
                    rules.quality_meeting_share,
                    branch.meetings_of_quality,
                    branch.meetings_judged,
                    "meetings of quality",
                    "buổi sinh hoạt đạt chất lượng",
                ),
            ),
            _criterion(
                "unity",
                _at_most(
                    rules.members_disciplined_max,
                    branch.members_disciplined,
                    "members disciplined",
                    "đảng viên bị kỷ luật",
                ),
                _at_most(
                    rules.removal_flags_max,
                    branch.removal_flags,
                    "members considered for removal",
                    "đảng viên thuộc diện xóa tên",
                ),
            ),
            _criterion(
                "cadres",
                None
                if undecided or not levels
                else _at_least(
                    rules.members_good_share,
                    good,
                    len(rated),
                    "members good or better",
                    "đảng viên hoàn thành tốt trở lên",
                ),
                _at_most(
                    rules.members_not_completed_max,
                    not_completed,
                    "members not completed",
                    "đảng viên không hoàn thành nhiệm vụ",
                ),
                missing=(
                    Reason(
                        "members_unrated",
                        f"{undecided} members not yet rated",
                        f"{undecided} đảng viên chưa được xếp loại",
                        rules.members_good_share.source,
                    )
                    if undecided or not levels
                    else None
                ),
            ),
        )
    )


Check = tuple[bool, Reason] | None


def _criterion(name: str, *checks: Check, missing: Reason | None = None) -> Criterion:
    reasons = [r for c in checks if c is not None for r in (c[1],)]
    if missing is not None:
        reasons.append(missing)
    if any(c is None for c in checks):
        return Criterion(name, None, tuple(reasons))
    return Criterion(name, all(c[0] for c in checks if c is not None), tuple(reasons))


def _at_least(bound: Cited[float], part: int, whole: int, en: str, vi: str) -> Check:
    if not whole:
        return None
    ratio = part / whole
    ok = ratio >= bound.value
    sign = "≥" if ok else "<"
    return ok, Reason(
        en.replace(" ", "_"),
        f"{part}/{whole} {en} ({percent(ratio)} {sign} {percent(bound.value)})",
        f"{part}/{whole} {vi} ({percent(ratio)} {sign} {percent(bound.value)})",
        bound.source,
    )


def _count_at_least(bound: Cited[int], count: int, en: str, vi: str) -> Check:
    ok = count >= bound.value
    sign = "≥" if ok else "<"
    return ok, Reason(
        en.replace(" ", "_"),
        f"{count} {en} ({sign} {bound.value})",
        f"{count} {vi} ({sign} {bound.value})",
        bound.source,
    )


def _at_most(bound: Cited[int], count: int, en: str, vi: str) -> Check:
    ok = count <= bound.value
    sign = "≤" if ok else ">"
    return ok, Reason(
        en.replace(" ", "_"),
        f"{count} {en} ({sign} {bound.value})",
        f"{count} {vi} ({sign} {bound.value})",
        bound.source,
    )
