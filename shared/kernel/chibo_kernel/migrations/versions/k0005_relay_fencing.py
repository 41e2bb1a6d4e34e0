"""fencing a service's stream: the event store's own id (named in every message it
publishes), the foreign messages the relay found on its stream, and what a recreated
durable consumer starts from: the deliveries it asked to see again, the stream it counted in

Revision ID: k0005
Revises: k0004
Create Date: 2026-12-06
"""

from alembic import op

revision = "k0005"
down_revision = "k0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One row, made once: a database restored from a backup keeps it, a new one gets its own.
    op.execute(
        "CREATE TABLE event_store_identity ("
        " one boolean PRIMARY KEY DEFAULT true CHECK (one),"
        " id uuid NOT NULL DEFAULT gen_random_uuid(),"
        " created_at timestamptz NOT NULL DEFAULT now())"
    )
    op.execute("INSERT INTO event_store_identity DEFAULT VALUES")
    op.execute(
        "CREATE TABLE relay_quarantine ("
        " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " stream text NOT NULL,"
        " stream_seq bigint NOT NULL,"
        " subject text NOT NULL,"
        " msg_id text,"
        " store text,"  # the Chibo-Store header it carried, if any
        " headers jsonb NOT NULL,"
        " found_at timestamptz NOT NULL DEFAULT now(),"
        " purged_at timestamptz,"
        " UNIQUE (stream, stream_seq))"
    )
    op.execute(
        "CREATE TABLE consumer_waiting ("
        " consumer text NOT NULL,"
        " stream_seq bigint NOT NULL,"
        " PRIMARY KEY (consumer, stream_seq))"
    )
    # Which stream a consumer's checkpoint counts in: a stream deleted and declared again
    # numbers its messages from 1, and the old checkpoint means nothing there.
    op.execute("CREATE TABLE consumer_streams (consumer text PRIMARY KEY, stream_created text)")


def downgrade() -> None:
    op.execute("DROP TABLE consumer_streams")
    op.execute("DROP TABLE consumer_waiting")
    op.execute("DROP TABLE relay_quarantine")
    op.execute("DROP TABLE event_store_identity")
