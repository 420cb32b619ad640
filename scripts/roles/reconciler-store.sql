-- The reconciler's role in a subsystem STORE. Run in the store database by a superuser after set_config() of:
-- cdc_roles.role, cdc_roles.password ('' = none), cdc_roles.schemas (the store's schemas, e.g. 'public,cdc'),
-- cdc_roles.metadata_schema (the sink's own schema, e.g. 'cdc'). Run it after sink.sql. Idempotent.
--
-- It reads everything (rows, and the sink's applied positions in the metadata schema) and may write rows of the
-- target tables, for direct repairs only: SELECT, INSERT, UPDATE, DELETE there, also on tables the sink creates
-- later (default privileges of the schema owner); read-only on the sink's metadata. Its only DDL: its own audit
-- tables (reconcile_runs, reconcile_findings: reconciler/Cdc.Reconciler/Audit/RunHistory.cs), which it creates in
-- the metadata schema on its first run (CREATE on that schema) and owns; existing ones are handed to it here.
-- Needs common.sql run first in the same session (scripts/roles.sh and tests/Cdc.Testing/DatabaseRoles.cs do).
DO $roles$
DECLARE
    r text := current_setting('cdc_roles.role');
    pw text := current_setting('cdc_roles.password');
    metadata text := current_setting('cdc_roles.metadata_schema');
    s text;
    owner text;
    rights text;
    audit regclass;
BEGIN
    PERFORM pg_temp.cdc_login_role(r, pw, 'NOREPLICATION');
    FOREACH s IN ARRAY string_to_array(current_setting('cdc_roles.schemas'), ',') LOOP
        s := btrim(s);
        SELECT pg_get_userbyid(nspowner) INTO owner FROM pg_namespace WHERE nspname = s;
        IF owner IS NULL THEN
            RAISE EXCEPTION 'schema % does not exist: run sink.sql first', s;
        END IF;
        rights := CASE WHEN s = metadata THEN 'SELECT' ELSE 'SELECT, INSERT, UPDATE, DELETE' END;
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, r);
        EXECUTE format('GRANT %s ON ALL TABLES IN SCHEMA %I TO %I', rights, s, r);
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT %s ON TABLES TO %I', owner, s, rights, r);
    END LOOP;
    EXECUTE format('GRANT CREATE ON SCHEMA %I TO %I', metadata, r);
    FOR audit IN SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = metadata AND c.relname IN ('reconcile_runs', 'reconcile_findings') AND c.relkind = 'r' LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO %I', audit, r);
    END LOOP;
END
$roles$;
