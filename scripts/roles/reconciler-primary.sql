-- The reconciler's role on the PRIMARY. Run in the primary database by a superuser after set_config() of:
-- cdc_roles.role, cdc_roles.password ('' = none), cdc_roles.tables (comma list; '' = every table of
-- cdc_roles.publication), cdc_roles.publication, cdc_roles.signal_table ('' = none). Idempotent.
--
-- It reads the captured tables (checksums, rechecks) and may INSERT into the signal table: the preferred repair
-- re-streams rows through the pipeline (Debezium's execute-snapshot signal), so it never writes captured tables.
DO $roles$
DECLARE
    r text := current_setting('cdc_roles.role');
    pw text := current_setting('cdc_roles.password');
    signal text := nullif(current_setting('cdc_roles.signal_table'), '');
    rel regclass;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
        EXECUTE format('CREATE ROLE %I', r);
    END IF;
    EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD %L', r, nullif(pw, ''));
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), r);
    FOR rel IN
        SELECT to_regclass(btrim(t)) FROM unnest(string_to_array(current_setting('cdc_roles.tables'), ',')) t
        UNION
        SELECT format('%I.%I', schemaname, tablename)::regclass FROM pg_publication_tables
        WHERE current_setting('cdc_roles.tables') = '' AND pubname = current_setting('cdc_roles.publication')
    LOOP
        IF rel IS NULL THEN
            RAISE EXCEPTION 'a table in cdc_roles.tables does not exist';
        END IF;
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', (SELECT nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = rel), r);
        EXECUTE format('GRANT SELECT ON %s TO %I', rel, r);
    END LOOP;
    IF signal IS NOT NULL THEN
        rel := to_regclass(signal);
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', (SELECT nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = rel), r);
        EXECUTE format('GRANT INSERT ON %s TO %I', rel, r);
    END IF;
END
$roles$;
