"""household groups, routes and tasks, and who holds them

Revision ID: a0005
Revises: a0004
Create Date: 2026-11-21
"""

from alembic import op

revision = "a0005"
down_revision = "a0004"
branch_labels = None
depends_on = None

STATEMENTS = [
    (
        "CREATE TABLE duties (branch_id text NOT NULL, kind text NOT NULL, "
        "target_id text NOT NULL, name text NOT NULL, household_ids text[], "
        "PRIMARY KEY (branch_id, kind, target_id))"
    ),
    (
        "CREATE TABLE plan_duties (plan_id text NOT NULL, kind text NOT NULL, "
        "target_id text NOT NULL, member_id text NOT NULL, "
        "PRIMARY KEY (plan_id, kind, target_id, member_id))"
    ),
    (
        "CREATE TABLE released_duties (plan_id text NOT NULL, duty text NOT NULL, "
        "member_id text NOT NULL, reason text NOT NULL, PRIMARY KEY (plan_id, duty, member_id))"
    ),
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE released_duties, plan_duties, duties")
