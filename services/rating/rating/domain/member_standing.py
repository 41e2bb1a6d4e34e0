"""Who is not rated at all: exempt, suspended, or admitted too recently."""

from __future__ import annotations

from datetime import date

from .cited import Reason
from .member_year import MemberYear
from .rule_set import NotRated


def not_rated_reasons(member: MemberYear, rules: NotRated) -> list[Reason]:
    found = []
    if rules.exempt.value and member.exempt:
        found.append(
            Reason(
                "exempt",
                "exempt from work and meetings: not rated",
                "được miễn công tác và sinh hoạt đảng: không đánh giá, xếp loại",
                rules.exempt.source,
            )
        )
    if rules.suspended.value and member.suspended:
        found.append(
            Reason(
                "suspended",
                "suspended: not rated",
                "đang bị đình chỉ sinh hoạt đảng: không đánh giá, xếp loại",
                rules.suspended.source,
            )
        )
    months = rules.admitted_within_months.value
    if months and _months_to_year_end(member.admission_date, member.year) < months:
        found.append(
            Reason(
                "recently_admitted",
                f"admitted on {member.admission_date:%d/%m/%Y}, less than {months} months "
                "before the year's end: not rated",
                f"kết nạp ngày {member.admission_date:%d/%m/%Y}, chưa đủ {months} tháng "
                "tính đến cuối năm: không đánh giá, xếp loại",
                rules.admitted_within_months.source,
            )
        )
    return found


def _months_to_year_end(admitted: date, year: int) -> int:
    return (year - admitted.year) * 12 + (12 - admitted.month)
