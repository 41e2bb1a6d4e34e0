"""rating: what the rules weigh in a discipline, conclusions, leave, collectives' appraisals,
cohorts and their allowances, and the Charter art. 8 removal procedure

Revision ID: r0002
Revises: r0001
Create Date: 2026-12-05

A discipline recorded before this revision keeps its meaning: a violation of the year it
was decided, in the member's duties, not self-reported.
"""

from alembic import op

revision = "r0002"
down_revision = "r0001"
branch_labels = None
depends_on = None

STATEMENTS = [
    "ALTER TABLE disciplines ADD COLUMN violation_year int",
    "UPDATE disciplines SET violation_year = year",
    "ALTER TABLE disciplines ALTER COLUMN violation_year SET NOT NULL",
    "ALTER TABLE disciplines ADD COLUMN in_duties boolean NOT NULL DEFAULT true",
    "ALTER TABLE disciplines ADD COLUMN self_reported boolean NOT NULL DEFAULT false",
    (
        "CREATE TABLE conclusions (member_id text NOT NULL, year int NOT NULL, branch_id text "
        "NOT NULL, kind text NOT NULL, concluded_on date NOT NULL, concluded_by text NOT NULL, "
        "reason text NOT NULL)"
    ),
    "CREATE INDEX conclusions_member ON conclusions (member_id, year)",
    (
        "CREATE TABLE leaves (member_id text NOT NULL, year int NOT NULL, branch_id text NOT "
        "NULL, kind text NOT NULL, from_date date NOT NULL, to_date date NOT NULL, months int "
        "NOT NULL)"
    ),
    "CREATE INDEX leaves_member ON leaves (member_id, year)",
    (
        "CREATE TABLE unit_appraisals (unit_id text NOT NULL, year int NOT NULL, points real, "
        "level text NOT NULL, targets_total int NOT NULL, targets_done int NOT NULL, "
        "targets_exceeded int NOT NULL, disciplined boolean NOT NULL, appraised_by text NOT "
        "NULL, note text NOT NULL, PRIMARY KEY (unit_id, year))"
    ),
    (
        "CREATE TABLE comments (member_id text NOT NULL, year int NOT NULL, branch_id text NOT "
        "NULL, source text NOT NULL, from_unit text NOT NULL, comment text NOT NULL, "
        "commented_on date NOT NULL)"
    ),
    "CREATE INDEX comments_member ON comments (member_id, year)",
    (
        "CREATE TABLE cohorts (unit_id text NOT NULL, year int NOT NULL, cohort_id text NOT "
        "NULL, decided_by text NOT NULL, decided_on date NOT NULL, PRIMARY KEY (unit_id, year))"
    ),
    (
        "CREATE TABLE removals (member_id text NOT NULL, year int NOT NULL, branch_id text NOT "
        "NULL, months text[] NOT NULL, proposed_by text NOT NULL, proposed_on date NOT NULL, "
        "removed boolean, decided_by text, decided_on date, reason text, "
        "PRIMARY KEY (member_id, year))"
    ),
    (
        "CREATE TABLE allowances (cohort_id text NOT NULL, year int NOT NULL, granted_by text "
        "NOT NULL, granted_on date NOT NULL, reason text NOT NULL, PRIMARY KEY (cohort_id, year))"
    ),
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for table in (
        "allowances",
        "removals",
        "cohorts",
        "comments",
        "unit_appraisals",
        "leaves",
        "conclusions",
    ):
        op.execute(f"DROP TABLE {table}")
    for column in ("self_reported", "in_duties", "violation_year"):
        op.execute(f"ALTER TABLE disciplines DROP COLUMN {column}")
