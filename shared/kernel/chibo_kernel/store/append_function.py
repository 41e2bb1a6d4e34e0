"""The append as one server-side function: one round trip, in autocommit.

Why this is enough for the relay's commit-safe order:
- the caller fixed every expected version before the call, so each predecessor event it
  checks against had committed, and so had its xid assigned, before this transaction's
  first write assigns ours. Per-stream version order therefore equals xid order, which is
  the order the relay publishes in; no lock is needed for it;
- the version check runs with a fresh snapshot per statement (plpgsql, READ COMMITTED); a
  concurrent writer of the same version is stopped by the primary key, which waits for the
  other transaction and then fails, and that is reported as the same conflict.
"""

CONFLICT_SQLSTATE = "CH409"

CREATE_APPEND_FUNCTION = f"""
CREATE OR REPLACE FUNCTION chibo_append_events(
    p_streams text[], p_expected int[],
    e_streams text[], e_versions int[], e_ids uuid[], e_types text[], e_data jsonb[], e_meta jsonb[]
) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
    i int;
    current_version int;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
        SELECT coalesce(max(version), 0) INTO current_version
          FROM events WHERE stream_id = p_streams[i];
        IF current_version <> p_expected[i] THEN
            RAISE EXCEPTION USING
                ERRCODE = '{CONFLICT_SQLSTATE}',
                MESSAGE = format('stream %s is at version %s, expected %s',
                                 p_streams[i], current_version, p_expected[i]),
                DETAIL = p_streams[i] || ':' || current_version;
        END IF;
    END LOOP;
    INSERT INTO events (stream_id, version, event_id, event_type, data, metadata)
    SELECT * FROM unnest(e_streams, e_versions, e_ids, e_types, e_data, e_meta);
END
$fn$;
"""

DROP_APPEND_FUNCTION = (
    "DROP FUNCTION IF EXISTS chibo_append_events(text[], int[], text[], int[], uuid[], text[], "
    "jsonb[], jsonb[])"
)
