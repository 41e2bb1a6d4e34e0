"""an erased member's card number and birth date are scrubbed from member_cards
Revision ID: a0007_erasure
Revises: a0006
Create Date: 2026-12-06
"""

from alembic import op

revision = "a0007_erasure"
down_revision = "a0006"
branch_labels = None
depends_on = None

STATEMENTS = [
    # The card number stays unique among those kept; an erased member's row keeps its id.
    "ALTER TABLE member_cards DROP CONSTRAINT member_cards_pkey",
    "ALTER TABLE member_cards ALTER COLUMN card_number DROP NOT NULL",
    "ALTER TABLE member_cards ADD CONSTRAINT member_cards_card_number_key UNIQUE (card_number)",
    "ALTER TABLE member_cards ALTER COLUMN birth_date DROP NOT NULL",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DELETE FROM member_cards WHERE card_number IS NULL")
    op.execute("ALTER TABLE member_cards ALTER COLUMN birth_date SET NOT NULL")
    op.execute("ALTER TABLE member_cards DROP CONSTRAINT member_cards_card_number_key")
    op.execute("ALTER TABLE member_cards ADD PRIMARY KEY (card_number)")
