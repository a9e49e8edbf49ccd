-- Hearth database bootstrap: the two roles and the database, idempotent.
-- Run as a superuser with psql (it uses \gexec, \getenv, \if and \connect):
--   psql -v ON_ERROR_STOP=1 -d postgres -f hearth/sql/bootstrap_roles.sql
-- Used by hearth/embedded.py (embedded Postgres), .ci/run (machine Postgres) and the
-- docker-compose `db` service (mounted into /docker-entrypoint-initdb.d/).
--
-- hearth_owner owns the schema and runs migrations; hearth_app is what the web/worker
-- processes use, so it must never bypass row-level security. Table grants to hearth_app
-- are made by the app's post_migrate hook, not here.
--
-- Optional passwords come from the environment (HEARTH_OWNER_PASSWORD /
-- HEARTH_APP_PASSWORD); local setups rely on trust auth and leave them unset.

\set ON_ERROR_STOP on
\getenv owner_password HEARTH_OWNER_PASSWORD
\getenv app_password HEARTH_APP_PASSWORD

-- CREATE ROLE/DATABASE have no IF NOT EXISTS; \gexec runs the generated statement only
-- when the SELECT yields a row.
SELECT 'CREATE ROLE hearth_owner LOGIN CREATEDB NOSUPERUSER'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hearth_owner') \gexec

SELECT 'CREATE ROLE hearth_app LOGIN NOSUPERUSER NOCREATEDB NOBYPASSRLS'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hearth_app') \gexec

-- The one explicit bypass (community.tenancy.unscoped): hearth_app may `SET LOCAL ROLE hearth_bypass`
-- for work that spans communities. It cannot log in; keeping the bypass out of the policies keeps them
-- a plain equality the planner uses with the (community_id, …) indexes.
SELECT 'CREATE ROLE hearth_bypass NOLOGIN NOSUPERUSER BYPASSRLS'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hearth_bypass') \gexec
GRANT hearth_bypass TO hearth_app;

-- Re-assert attributes so a role created earlier by hand ends up in the intended shape.
ALTER ROLE hearth_owner LOGIN CREATEDB NOSUPERUSER;
ALTER ROLE hearth_app LOGIN NOSUPERUSER NOCREATEDB NOBYPASSRLS;
ALTER ROLE hearth_bypass NOLOGIN NOSUPERUSER BYPASSRLS;

\if :{?owner_password}
SELECT format('ALTER ROLE hearth_owner PASSWORD %L', :'owner_password') \gexec
\endif
\if :{?app_password}
SELECT format('ALTER ROLE hearth_app PASSWORD %L', :'app_password') \gexec
\endif

SELECT 'CREATE DATABASE hearth OWNER hearth_owner'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'hearth') \gexec

ALTER DATABASE hearth OWNER TO hearth_owner;
GRANT CONNECT ON DATABASE hearth TO hearth_app;

\connect hearth
ALTER SCHEMA public OWNER TO hearth_owner;
GRANT USAGE ON SCHEMA public TO hearth_app, hearth_bypass;

-- Under row-level security Postgres evaluates a query's own conditions only after the tenant policy unless
-- their operators are LEAKPROOF, so full-text search (`@@`) and tag filters (`@>`, `&&`) could not use their
-- GIN indexes and scanned a whole community. These built-ins raise no data-dependent errors, so marking them
-- LEAKPROOF reveals nothing across tenants. It needs a superuser and is per database: done in hearth and in
-- template1 (which test databases copy). Where it is refused (managed Postgres), searches stay correct, just
-- slower: a NOTICE says so.
\connect template1
\ir leakproof_operators.sql
\connect hearth
\ir leakproof_operators.sql
