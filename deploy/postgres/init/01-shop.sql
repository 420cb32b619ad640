-- The primary's demo schema and roles for the compose stack (run once by the postgres image's entrypoint,
-- in database "shop", as the superuser). The server itself runs with wal_level=logical (docker-compose.yml).

-- Tables belong to a group role: PostgreSQL lets only a table's owner add it to a publication, and Debezium
-- (publication.autocreate.mode=filtered) maintains the publication itself.
CREATE ROLE shop_owner NOLOGIN;
GRANT CREATE ON DATABASE shop TO shop_owner;
GRANT CREATE ON SCHEMA public TO shop_owner; -- PostgreSQL 15 no longer grants it to PUBLIC

-- Debezium: replication, membership in the owner role (publication, heartbeat, signal watermarks).
CREATE ROLE debezium LOGIN REPLICATION PASSWORD 'debezium' IN ROLE shop_owner;
-- Writers: the applications (unchanged by CDC).
CREATE ROLE shop_app LOGIN PASSWORD 'shop_app';
-- The reconciler: reads the primary, and inserts resnapshot signals.
CREATE ROLE reconciler LOGIN PASSWORD 'reconciler';
-- postgres_exporter: reads statistics and the replication slots (deploy/postgres-exporter/queries.yml), nothing else.
CREATE ROLE exporter LOGIN PASSWORD 'exporter' IN ROLE pg_monitor;

SET ROLE shop_owner;

CREATE TABLE public.orders (
    id         bigint PRIMARY KEY,
    status     text NOT NULL,
    qty        integer NOT NULL,
    amount     numeric(12, 2) NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    note       text
);

CREATE SCHEMA cdc;

-- heartbeat.action.query upserts its one row on every heartbeat, so the slot can always advance.
CREATE TABLE cdc.heartbeat (
    id      integer PRIMARY KEY,
    beat_at timestamptz NOT NULL
);

-- Debezium's signal table (signal.data.collection): the reconciler's resnapshot repairs insert here.
CREATE TABLE cdc.debezium_signal (
    id   varchar(64) PRIMARY KEY,
    type varchar(32) NOT NULL,
    data varchar(4096)
);

RESET ROLE;

GRANT USAGE ON SCHEMA public, cdc TO shop_app, reconciler;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.orders TO shop_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO reconciler;
GRANT SELECT, INSERT ON cdc.debezium_signal TO reconciler;

INSERT INTO public.orders (id, status, qty, amount, note)
SELECT i, 'new', 1 + i % 9, round((i * 7.31)::numeric % 1000, 2), 'seed order ' || i
FROM generate_series(1, 1000) AS i;
