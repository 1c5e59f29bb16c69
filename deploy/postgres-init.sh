# compose's PostgreSQL runs this once, on its first start (/docker-entrypoint-initdb.d, as its superuser):
# the owner role that migrates, the services' role and the four databases (deploy/postgres-roles.sql).
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v owner=netra_owner -v owner_password="$(cat /run/secrets/postgres_owner_password)" \
    -v service=netra_app -v service_password="$(cat /run/secrets/postgres_service_password)" \
    -f /netra/postgres-roles.sql
