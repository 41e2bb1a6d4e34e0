"""What the attendance service holds about a member, for their export
(`GET /v1/members/{id}/personal-data`, chibo_chassis.subject_export). Every event here is
filed in a branch's meeting book, so the member has no stream of their own: the reasons
they gave are found by their data subject in the notes beside the books, and the marks,
meetings chaired, visits and the roster as consumed are the read-model rows about them."""

from __future__ import annotations

from chibo_chassis.subject_export import Column, SubjectData, Table

from ..domain.events import REGISTRY

BRANCH = Column("branch", "Chi bộ", "Branch")
FROM = Column("from_date", "Từ ngày", "From")
TO = Column("to_date", "Đến ngày", "To")

MEMBER = Table(
    "member",
    "Đảng viên",
    "Member",
    "SELECT full_name FROM roster_members WHERE member_id = $1",
    (Column("full_name", "Họ và tên", "Full name", "personal", erasable=True),),
)

PERIODS = Table(
    "periods",
    "Nơi sinh hoạt",
    "Where they attend",
    """
SELECT u.name AS branch, p.membership, p.from_date, p.to_date
  FROM roster_periods p LEFT JOIN org_units u ON u.unit_id = p.branch_id
 WHERE p.member_id = $1 ORDER BY p.from_date
""",
    (BRANCH, Column("membership", "Hình thức", "Membership", coded=True), FROM, TO),
)

STANDING = Table(
    "standing",
    "Miễn, đình chỉ sinh hoạt",
    "Exemptions and suspensions",
    """
SELECT standing, from_date, to_date FROM roster_standing
 WHERE member_id = $1 ORDER BY from_date
""",
    (Column("standing", "Tình trạng", "Standing", "sensitive", coded=True), FROM, TO),
)

ROLES = Table(
    "roles",
    "Chức vụ",
    "Roles",
    """
SELECT u.name AS branch, r.role, r.since
  FROM roster_roles r LEFT JOIN org_units u ON u.unit_id = r.branch_id
 WHERE r.member_id = $1 ORDER BY r.since
""",
    (
        BRANCH,
        Column("role", "Chức vụ", "Role", "sensitive", coded=True),
        Column("since", "Từ ngày", "Since"),
    ),
)

MARKS = Table(
    "attendance",
    "Điểm danh",
    "Attendance",
    """
SELECT m.month, m.kind, coalesce(m.started_at, m.scheduled_for) AS held_at,
       u.name AS branch, m.topic, a.status, a.reason, a.corrections
  FROM attendance_marks a JOIN meetings m USING (meeting_id)
  LEFT JOIN org_units u ON u.unit_id = m.branch_id
 WHERE a.member_id = $1 ORDER BY held_at
""",
    (
        Column("month", "Tháng", "Month"),
        Column("kind", "Loại sinh hoạt", "Meeting kind", coded=True),
        Column("held_at", "Thời gian", "When"),
        BRANCH,
        Column("topic", "Chuyên đề", "Topic"),
        Column("status", "Điểm danh", "Mark", "personal", coded=True),
        Column("reason", "Lý do vắng", "Reason for absence", "sensitive", erasable=True),
        Column("corrections", "Số lần sửa", "Corrections", "sensitive"),
    ),
)

CHAIRED = Table(
    "chaired",
    "Chủ trì sinh hoạt",
    "Meetings chaired",
    """
SELECT m.month, m.kind, m.started_at, u.name AS branch
  FROM meetings m LEFT JOIN org_units u ON u.unit_id = m.branch_id
 WHERE m.chair_id = $1 ORDER BY m.started_at
""",
    (
        Column("month", "Tháng", "Month"),
        Column("kind", "Loại sinh hoạt", "Meeting kind", coded=True),
        Column("started_at", "Bắt đầu", "Started at"),
        BRANCH,
    ),
)

VISITS = Table(
    "visits",
    "Dự sinh hoạt cấp dưới",
    "Meetings visited as a guest",
    """
SELECT g.held_on, u.name AS branch, g.level, g.within_assignment
  FROM guest_visits g LEFT JOIN org_units u ON u.unit_id = g.branch_id
 WHERE g.guest_id = $1 ORDER BY g.held_on
""",
    (
        Column("held_on", "Ngày", "On"),
        BRANCH,
        Column("level", "Cấp", "Level", "personal", coded=True),
        Column("within_assignment", "Đúng cơ sở được phân công", "Within the units followed"),
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
    (
        Column("year", "Năm", "Year"),
        Column("level", "Cấp", "Level", coded=True),
        Column("unit", "Tổ chức", "Unit"),
    ),
)

NAMES_SQL = """
SELECT unit_id AS id, name FROM org_units WHERE unit_id = ANY ($1::text[])
UNION ALL
SELECT member_id, full_name FROM roster_members WHERE member_id = ANY ($1::text[])
"""

PERSONAL_DATA = SubjectData(
    service="attendance",
    registry=REGISTRY,
    own_streams=lambda member_id: (),
    tables=(MEMBER, PERIODS, STANDING, ROLES, MARKS, CHAIRED, VISITS, FOLLOWING),
    names_sql=NAMES_SQL,
)
