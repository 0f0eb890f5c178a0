-- A timestamp as the API writes it: ISO-8601 in UTC with milliseconds.
CREATE OR REPLACE FUNCTION mg_iso(p_at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
