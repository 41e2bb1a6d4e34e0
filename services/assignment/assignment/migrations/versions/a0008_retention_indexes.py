"""the retention run finds the household texts past their period without a scan

Revision ID: a0008_retention
Revises: a0007_erasure
Create Date: 2027-01-21

Partial indexes: only rows that still hold a text are in them, so once the run has emptied
the old ones, each index holds about the policy's two years and the daily count is cheap
however long the history.
"""

from alembic import op

revision = "a0008_retention"
down_revision = "a0007_erasure"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX reports_commented_month ON reports (month) WHERE comment IS NOT NULL")
    op.execute(
        "CREATE INDEX problems_resolved_with_text ON problems (closed_on)"
        " WHERE status = 'resolved' AND description IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX problems_resolved_with_text")
    op.execute("DROP INDEX reports_commented_month")
