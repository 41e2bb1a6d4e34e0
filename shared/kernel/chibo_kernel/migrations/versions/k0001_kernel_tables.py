"""kernel tables: event store, relay checkpoints, consumer bookkeeping, parked messages

Revision ID: k0001
Revises:
Create Date: 2026-11-21
"""

from alembic import op

from chibo_kernel.store.append_function import CREATE_APPEND_FUNCTION, DROP_APPEND_FUNCTION
from chibo_kernel.store.schema import metadata

revision = "k0001"
down_revision = None
branch_labels = ("kernel",)
depends_on = None


def upgrade() -> None:
    metadata.create_all(op.get_bind())
    op.execute(CREATE_APPEND_FUNCTION)


def downgrade() -> None:
    op.execute(DROP_APPEND_FUNCTION)
    metadata.drop_all(op.get_bind())
