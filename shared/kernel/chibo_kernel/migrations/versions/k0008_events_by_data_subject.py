"""events by data subject: a person's sealed events found without a scan, for the export of
everything a service holds about them (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, Điều 4
khoản 1 điểm c, d)

Revision ID: k0008
Revises: k0007
Create Date: 2027-01-20

Only rows whose metadata names a `data_subject` (the sealed ones: private companions, and
published events sealed on the stream) are in the index, so an append of any other event
pays nothing for it. Queries repeat the predicate (`metadata ? 'data_subject'`) to use it.
Built in the migration's transaction: appends wait while it is built, once, at upgrade. A
large store can build it beforehand without that wait (`CREATE INDEX CONCURRENTLY` with
the same name and definition, docs/operations.md); the migration then finds it.
"""

from alembic import op

revision = "k0008"
down_revision = "k0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX IF NOT EXISTS events_data_subject ON events"
        " ((metadata->>'data_subject'), stream_id, version)"
        " WHERE metadata ? 'data_subject'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX events_data_subject")
