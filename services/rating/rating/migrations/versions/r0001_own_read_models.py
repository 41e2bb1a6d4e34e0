"""rating: the service's own read models (inputs and decisions) and the read-model generations

Revision ID: r0001
Revises:
Create Date: 2026-11-21

The facts consumed from the other services live in a schema per generation (`rm_<n>`),
created by the code that projects them, so a rebuild fills a new one while the old serves.
"""

from alembic import op

revision = "r0001"
down_revision = None
branch_labels = ("rating",)
depends_on = "k0001"

STATEMENTS = [
    (
        "CREATE TABLE read_model_generations (generation int PRIMARY KEY, instance text NOT "
        "NULL, state text NOT NULL, started_at timestamptz NOT NULL DEFAULT now(), "
        "switched_at timestamptz)"
    ),
    (
        "CREATE TABLE disciplines (member_id text NOT NULL, year int NOT NULL, branch_id text "
        "NOT NULL, measure text NOT NULL, rank int NOT NULL, decided_on date NOT NULL, "
        "reason text NOT NULL)"
    ),
    "CREATE INDEX disciplines_member ON disciplines (member_id, year)",
    (
        "CREATE TABLE self_assessments (member_id text NOT NULL, year int NOT NULL, branch_id "
        "text NOT NULL, general_points real NOT NULL, task_points real NOT NULL, tasks_total "
        "int NOT NULL, tasks_on_time int NOT NULL, tasks_exceeded int NOT NULL, "
        "shortcomings_fixed boolean NOT NULL, level text NOT NULL, PRIMARY KEY (member_id, year))"
    ),
    (
        "CREATE TABLE appraisals (member_id text NOT NULL, year int NOT NULL, branch_id text "
        "NOT NULL, level text NOT NULL, note text NOT NULL, PRIMARY KEY (member_id, year))"
    ),
    (
        "CREATE TABLE decisions (subject text NOT NULL, subject_id text NOT NULL, year int NOT "
        "NULL, cohort_id text NOT NULL, level text NOT NULL, proposed_level text, reasons "
        "text[] NOT NULL, rule_set text NOT NULL, decided_by text NOT NULL, decided_on date NOT "
        "NULL, PRIMARY KEY (subject, subject_id, year))"
    ),
    "CREATE INDEX decisions_cohort ON decisions (cohort_id, year)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for table in (
        "decisions",
        "appraisals",
        "self_assessments",
        "disciplines",
        "read_model_generations",
    ):
        op.execute(f"DROP TABLE {table}")
