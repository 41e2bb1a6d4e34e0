"""member import jobs in the database, so that every instance reads the same job

Revision ID: a0009_import_jobs
Revises: a0008_retention
Create Date: 2027-02-03

The instance running a job writes it (`adapters/import_job_store.py`); `updated_at` is its
heartbeat, which both tells a job whose instance stopped and finds the jobs the retention
run deletes, hence its index.
"""

from alembic import op

revision = "a0009_import_jobs"
down_revision = "a0008_retention"
branch_labels = None
depends_on = None

STATEMENTS = [
    (
        "CREATE TABLE import_jobs ( job_id text PRIMARY KEY, org_path text[] NOT NULL, "
        "filename text NOT NULL, status text NOT NULL, processed int NOT NULL DEFAULT 0, "
        "to_write int NOT NULL DEFAULT 0, report jsonb, failure_en text, failure_vi text, "
        "started_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, "
        "finished_at timestamptz)"
    ),
    "CREATE INDEX import_jobs_updated_at ON import_jobs (updated_at)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE import_jobs")
