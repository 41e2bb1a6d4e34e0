"""read models' lifecycle: the projection version that built a service's own read models,
and the generations of those it consumes from other services' streams

Revision ID: k0002
Revises: k0001
Create Date: 2026-12-06
"""

from alembic import op

revision = "k0002"
down_revision = "k0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TABLE read_model_versions ("
        " name text PRIMARY KEY,"
        " version integer NOT NULL,"
        " events bigint,"  # how many events the last rebuild replayed
        " built_at timestamptz)"  # NULL: built by the code since the first event
    )
    op.execute(
        "CREATE TABLE consumed_read_models ("
        " name text NOT NULL,"
        " generation integer NOT NULL,"
        " state text NOT NULL CHECK (state IN ('building', 'active', 'retired', 'dropped')),"
        " started_at timestamptz NOT NULL DEFAULT now(),"
        " switched_at timestamptz,"
        " PRIMARY KEY (name, generation))"
    )
    # At most one generation serves and one is built, whatever two instances do at once.
    op.execute(
        "CREATE UNIQUE INDEX consumed_read_models_one_live ON consumed_read_models (name, state) "
        "WHERE state IN ('active', 'building')"
    )


def downgrade() -> None:
    op.execute("DROP TABLE consumed_read_models")
    op.execute("DROP TABLE read_model_versions")
