"""attendance read models: the roster and the org tree as consumed, meetings, marks, guests

Revision ID: t0001
Revises:
Create Date: 2026-11-21
"""

from alembic import op

revision = "t0001"
down_revision = None
branch_labels = ("attendance",)
depends_on = "k0001"

STATEMENTS = [
    # consumed from the assignment service's stream
    (
        "CREATE TABLE org_units (unit_id text PRIMARY KEY, kind text NOT NULL, name text NOT "
        "NULL, parent_id text, path text[] NOT NULL, active boolean NOT NULL DEFAULT true)"
    ),
    "CREATE TABLE roster_members (member_id text PRIMARY KEY, full_name text NOT NULL)",
    # official membership of a branch, or temporary attendance at one, over a period
    (
        "CREATE TABLE roster_periods (member_id text NOT NULL, branch_id text NOT NULL, "
        "membership text NOT NULL, from_date date NOT NULL, to_date date)"
    ),
    "CREATE INDEX roster_periods_branch ON roster_periods (branch_id, from_date)",
    "CREATE INDEX roster_periods_member ON roster_periods (member_id)",
    # exempt or suspended over a period: on the roster, not expected
    (
        "CREATE TABLE roster_standing (member_id text NOT NULL, standing text NOT NULL, "
        "from_date date NOT NULL, to_date date)"
    ),
    "CREATE INDEX roster_standing_member ON roster_standing (member_id)",
    (
        "CREATE TABLE roster_roles (member_id text NOT NULL, branch_id text NOT NULL, "
        "role text NOT NULL, since date NOT NULL, PRIMARY KEY (member_id, branch_id, role))"
    ),
    (
        "CREATE TABLE followings (follower_id text NOT NULL, year int NOT NULL, level text "
        "NOT NULL, unit_id text NOT NULL, PRIMARY KEY (follower_id, year, unit_id))"
    ),
    # this service's own, projected inline with its events
    (
        "CREATE TABLE meetings (meeting_id text PRIMARY KEY, branch_id text NOT NULL, year int "
        "NOT NULL, kind text NOT NULL, month text NOT NULL, status text NOT NULL, scheduled_for "
        "timestamptz NOT NULL, place text NOT NULL, topic text NOT NULL, extra_reason text, "
        "started_at timestamptz, ended_at timestamptz, chair_id text, minutes_recorded boolean, "
        "prepared_by_committee boolean, recorded boolean NOT NULL DEFAULT false, "
        "postponements int NOT NULL DEFAULT 0, cancel_reason text)"
    ),
    "CREATE INDEX meetings_branch_year ON meetings (branch_id, year)",
    (
        "CREATE TABLE attendance_marks (meeting_id text NOT NULL, member_id text NOT NULL, "
        "status text NOT NULL, reason text, corrections int NOT NULL DEFAULT 0, "
        "PRIMARY KEY (meeting_id, member_id))"
    ),
    (
        "CREATE TABLE guest_visits (meeting_id text NOT NULL, guest_id text NOT NULL, "
        "branch_id text NOT NULL, held_on date NOT NULL, level text NOT NULL, "
        "within_assignment boolean NOT NULL, PRIMARY KEY (meeting_id, guest_id))"
    ),
    "CREATE INDEX guest_visits_guest ON guest_visits (guest_id, held_on)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for table in (
        "guest_visits",
        "attendance_marks",
        "meetings",
        "followings",
        "roster_roles",
        "roster_standing",
        "roster_periods",
        "roster_members",
        "org_units",
    ):
        op.execute(f"DROP TABLE {table}")
