"""the base of each consumed read-model generation's consumer names, so a model may name
them uniquely (a fresh database never takes over another's durable consumers)

Revision ID: k0004
Revises: k0003
Create Date: 2026-12-06
"""

from alembic import op

revision = "k0004"
down_revision = "k0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL in rows written before: their models named consumers deterministically.
    op.execute("ALTER TABLE consumed_read_models ADD COLUMN consumer text")


def downgrade() -> None:
    op.execute("ALTER TABLE consumed_read_models DROP COLUMN consumer")
