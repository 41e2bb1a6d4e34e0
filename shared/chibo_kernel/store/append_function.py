"""The append as one server-side function: one round trip, in autocommit.

Why a function:
- per-stream advisory locks are taken *before the first write*, so the transaction's xid is
  assigned after every earlier writer of those streams committed. Per-stream version order
  therefore equals xid order, which is the order the relay publishes in;
- the version check runs after the locks with a fresh snapshot (plpgsql, READ COMMITTED),
  and the primary key stays the last line of defence;
- one statement keeps the hot path at the cost of a raw INSERT.
"""

CONFLICT_SQLSTATE = "CH409"

CREATE_APPEND_FUNCTION = f"""
CREATE OR REPLACE FUNCTION chibo_append_events(
    p_streams text[], p_expected int[],
    e_streams text[], e_versions int[], e_ids uuid[], e_types text[], e_data jsonb[], e_meta jsonb[]
) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
    s text;
    i int;
    current_version int;
BEGIN
    FOREACH s IN ARRAY (SELECT array_agg(x ORDER BY x) FROM unnest(p_streams) x) LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended(s, 0));
    END LOOP;
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
