"""rating: the texts written about a member may be scrubbed when the member is erased
Revision ID: r0004_erasure
Revises: r0003
Create Date: 2026-12-06

An erased member's appraisal note, comments, and the reasons of their discipline and
conclusions become NULL (the rows stay: the rules still count them); a rebuild of these
tables, replaying events whose texts were sealed under the member's destroyed key, writes
NULL there too.
"""

from alembic import op

revision = "r0004_erasure"
down_revision = "r0003"
branch_labels = None
depends_on = None

COLUMNS = [
    ("appraisals", "note"),
    ("comments", "comment"),
    ("disciplines", "reason"),
    ("conclusions", "reason"),
]


def upgrade() -> None:
    for table, column in COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL")


def downgrade() -> None:
    for table, column in COLUMNS:
        op.execute(f"UPDATE {table} SET {column} = '' WHERE {column} IS NULL")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL")
