"""rating: the facts' generations kept where every consumed read model's are
(`consumed_read_models`, name `rating-facts`), each with the base of its consumers' names

Revision ID: r0003
Revises: r0002
Create Date: 2026-12-06

The consumers keep their names (`rating-<instance>-g<n>-<source>`), so a running
generation goes on from its checkpoints; the schemas `rm_<n>` stay as they are.
"""

from alembic import op

revision = "r0003"
down_revision = "r0002"
branch_labels = None
depends_on = "k0004"


def upgrade() -> None:
    op.execute(
        "INSERT INTO consumed_read_models "
        "(name, generation, state, started_at, switched_at, consumer) "
        "SELECT 'rating-facts', generation, state, started_at, switched_at, "
        "'rating-' || instance || '-g' || generation FROM read_model_generations "
        "ON CONFLICT DO NOTHING"
    )
    op.execute("DROP TABLE read_model_generations")


def downgrade() -> None:
    op.execute(
        "CREATE TABLE read_model_generations (generation int PRIMARY KEY, instance text NOT "
        "NULL, state text NOT NULL, started_at timestamptz NOT NULL DEFAULT now(), "
        "switched_at timestamptz)"
    )
    op.execute(
        "INSERT INTO read_model_generations (generation, instance, state, started_at, "
        "switched_at) SELECT generation, split_part(consumer, '-', 2), state, started_at, "
        "switched_at FROM consumed_read_models WHERE name = 'rating-facts' "
        "AND state <> 'dropped'"
    )
    op.execute("DELETE FROM consumed_read_models WHERE name = 'rating-facts'")
