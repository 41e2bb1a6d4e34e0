"""attendance: a member's marks found without a scan (the audit route's `member` subject)

Revision ID: t0002
Revises: t0001
Create Date: 2027-01-10
"""

from alembic import op

revision = "t0002"
down_revision = "t0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX attendance_marks_member ON attendance_marks (member_id)")


def downgrade() -> None:
    op.execute("DROP INDEX attendance_marks_member")
