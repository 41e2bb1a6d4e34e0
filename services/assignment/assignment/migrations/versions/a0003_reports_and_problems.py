"""monthly reports and problems

Revision ID: a0003
Revises: a0002
Create Date: 2026-11-21
"""

from alembic import op

revision = "a0003"
down_revision = "a0002"
branch_labels = None
depends_on = None

STATEMENTS = [
    (
        "CREATE TABLE reports (branch_id text NOT NULL, month text NOT NULL, "
        "member_id text NOT NULL, assignment text NOT NULL, submitted_on date NOT NULL, "
        "late boolean NOT NULL, entered_by text NOT NULL, evaluation text, comment text, "
        "PRIMARY KEY (branch_id, month, member_id, assignment))"
    ),
    (
        "CREATE TABLE problems (problem_id text PRIMARY KEY, branch_id text NOT NULL, "
        "member_id text NOT NULL, month text NOT NULL, description text NOT NULL, "
        "status text NOT NULL, raised_on date NOT NULL, escalated_to text, closed_on date)"
    ),
    "CREATE INDEX problems_branch_status ON problems (branch_id, status)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE problems, reports")
