"""What the rating service holds about a member, for their export
(`GET /v1/members/{id}/personal-data`, chibo_chassis.subject_export): their private rating
files (`rating_file_private-<member>-<year>`, read whole), the texts beside the rating
books found by their data subject, the inputs and decisions of their years, and the facts
copied from the other services' streams (read in the generation queries read now)."""

from __future__ import annotations

from chibo_chassis.subject_export import Column as C
from chibo_chassis.subject_export import SubjectData, Table

from ..domain.events import REGISTRY
from ..domain.member_file import MemberFile, file_id

YEARS = range(1930, 2101)  # the years a rating file can be kept for (the routes' bounds)


def own_streams(member_id: str) -> list[str]:
    return [f"{MemberFile.category}-{file_id(member_id, year)}" for year in YEARS]


def _of_member(table: str, columns: str, order: str = "year") -> str:
    """The member's rows of one of the service's own tables, their branch by name."""
    return (
        f"SELECT t.year, u.name AS branch, {columns} FROM {table} t"
        " LEFT JOIN units u ON u.unit_id = t.branch_id"
        f" WHERE t.member_id = $1 ORDER BY t.{order}"
    )


YEAR, BRANCH = C("year", "Năm", "Year"), C("branch", "Chi bộ", "Branch")
LEVEL = C("level", "Mức xếp loại", "Level", "sensitive", coded=True)
REASON = C("reason", "Lý do", "Reason", "sensitive", erasable=True)

MEMBER = Table(
    "member",
    "Đảng viên",
    "Member",
    "SELECT full_name, admission_date, status FROM members WHERE member_id = $1",
    (
        C("full_name", "Họ và tên", "Full name", "personal", erasable=True),
        C("admission_date", "Ngày vào Đảng", "Admission date", "personal"),
        C("status", "Loại đảng viên", "Status", "sensitive", coded=True),
    ),
)
PERIODS = Table(
    "periods",
    "Nơi sinh hoạt",
    "Branches",
    "SELECT u.name AS branch, p.from_date, p.to_date FROM member_periods p"
    " LEFT JOIN units u ON u.unit_id = p.branch_id WHERE p.member_id = $1 ORDER BY p.from_date",
    (BRANCH, C("from_date", "Từ ngày", "From"), C("to_date", "Đến ngày", "To")),
)
SELF_ASSESSMENTS = Table(
    "self_assessments",
    "Tự đánh giá",
    "Self-assessments",
    _of_member(
        "self_assessments",
        "t.general_points, t.task_points, t.tasks_total, t.tasks_on_time, t.tasks_exceeded,"
        " t.shortcomings_fixed, t.level",
    ),
    (
        YEAR,
        BRANCH,
        C("general_points", "Điểm tiêu chí chung", "General points", "sensitive"),
        C("task_points", "Điểm nhiệm vụ", "Task points", "sensitive"),
        C("tasks_total", "Số nhiệm vụ", "Tasks", "sensitive"),
        C("tasks_on_time", "Hoàn thành đúng hạn", "On time", "sensitive"),
        C("tasks_exceeded", "Vượt mức", "Exceeded", "sensitive"),
        C("shortcomings_fixed", "Đã khắc phục hạn chế", "Shortcomings fixed", "sensitive"),
        LEVEL,
    ),
)
APPRAISALS = Table(
    "appraisals",
    "Chi bộ đánh giá",
    "The branch's appraisals",
    _of_member("appraisals", "t.level, t.note"),
    (YEAR, BRANCH, LEVEL, C("note", "Nhận xét", "Note", "sensitive", erasable=True)),
)
DECISIONS = Table(
    "decisions",
    "Xếp loại",
    "Ratings decided",
    "SELECT d.year, d.level, d.proposed_level, d.reasons, d.decided_by, d.decided_on"
    " FROM decisions d WHERE d.subject = 'member' AND d.subject_id = $1 ORDER BY d.year",
    (
        YEAR,
        LEVEL,
        C("proposed_level", "Mức đề xuất", "Proposed", "sensitive", coded=True),
        C("reasons", "Lý do", "Reasons", "sensitive", erasable=True),
        C("decided_by", "Cấp quyết định", "Decided by"),
        C("decided_on", "Ngày quyết định", "Decided on"),
    ),
)
DISCIPLINES = Table(
    "disciplines",
    "Kỷ luật",
    "Discipline",
    _of_member("disciplines", "t.measure, t.decided_on, t.violation_year, t.reason"),
    (
        YEAR,
        BRANCH,
        C("measure", "Hình thức", "Measure", "sensitive", coded=True),
        C("decided_on", "Ngày quyết định", "Decided on"),
        C("violation_year", "Năm vi phạm", "Year of the violation", "sensitive"),
        REASON,
    ),
)
CONCLUSIONS = Table(
    "conclusions",
    "Kết luận",
    "Conclusions",
    _of_member("conclusions", "t.kind, t.concluded_on, t.concluded_by, t.reason"),
    (
        YEAR,
        BRANCH,
        C("kind", "Loại", "Kind", "sensitive", coded=True),
        C("concluded_on", "Ngày kết luận", "Concluded on"),
        C("concluded_by", "Cấp kết luận", "Concluded by"),
        REASON,
    ),
)
LEAVES = Table(
    "leaves",
    "Nghỉ ốm, thai sản",
    "Sick and maternity leave",
    _of_member("leaves", "t.kind, t.from_date, t.to_date, t.months"),
    (
        YEAR,
        BRANCH,
        C("kind", "Loại", "Kind", "sensitive", coded=True),
        C("from_date", "Từ ngày", "From", "sensitive"),
        C("to_date", "Đến ngày", "To", "sensitive"),
        C("months", "Số tháng", "Months", "sensitive"),
    ),
)
COMMENTS = Table(
    "comments",
    "Nhận xét của tổ chức khác",
    "Comments from other organisations",
    _of_member("comments", "t.source, t.from_unit, t.comment, t.commented_on"),
    (
        YEAR,
        BRANCH,
        C("source", "Nguồn", "Source", coded=True),
        C("from_unit", "Tổ chức nhận xét", "From"),
        C("comment", "Nhận xét", "Comment", "sensitive", erasable=True),
        C("commented_on", "Ngày nhận xét", "On"),
    ),
)
REMOVALS = Table(
    "removals",
    "Xóa tên",
    "Removal under Charter art. 8",
    _of_member(
        "removals", "t.months, t.proposed_by, t.proposed_on, t.removed, t.decided_on, t.reason"
    ),
    (
        YEAR,
        BRANCH,
        C("months", "Các tháng vắng", "Months absent", "sensitive"),
        C("proposed_by", "Cấp đề nghị", "Proposed by"),
        C("proposed_on", "Ngày đề nghị", "Proposed on"),
        C("removed", "Xóa tên", "Removed", "sensitive"),
        C("decided_on", "Ngày quyết định", "Decided on"),
        REASON,
    ),
)
PREPARED = Table(
    "prepared",
    "Kết quả tính theo quy định",
    "As the rules weigh the year",
    "SELECT year, rated, level, score, flagged, unexcused_months FROM member_ratings"
    " WHERE member_id = $1 ORDER BY year",
    (
        YEAR,
        C("rated", "Được xếp loại", "Rated", "sensitive"),
        LEVEL,
        C("score", "Điểm", "Score", "sensitive"),
        C("flagged", "Diện xóa tên", "Flagged (art. 8)", "sensitive"),
        C("unexcused_months", "Tháng vắng không lý do", "Months absent", "sensitive"),
    ),
)
REPORTS = Table(
    "reports",
    "Báo cáo (từ phân công)",
    "Reports (from assignment)",
    "SELECT r.month, u.name AS branch, r.assignment, r.late, r.evaluation FROM reports r"
    " LEFT JOIN units u ON u.unit_id = r.branch_id WHERE r.member_id = $1 ORDER BY r.month",
    (
        C("month", "Tháng", "Month"),
        BRANCH,
        C("assignment", "Nhiệm vụ báo cáo", "Assignment", coded=True),
        C("late", "Nộp muộn", "Late", "sensitive"),
        C("evaluation", "Đánh giá", "Evaluation", "sensitive", coded=True),
    ),
)
MARKS = Table(
    "marks",
    "Điểm danh (từ sinh hoạt)",
    "Attendance (from attendance)",
    "SELECT m.month, m.kind, u.name AS branch, k.status FROM marks k"
    " JOIN meetings m USING (meeting_id) LEFT JOIN units u ON u.unit_id = m.branch_id"
    " WHERE k.member_id = $1 ORDER BY m.month, m.started_at",
    (
        C("month", "Tháng", "Month"),
        C("kind", "Loại sinh hoạt", "Meeting kind", coded=True),
        BRANCH,
        C("status", "Điểm danh", "Mark", "personal", coded=True),
    ),
)

NAMES_SQL = """
SELECT unit_id AS id, name FROM units WHERE unit_id = ANY ($1::text[])
UNION ALL
SELECT member_id, full_name FROM members WHERE member_id = ANY ($1::text[])
"""

PERSONAL_DATA = SubjectData(
    service="rating",
    registry=REGISTRY,
    own_streams=own_streams,
    tables=(
        MEMBER,
        PERIODS,
        SELF_ASSESSMENTS,
        APPRAISALS,
        DECISIONS,
        DISCIPLINES,
        CONCLUSIONS,
        LEAVES,
        COMMENTS,
        REMOVALS,
        PREPARED,
        REPORTS,
        MARKS,
    ),
    names_sql=NAMES_SQL,
)
