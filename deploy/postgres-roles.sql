-- Netra's PostgreSQL roles and databases; safe to run again (docs/deployment.md, "Database roles").
--   psql -v owner=netra_owner -v owner_password=... -v service=netra_app -v service_password=... \
--        -f deploy/postgres-roles.sql
-- Run by a superuser: compose's first start (deploy/postgres-init.sh) and deploy/infra.sh.
-- :owner owns the four databases and every table in them; `python -m services.migrate` signs in as it.
-- :service is the role the services sign in as; migrate grants it rows, never a table (services/common/grants.py).
-- Neither may create databases or roles, and neither is a superuser.
\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I', name) FROM unnest(ARRAY[:'owner', :'service']) AS name
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) \gexec
ALTER ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_password';
ALTER ROLE :"service" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'service_password';

SELECT format('CREATE DATABASE %I OWNER %I', name, :'owner')
  FROM unnest(ARRAY['netra_intake', 'netra_routing', 'netra_notify', 'netra_desk']) AS name
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = name) \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', name, :'owner')
  FROM unnest(ARRAY['netra_intake', 'netra_routing', 'netra_notify', 'netra_desk']) AS name \gexec
