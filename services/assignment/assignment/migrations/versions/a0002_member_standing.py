"""members: suspension, temporary attendance, leaving

Revision ID: a0002
Revises: a0001
Create Date: 2026-11-21
"""

from alembic import op

revision = "a0002"
down_revision = "a0001"
branch_labels = None
depends_on = None

COLUMNS = [
    "suspended_from date",
    "suspended_to date",
    "temporary_branch_id text",
    "temporary_from date",
    "temporary_to date",
    "left_on date",
]


def upgrade() -> None:
    for column in COLUMNS:
        op.execute(f"ALTER TABLE members ADD COLUMN {column}")
    op.execute("CREATE INDEX members_temporary_branch ON members (temporary_branch_id)")


def downgrade() -> None:
    op.execute("DROP INDEX members_temporary_branch")
    for column in COLUMNS:
        op.execute(f"ALTER TABLE members DROP COLUMN {column.split()[0]}")
