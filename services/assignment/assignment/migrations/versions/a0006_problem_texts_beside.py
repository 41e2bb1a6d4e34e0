"""a problem's description arrives from the private event appended after the public one

Revision ID: a0006
Revises: a0005
Create Date: 2026-12-06
"""

from alembic import op

revision = "a0006"
down_revision = "a0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # `problem_raised.v2` inserts the row; `problem_description_recorded`, next in the same
    # transaction, fills the description in, so no committed row is ever without one.
    op.execute("ALTER TABLE problems ALTER COLUMN description DROP NOT NULL")


def downgrade() -> None:
    op.execute("ALTER TABLE problems ALTER COLUMN description SET NOT NULL")
