"""personal data reads: who read whose personal data, when, in which role, why (Luật Bảo vệ
dữ liệu cá nhân 91/2025/QH15), append-only in the database itself

Revision ID: k0007
Revises: k0006
Create Date: 2026-12-07

Append-only: a trigger refuses every UPDATE and TRUNCATE, and every DELETE but the
retention function's (`personal_data_reads_expire`). That function marks its own
transaction (a transaction-local setting) and deletes only rows older than what it is
asked to keep, never less than two years. The trigger checks both the mark and the age, so
someone who sets the mark by hand can do no more than the retention job would: delete rows
past the two-year floor. The table's owner can still drop the trigger: in production the
migrations' role owns the table and the function (which runs as its owner), and the
service's role is granted INSERT and SELECT on the table and EXECUTE on the function only
(docs/operations.md).
"""

from alembic import op

revision = "k0007"
down_revision = "k0006"
branch_labels = None
depends_on = None

FLOOR = "2 years"  # no row younger than this is ever deleted, whoever asks


def upgrade() -> None:
    op.execute(
        "CREATE TABLE personal_data_reads ("
        " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " read_at timestamptz NOT NULL DEFAULT now(),"
        " principal text NOT NULL,"  # the token's subject: the user who read
        " role text NOT NULL,"
        " org_scope text[] NOT NULL,"  # the subtree the role is held over; {} = province
        " route text NOT NULL,"  # the route template: GET /v1/members/{member_id}/...
        " target text NOT NULL,"  # the path and query asked: what exactly was read
        " subjects text[] NOT NULL,"  # the members whose data the answer held
        " purpose text NOT NULL,"
        " correlation_id text NOT NULL,"
        " result_count integer NOT NULL)"
    )
    # Auditors ask by data subject, by principal and by time; the newest first.
    op.execute(
        "CREATE INDEX personal_data_reads_subjects ON personal_data_reads USING gin (subjects)"
    )
    op.execute("CREATE INDEX personal_data_reads_principal ON personal_data_reads (principal, id)")
    op.execute("CREATE INDEX personal_data_reads_time ON personal_data_reads (read_at)")
    op.execute(
        "CREATE FUNCTION personal_data_reads_append_only() RETURNS trigger"
        " LANGUAGE plpgsql AS $$"
        " BEGIN"
        "  IF TG_OP = 'DELETE' THEN"
        "   IF current_setting('chibo.personal_data_reads_expiry', true) = 'on'"
        f"     AND OLD.read_at < now() - interval '{FLOOR}' THEN"
        "    RETURN OLD;"
        "   END IF;"
        "  END IF;"
        "  RAISE EXCEPTION 'personal_data_reads is append-only: % refused', TG_OP"
        "   USING ERRCODE = 'insufficient_privilege',"
        "   HINT = 'only personal_data_reads_expire(keep) deletes, and only rows older than"
        f" {FLOOR}';"
        " END $$"
    )
    op.execute(
        "CREATE TRIGGER personal_data_reads_append_only"
        " BEFORE UPDATE OR DELETE ON personal_data_reads"
        " FOR EACH ROW EXECUTE FUNCTION personal_data_reads_append_only()"
    )
    op.execute(
        "CREATE TRIGGER personal_data_reads_no_truncate"
        " BEFORE TRUNCATE ON personal_data_reads"
        " FOR EACH STATEMENT EXECUTE FUNCTION personal_data_reads_append_only()"
    )
    op.execute(
        "CREATE FUNCTION personal_data_reads_expire(keep interval) RETURNS bigint"
        # As its owner: a service role granted EXECUTE but not DELETE may run the retention.
        " LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$"
        " DECLARE removed bigint;"
        " BEGIN"
        f"  IF keep < interval '{FLOOR}' THEN"
        f"   RAISE EXCEPTION 'personal data reads are kept at least {FLOOR}, not %', keep"
        "    USING ERRCODE = 'invalid_parameter_value';"
        "  END IF;"
        "  PERFORM set_config('chibo.personal_data_reads_expiry', 'on', true);"
        "  DELETE FROM personal_data_reads WHERE read_at < now() - keep;"
        "  GET DIAGNOSTICS removed = ROW_COUNT;"
        "  PERFORM set_config('chibo.personal_data_reads_expiry', 'off', true);"
        "  RETURN removed;"
        " END $$"
    )


def downgrade() -> None:
    op.execute("DROP TABLE personal_data_reads")
    op.execute("DROP FUNCTION personal_data_reads_expire(interval)")
    op.execute("DROP FUNCTION personal_data_reads_append_only()")
