-- The source connector's role on the PRIMARY. Run in the primary database by a superuser after set_config() of:
-- cdc_roles.role, cdc_roles.password ('' = none), cdc_roles.tables (comma list of [schema.]table, quoted as in SQL
-- where needed), cdc_roles.publication ('' = leave publications alone), cdc_roles.signal_table ('' = none).
-- Idempotent and convergent: SELECT on tables no longer listed is revoked.
--
-- The role can REPLICATION (create and stream its logical slot) and SELECT the captured tables (snapshots), nothing
-- else. It does not create the publication: in PostgreSQL 15 CREATE PUBLICATION needs CREATE on the database and
-- FOR TABLE needs ownership of every table, so this script (run by a superuser) creates or resets it FOR TABLE the
-- list, plus the signal table. The signal table is what incremental snapshots (repairs by re-streaming) run through:
-- the connector reads it and writes its watermark rows there, so it gets SELECT, INSERT, UPDATE, DELETE on it.
-- Needs common.sql run first in the same session (scripts/roles.sh and tests/Cdc.Testing/DatabaseRoles.cs do).
DO $roles$
DECLARE
    r text := current_setting('cdc_roles.role');
    pw text := current_setting('cdc_roles.password');
    publication text := current_setting('cdc_roles.publication');
    signal text := nullif(current_setting('cdc_roles.signal_table'), '');
    wanted regclass[] := '{}';
    name text;
    rel regclass;
    granted record;
BEGIN
    PERFORM pg_temp.cdc_login_role(r, pw, 'REPLICATION');
    FOREACH name IN ARRAY string_to_array(current_setting('cdc_roles.tables'), ',') LOOP
        rel := to_regclass(btrim(name));
        IF rel IS NULL THEN
            RAISE EXCEPTION 'captured table % does not exist', btrim(name);
        END IF;
        wanted := wanted || rel;
    END LOOP;
    FOR granted IN SELECT DISTINCT format('%I.%I', table_schema, table_name)::regclass AS rel
                   FROM information_schema.role_table_grants WHERE grantee = r LOOP
        IF NOT granted.rel = ANY (wanted) AND granted.rel IS DISTINCT FROM to_regclass(signal) THEN
            EXECUTE format('REVOKE ALL ON %s FROM %I', granted.rel, r);
        END IF;
    END LOOP;
    FOREACH rel IN ARRAY wanted LOOP
        PERFORM pg_temp.cdc_grant_table(r, rel, 'SELECT');
    END LOOP;
    IF signal IS NOT NULL THEN
        PERFORM pg_temp.cdc_grant_table(r, to_regclass(signal), 'SELECT, INSERT, UPDATE, DELETE');
        wanted := wanted || to_regclass(signal);
    END IF;
    IF publication <> '' THEN
        IF EXISTS (SELECT FROM pg_publication WHERE pubname = publication) THEN
            EXECUTE format('ALTER PUBLICATION %I SET TABLE %s', publication, array_to_string(wanted::text[], ', '));
        ELSE
            EXECUTE format('CREATE PUBLICATION %I FOR TABLE %s', publication, array_to_string(wanted::text[], ', '));
        END IF;
        -- The connector records a completed initial snapshot as the publication's comment (COMMENT needs ownership).
        -- A superuser may give it without CREATE on the database; adding tables still needs owning them, so the
        -- role can only narrow its own publication, never widen it.
        EXECUTE format('ALTER PUBLICATION %I OWNER TO %I', publication, r);
    END IF;
END
$roles$;
