"""idempotency keys: each keyed command's answer, committed with the events it stored

Revision ID: k0003
Revises: k0002
Create Date: 2026-12-06
"""

from alembic import op

revision = "k0003"
down_revision = "k0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The primary key is the lookup index: a repeat finds its principal's key with it, and
    # two requests with one key cannot both record.
    op.execute(
        "CREATE TABLE idempotency_keys ("
        " principal text NOT NULL,"
        " idempotency_key text NOT NULL,"
        " fingerprint text NOT NULL,"  # sha256 of method, path, principal and canonical body
        " status smallint NOT NULL,"
        " body bytea NOT NULL,"
        " content_type text NOT NULL,"
        " event_ids uuid[] NOT NULL DEFAULT '{}',"  # what the command stored
        " recorded_at timestamptz NOT NULL DEFAULT now(),"
        " expires_at timestamptz NOT NULL,"
        " CONSTRAINT idempotency_keys_pkey PRIMARY KEY (principal, idempotency_key))"
    )
    # The expiry deletes in small batches from the oldest.
    op.execute("CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)")


def downgrade() -> None:
    op.execute("DROP TABLE idempotency_keys")
