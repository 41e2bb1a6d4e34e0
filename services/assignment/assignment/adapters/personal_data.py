"""What the assignment service holds about a member, for their export
(`GET /v1/members/{id}/personal-data`, chibo_chassis.subject_export): the member's own
streams (record, identity, the reasons beside their standing; the texts of their reports
and problems are found by their data subject wherever they are filed) and the read-model
rows about them, names joined in."""

from __future__ import annotations

from chibo_chassis.subject_export import Column, SubjectData, Table

from ..domain.events import REGISTRY
from ..domain.identity import MemberIdentity
from ..domain.member import Member
from ..domain.private_texts import StandingReasons


def own_streams(member_id: str) -> list[str]:
    return [f"{kind.category}-{member_id}" for kind in (Member, MemberIdentity, StandingReasons)]


BRANCH = Column("branch", "Chi bộ", "Branch")
YEAR = Column("year", "Năm", "Year")

MEMBER = Table(
    "member",
    "Hồ sơ đảng viên",
    "Member record",
    """
SELECT m.full_name, c.card_number, c.birth_date, m.admission_date, m.status,
       b.name AS branch, m.roles, m.exempt_from, m.exempt_to, m.suspended_from,
       m.suspended_to, t.name AS temporary_branch, m.temporary_from, m.temporary_to, m.left_on
  FROM members m LEFT JOIN member_cards c USING (member_id)
  LEFT JOIN org_units b ON b.unit_id = m.branch_id
  LEFT JOIN org_units t ON t.unit_id = m.temporary_branch_id
 WHERE m.member_id = $1
""",
    (
        Column("full_name", "Họ và tên", "Full name", "personal", erasable=True),
        Column("card_number", "Số thẻ đảng viên", "Card number", "personal", erasable=True),
        Column("birth_date", "Ngày sinh", "Birth date", "personal", erasable=True),
        Column("admission_date", "Ngày vào Đảng", "Admission date", "personal"),
        Column("status", "Loại đảng viên", "Status", "sensitive", coded=True),
        BRANCH,
        Column("roles", "Chức vụ", "Roles", "sensitive", coded=True),
        Column("exempt_from", "Miễn sinh hoạt từ", "Exempt from"),
        Column("exempt_to", "Miễn sinh hoạt đến", "Exempt to"),
        Column("suspended_from", "Đình chỉ từ", "Suspended from"),
        Column("suspended_to", "Đình chỉ đến", "Suspended to"),
        Column("temporary_branch", "Sinh hoạt tạm thời tại", "Temporarily at"),
        Column("temporary_from", "Sinh hoạt tạm thời từ", "Temporarily from"),
        Column("temporary_to", "Sinh hoạt tạm thời đến", "Temporarily to"),
        Column("left_on", "Ra khỏi Đảng ngày", "Left on"),
    ),
)

HOUSEHOLDS = Table(
    "households",
    "Hộ được phân công theo dõi",
    "Households assigned",
    """
SELECT p.year, b.name AS branch, a.household_id, h.label AS household, a.out_of_range
  FROM plan_assignments a JOIN plans p USING (plan_id)
  LEFT JOIN households h ON h.branch_id = p.branch_id AND h.household_id = a.household_id
  LEFT JOIN org_units b ON b.unit_id = p.branch_id
 WHERE a.member_id = $1 ORDER BY p.year, a.household_id
""",
    (
        YEAR,
        BRANCH,
        Column("household_id", "Mã hộ", "Household id", "identifier"),
        Column("household", "Hộ", "Household", "personal"),
        Column("out_of_range", "Ngoài định mức", "Out of range"),
    ),
)

DUTIES = Table(
    "duties",
    "Nhiệm vụ được phân công",
    "Duties",
    """
SELECT p.year, b.name AS branch, d.kind, coalesce(x.name, d.target_id) AS duty
  FROM plan_duties d JOIN plans p USING (plan_id)
  LEFT JOIN duties x ON x.branch_id = p.branch_id AND x.kind = d.kind
                    AND x.target_id = d.target_id
  LEFT JOIN org_units b ON b.unit_id = p.branch_id
 WHERE d.member_id = $1 ORDER BY p.year, d.kind, duty
""",
    (
        YEAR,
        BRANCH,
        Column("kind", "Loại", "Kind", coded=True),
        Column("duty", "Nhiệm vụ", "Duty"),
    ),
)

RELEASED = Table(
    "released",
    "Phân công đã thôi",
    "Assignments released",
    """
SELECT p.year, 'households' AS what, r.household_id AS which, r.reason
  FROM released_households r JOIN plans p USING (plan_id) WHERE r.member_id = $1
UNION ALL
SELECT p.year, 'duty', r.duty, r.reason
  FROM released_duties r JOIN plans p USING (plan_id) WHERE r.member_id = $1
 ORDER BY 1, 2, 3
""",
    (
        YEAR,
        Column("what", "Loại", "What", coded=True),
        Column("which", "Hộ, nhiệm vụ", "Which", "identifier"),
        Column("reason", "Lý do", "Reason", coded=True),
    ),
)

MENTORING = Table(
    "mentoring",
    "Giúp đỡ đảng viên",
    "Mentoring",
    """
SELECT p.year, CASE WHEN g.member_id = $1 THEN 'người giúp đỡ' ELSE 'người được giúp đỡ'
       END AS relation, o.full_name AS other
  FROM plan_mentors g JOIN plans p USING (plan_id)
  LEFT JOIN members o ON o.member_id = CASE WHEN g.member_id = $1 THEN g.mentor_id
                                            ELSE g.member_id END
 WHERE g.member_id = $1 OR g.mentor_id = $1 ORDER BY p.year
""",
    (
        YEAR,
        Column("relation", "Là", "Relation"),
        Column("other", "Đồng chí", "The other member", "personal"),
    ),
)

REPORTS = Table(
    "reports",
    "Báo cáo hằng tháng",
    "Monthly reports",
    """
SELECT r.month, b.name AS branch, r.assignment, r.submitted_on, r.late, r.entered_by,
       r.evaluation, r.comment
  FROM reports r LEFT JOIN org_units b ON b.unit_id = r.branch_id
 WHERE r.member_id = $1 ORDER BY r.month, r.assignment
""",
    (
        Column("month", "Tháng", "Month"),
        BRANCH,
        Column("assignment", "Nhiệm vụ báo cáo", "Assignment", coded=True),
        Column("submitted_on", "Ngày nộp", "Submitted on"),
        Column("late", "Nộp muộn", "Late"),
        Column("entered_by", "Người nhập", "Entered by", coded=True),
        Column("evaluation", "Đánh giá", "Evaluation", "sensitive", coded=True),
        Column("comment", "Nhận xét", "Comment", "sensitive", erasable=True),
    ),
)

PROBLEMS = Table(
    "problems",
    "Vấn đề nảy sinh",
    "Problems raised",
    """
SELECT p.month, p.raised_on, p.description, p.status, u.name AS escalated_to, p.closed_on
  FROM problems p LEFT JOIN org_units u ON u.unit_id = p.escalated_to
 WHERE p.member_id = $1 ORDER BY p.raised_on, p.problem_id
""",
    (
        Column("month", "Tháng", "Month"),
        Column("raised_on", "Ngày nêu", "Raised on"),
        Column("description", "Vấn đề", "Problem", "sensitive", erasable=True),
        Column("status", "Tình trạng", "Status", coded=True),
        Column("escalated_to", "Đã báo cáo lên", "Handed up to"),
        Column("closed_on", "Ngày giải quyết", "Closed on"),
    ),
)

FOLLOWING = Table(
    "following",
    "Theo dõi cơ sở",
    "Units followed",
    """
SELECT f.year, f.level, u.name AS unit
  FROM followings f LEFT JOIN org_units u ON u.unit_id = f.unit_id
 WHERE f.follower_id = $1 ORDER BY f.year, u.name
""",
    (YEAR, Column("level", "Cấp", "Level", coded=True), Column("unit", "Tổ chức", "Unit")),
)

NAMES_SQL = """
SELECT unit_id AS id, name FROM org_units WHERE unit_id = ANY ($1::text[])
UNION ALL
SELECT member_id, full_name FROM members WHERE member_id = ANY ($1::text[])
"""

PERSONAL_DATA = SubjectData(
    service="assignment",
    registry=REGISTRY,
    own_streams=own_streams,
    tables=(MEMBER, HOUSEHOLDS, DUTIES, RELEASED, MENTORING, REPORTS, PROBLEMS, FOLLOWING),
    names_sql=NAMES_SQL,
)
