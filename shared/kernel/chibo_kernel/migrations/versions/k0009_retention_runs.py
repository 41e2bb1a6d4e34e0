"""retention runs: each completed application of the retention policy, with what it removed
per category (counts only), so every instance reports the same last success and the
province can show the policy is applied (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, Điều 3
khoản 3; Điều 14 khoản 1 điểm b, c)

Revision ID: k0009
Revises: k0008
Create Date: 2027-01-21
"""

from alembic import op

revision = "k0009"
down_revision = "k0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TABLE retention_runs ("
        " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " service text NOT NULL,"
        " started_at timestamptz NOT NULL,"
        " finished_at timestamptz NOT NULL DEFAULT now(),"
        " removed jsonb NOT NULL)"  # {"category": count}: never a value, never an id
    )
    op.execute("CREATE INDEX retention_runs_latest ON retention_runs (service, finished_at)")


def downgrade() -> None:
    op.execute("DROP TABLE retention_runs")
