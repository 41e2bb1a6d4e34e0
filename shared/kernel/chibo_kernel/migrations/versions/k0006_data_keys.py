"""data keys: one per data subject, wrapped by the master key; a destroyed key leaves its
row without the key, so the erasure is on record and no key is made for that person again

Revision ID: k0006
Revises: k0005
Create Date: 2026-12-07
"""

from alembic import op

revision = "k0006"
down_revision = "k0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TABLE data_keys ("
        " subject_id text PRIMARY KEY,"
        " wrapped_key bytea,"  # nonce | AES-GCM(data key), subject as associated data
        " master_key_id text,"  # which master key wrapped it: what a rotation re-wraps
        " created_at timestamptz NOT NULL DEFAULT now(),"
        " destroyed_at timestamptz,"
        " CONSTRAINT data_keys_destroyed_has_no_key"
        "  CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL)),"
        " CONSTRAINT data_keys_key_names_its_master"
        "  CHECK (wrapped_key IS NULL OR master_key_id IS NOT NULL))"
    )


def downgrade() -> None:
    op.execute("DROP TABLE data_keys")
