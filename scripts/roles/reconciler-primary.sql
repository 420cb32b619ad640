-- The reconciler's role on the PRIMARY. Run in the primary database by a superuser after set_config() of:
-- cdc_roles.role, cdc_roles.password ('' = none), cdc_roles.tables (comma list; '' = every table of
-- cdc_roles.publication), cdc_roles.publication, cdc_roles.signal_table ('' = none). Idempotent.
--
-- It reads the captured tables (checksums, rechecks) and may INSERT into the signal table: the preferred repair
-- re-streams rows through the pipeline (Debezium's execute-snapshot signal), so it never writes captured tables.
-- Needs common.sql run first in the same session (scripts/roles.sh and tests/Cdc.Testing/DatabaseRoles.cs do).
DO $roles$
DECLARE
    r text := current_setting('cdc_roles.role');
    pw text := current_setting('cdc_roles.password');
    signal text := nullif(current_setting('cdc_roles.signal_table'), '');
    rel regclass;
BEGIN
    PERFORM pg_temp.cdc_login_role(r, pw, 'NOREPLICATION');
    FOR rel IN
        SELECT to_regclass(btrim(t)) FROM unnest(string_to_array(current_setting('cdc_roles.tables'), ',')) t
        UNION
        SELECT format('%I.%I', schemaname, tablename)::regclass FROM pg_publication_tables
        WHERE current_setting('cdc_roles.tables') = '' AND pubname = current_setting('cdc_roles.publication')
    LOOP
        PERFORM pg_temp.cdc_grant_table(r, rel, 'SELECT');
    END LOOP;
    IF signal IS NOT NULL THEN
        PERFORM pg_temp.cdc_grant_table(r, to_regclass(signal), 'INSERT');
    END IF;
END
$roles$;
