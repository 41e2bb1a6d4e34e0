"""mentoring, following from above, visit quotas

Revision ID: a0004
Revises: a0003
Create Date: 2026-11-21
"""

from alembic import op

revision = "a0004"
down_revision = "a0003"
branch_labels = None
depends_on = None

STATEMENTS = [
    (
        "CREATE TABLE plan_mentors (plan_id text NOT NULL, member_id text NOT NULL, "
        "mentor_id text NOT NULL, PRIMARY KEY (plan_id, member_id))"
    ),
    (
        "CREATE TABLE followings (follower_id text NOT NULL, year int NOT NULL, "
        "unit_id text NOT NULL, level text NOT NULL, PRIMARY KEY (follower_id, year, unit_id))"
    ),
    "CREATE INDEX followings_unit ON followings (unit_id, year)",
    (
        "CREATE TABLE visit_quotas (province_id text NOT NULL, level text NOT NULL, "
        "valid_from date NOT NULL, meetings_per_year int NOT NULL, "
        "PRIMARY KEY (province_id, level, valid_from))"
    ),
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE visit_quotas, followings, plan_mentors")
