#!/bin/bash
# The part of the official postgres image's entrypoint that docker-compose.yml relies on. On an empty data
# folder: initdb with POSTGRES_USER and the password in POSTGRES_PASSWORD_FILE, then every
# /docker-entrypoint-initdb.d/*.sh (sourced) and *.sql, against a server listening on its socket only.
# Then the server, reachable over the network with a password (scram-sha-256).
set -euo pipefail
export POSTGRES_USER=${POSTGRES_USER:-postgres}

first_start() {
    [[ -n ${POSTGRES_PASSWORD_FILE:-} ]] || { echo "POSTGRES_PASSWORD_FILE is not set" >&2; exit 1; }
    initdb --username="$POSTGRES_USER" --pwfile="$POSTGRES_PASSWORD_FILE" --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 >/dev/null
    echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=''" start >/dev/null
    local script
    for script in /docker-entrypoint-initdb.d/*; do
        case $script in
            *.sh) echo "running $script"; source "$script" ;;
            *.sql) echo "running $script"; psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -f "$script" ;;
        esac
    done
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    echo "PostgreSQL init process complete; ready for start up."
}

if [[ ${1:-} == postgres && ! -s $PGDATA/PG_VERSION ]]; then first_start; fi
if [[ ${1:-} == postgres ]]; then exec "$@" -c listen_addresses='*'; fi
exec "$@"
