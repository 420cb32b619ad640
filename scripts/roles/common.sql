-- Helpers the role scripts share, as session-local functions (pg_temp): run this file first in the same session.
-- One login role, created if missing and reset to exactly these attributes (attributes: fixed keywords only).
CREATE OR REPLACE FUNCTION pg_temp.cdc_login_role(r text, pw text, attributes text) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
        EXECUTE format('CREATE ROLE %I', r);
    END IF;
    EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT %s PASSWORD %L', r, attributes, nullif(pw, ''));
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), r);
END
$fn$;

-- USAGE on the schema of a table, and the given rights (fixed keywords only) on the table.
CREATE OR REPLACE FUNCTION pg_temp.cdc_grant_table(r text, rel regclass, rights text) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    IF rel IS NULL THEN
        RAISE EXCEPTION 'a table named in the settings does not exist';
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = rel), r);
    EXECUTE format('GRANT %s ON %s TO %I', rights, rel, r);
END
$fn$;
