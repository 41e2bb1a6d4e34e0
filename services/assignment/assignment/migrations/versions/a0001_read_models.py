"""assignment read models: org tree, members, households, plans, assignments, to-dos

Revision ID: a0001
Revises:
Create Date: 2026-11-21
"""

from alembic import op

revision = "a0001"
down_revision = None
branch_labels = ("assignment",)
depends_on = "k0001"


STATEMENTS = [
    (
        "CREATE TABLE org_units ( unit_id text PRIMARY KEY, kind text NOT NULL, name text "
        "NOT NULL, parent_id text, path text[] NOT NULL, dissolved_on date, merged_into text)"
    ),
    ("CREATE INDEX org_units_parent ON org_units (parent_id)"),
    (
        "CREATE TABLE members ( member_id text PRIMARY KEY, full_name text NOT NULL, "
        "branch_id text NOT NULL, admission_date date NOT NULL, status text NOT NULL, "
        "roles text[] NOT NULL DEFAULT '{}', exempt_from date, exempt_to date)"
    ),
    ("CREATE INDEX members_branch ON members (branch_id)"),
    # private: the card number finds an imported member again; never published
    (
        "CREATE TABLE member_cards ( card_number text PRIMARY KEY, member_id text NOT "
        "NULL UNIQUE, birth_date date NOT NULL)"
    ),
    (
        "CREATE TABLE households ( branch_id text NOT NULL, household_id text NOT NULL, "
        "label text NOT NULL, PRIMARY KEY (branch_id, household_id))"
    ),
    (
        "CREATE TABLE plans ( plan_id text PRIMARY KEY, branch_id text NOT NULL, year int "
        "NOT NULL, min_households int NOT NULL, max_households int NOT NULL, "
        "resolution_number text, adopted_on date, UNIQUE (branch_id, year))"
    ),
    (
        "CREATE TABLE plan_assignments ( plan_id text NOT NULL, household_id text NOT "
        "NULL, member_id text NOT NULL, out_of_range boolean NOT NULL, PRIMARY KEY "
        "(plan_id, household_id))"
    ),
    ("CREATE INDEX plan_assignments_member ON plan_assignments (plan_id, member_id)"),
    # the branch's to-do list: households left without a responsible member
    (
        "CREATE TABLE released_households ( plan_id text NOT NULL, household_id text NOT "
        "NULL, member_id text NOT NULL, reason text NOT NULL, PRIMARY KEY (plan_id, "
        "household_id))"
    ),
]


def upgrade() -> None:
    # One statement per call: the asyncpg driver prepares each one.
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute(
        "DROP TABLE released_households, plan_assignments, plans, households, member_cards, "
        "members, org_units"
    )
