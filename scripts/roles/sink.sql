-- The sink worker's role in its subsystem store. Run in the STORE database by a superuser (or the database
-- owner) after set_config() of: cdc_roles.role, cdc_roles.password ('' = none), cdc_roles.schemas (comma list:
-- the target schemas and the sink's metadata schema, e.g. 'public,cdc'). Idempotent: run it again to converge.
--
-- The role owns the store's schemas and every table in them (it creates, adds and widens columns), may create
-- schemas in this database only (CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema
-- exists) and temporary staging tables. Nobody else but superusers and roles granted here can connect.
-- Needs common.sql run first in the same session (scripts/roles.sh and tests/Cdc.Testing/DatabaseRoles.cs do).
DO $roles$
DECLARE
    r text := current_setting('cdc_roles.role');
    pw text := current_setting('cdc_roles.password');
    s text;
    t record;
BEGIN
    PERFORM pg_temp.cdc_login_role(r, pw, 'NOREPLICATION');
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT TEMPORARY, CREATE ON DATABASE %I TO %I', current_database(), r);
    FOREACH s IN ARRAY string_to_array(current_setting('cdc_roles.schemas'), ',') LOOP
        s := btrim(s);
        EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', s);
        EXECUTE format('ALTER SCHEMA %I OWNER TO %I', s, r);
        EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', s);
        -- Tables an administrator created; not those of another component's role (the reconciler's audit tables).
        FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles o ON o.oid = c.relowner
                 WHERE n.nspname = s AND c.relkind IN ('r', 'p') AND (o.rolsuper OR o.rolname = current_user) LOOP
            EXECUTE format('ALTER TABLE %I.%I OWNER TO %I', s, t.relname, r);
        END LOOP;
    END LOOP;
END
$roles$;
