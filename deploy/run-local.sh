#!/usr/bin/env bash
# Runs the whole of Netra on this machine: the loopback servers (infra.sh), the queue topology, the database
# migrations, then each service as its own process, started the way docker-compose.yml starts it.
#   deploy/run-local.sh        start (services already running are left alone) and say where things are
#   deploy/run-local.sh stop   stop the service processes this script started (the servers stay up)
# Logs: var/log/<service>.log; pids: var/run/<service>.pid.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/lib.sh

export PATH="$NETRA_ROOT/.venv/bin:$PATH"
export NETRA_INTAKE_BIND="${NETRA_INTAKE_BIND:-127.0.0.1:8080}"
export NETRA_DESK_BIND="${NETRA_DESK_BIND:-127.0.0.1:8090}"
SERVICES=(intake intake-worker evidence routing notify desk desk-worker reconciler scheduler)
READY_SECONDS=${NETRA_READY_SECONDS:-90}
STOP_SECONDS=15
declare -A READY_URL=()

# database_url DB ROLE: the service's own PostgreSQL database signed in as ROLE, unless the caller chose one.
database_url() { echo "${NETRA_DATABASE_URL:-postgresql+psycopg://$2:$2@$PG_HOST:$PG_PORT/$1}"; }

# start_service NAME READY_ADDRESS DATABASE COMMAND...: DATABASE is "" for a service that has none.
start_service() {
    local name=$1 ready_address=$2 database=$3; shift 3
    READY_URL[$name]="http://$ready_address/readyz"
    if running "$name"; then say "$name already running (pid $(cat "var/run/$name.pid"))"; return; fi
    local env=()
    [[ -z $database ]] || env+=(NETRA_DATABASE_URL="$(database_url "$database" "$PG_SERVICE_ROLE")")
    start_detached "$name" env "${env[@]}" "$@"
}

# start_worker NAME HEALTH_BIND DATABASE MODULE: a consumer, with its /readyz on its own port.
start_worker() {
    start_service "$1" "$2" "$3" env NETRA_HEALTH_BIND="$2" python -m "$4"
}

# The same commands as docker-compose.yml (tests/unit/test_compose_matches_code.py holds them equal).
start_services() {
    # intake may only put originals under netra-evidence/complaints/: it signs in as its own user.
    start_service intake "$NETRA_INTAKE_BIND" netra_intake env NETRA_S3_ACCESS_KEY="$NETRA_S3_INTAKE_ACCESS_KEY" \
        NETRA_S3_SECRET_KEY="$NETRA_S3_INTAKE_SECRET_KEY" gunicorn -c deploy/gunicorn.conf.py 'services.intake.app:create_app()'
    start_worker intake-worker 127.0.0.1:8081 netra_intake services.intake.worker
    start_worker evidence 127.0.0.1:8082 "" services.evidence.worker
    start_worker routing 127.0.0.1:8083 netra_routing services.routing.worker
    start_worker notify 127.0.0.1:8084 netra_notify services.notify.worker
    # The desk only shows evidence: it signs in to MinIO as the read-only reader.
    start_service desk "$NETRA_DESK_BIND" netra_desk env NETRA_S3_ACCESS_KEY="$NETRA_S3_READER_ACCESS_KEY" \
        NETRA_S3_SECRET_KEY="$NETRA_S3_READER_SECRET_KEY" gunicorn -c deploy/gunicorn-desk.conf.py 'services.desk.app:create_app()'
    start_worker desk-worker 127.0.0.1:8085 netra_desk services.desk.worker
    # Counts the complaints overdue for their next step every minute, from intake's database.
    start_service reconciler 127.0.0.1:8086 netra_intake env NETRA_HEALTH_BIND=127.0.0.1:8086 \
        python -m services.ops reconcile --every 60
    # Reminders, the contact and identity purges and the holiday check, each on its cron expression.
    start_service scheduler 127.0.0.1:8087 "" env NETRA_HEALTH_BIND=127.0.0.1:8087 \
        NETRA_INTAKE_DATABASE_URL="$(database_url netra_intake "$PG_SERVICE_ROLE")" \
        NETRA_NOTIFY_DATABASE_URL="$(database_url netra_notify "$PG_SERVICE_ROLE")" \
        NETRA_DESK_DATABASE_URL="$(database_url netra_desk "$PG_SERVICE_ROLE")" \
        python -m services.ops schedule
}

# Every service database to the revision the code needs, before any service starts (they never create tables):
# signed in as the owner, which then grants the services' role the rows it may touch.
migrate_databases() {
    NETRA_INTAKE_DATABASE_URL="$(database_url netra_intake "$PG_OWNER")" \
    NETRA_ROUTING_DATABASE_URL="$(database_url netra_routing "$PG_OWNER")" \
    NETRA_NOTIFY_DATABASE_URL="$(database_url netra_notify "$PG_OWNER")" \
    NETRA_DESK_DATABASE_URL="$(database_url netra_desk "$PG_OWNER")" NETRA_DATABASE_SERVICE_ROLE="$PG_SERVICE_ROLE" \
        python -m services.migrate >>var/log/migrate.log 2>&1 || die "migrating the databases failed; see var/log/migrate.log"
}

# The settings each service starts with, in files every operator command of this checkout reads (the services
# read their environment only; services/common/settings.py): `python -m services.desk.cli ...` typed in a shell
# works on this run.
write_settings_files() {
    local dir=var settings=(python deploy/settings_files.py)
    NETRA_PUBLIC_URL="${NETRA_PUBLIC_URL:-http://$NETRA_INTAKE_BIND}" NETRA_DESK_URL="${NETRA_DESK_URL:-http://$NETRA_DESK_BIND}" \
        "${settings[@]}" "$dir/netra.env"
    "${settings[@]}" "$dir/netra-intake.env" NETRA_DATABASE_URL="$(database_url netra_intake "$PG_SERVICE_ROLE")" \
        NETRA_S3_ACCESS_KEY="$NETRA_S3_INTAKE_ACCESS_KEY" NETRA_S3_SECRET_KEY="$NETRA_S3_INTAKE_SECRET_KEY"
    "${settings[@]}" "$dir/netra-routing.env" NETRA_DATABASE_URL="$(database_url netra_routing "$PG_SERVICE_ROLE")"
    "${settings[@]}" "$dir/netra-notify.env" NETRA_DATABASE_URL="$(database_url netra_notify "$PG_SERVICE_ROLE")"
    "${settings[@]}" "$dir/netra-desk.env" NETRA_DATABASE_URL="$(database_url netra_desk "$PG_SERVICE_ROLE")" \
        NETRA_S3_ACCESS_KEY="$NETRA_S3_READER_ACCESS_KEY" NETRA_S3_SECRET_KEY="$NETRA_S3_READER_SECRET_KEY"
    "${settings[@]}" "$dir/netra-reconcile.env" NETRA_DATABASE_URL="$(database_url netra_intake "$PG_SERVICE_ROLE")"
    # python -m services.migrate signs in as the tables' owner, as migrate_databases does.
    "${settings[@]}" "$dir/netra-migrate.env" NETRA_DATABASE_SERVICE_ROLE="$PG_SERVICE_ROLE" \
        NETRA_INTAKE_DATABASE_URL="$(database_url netra_intake "$PG_OWNER")" \
        NETRA_ROUTING_DATABASE_URL="$(database_url netra_routing "$PG_OWNER")" \
        NETRA_NOTIFY_DATABASE_URL="$(database_url netra_notify "$PG_OWNER")" \
        NETRA_DESK_DATABASE_URL="$(database_url netra_desk "$PG_OWNER")"
}

answers_ready() { curl -fs -o /dev/null --max-time 2 "$1"; }

wait_ready() {
    local name
    for name in "${SERVICES[@]}"; do
        wait_until "$READY_SECONDS" "$name (${READY_URL[$name]})" "var/log/$name.log" \
            alive_and "$name" answers_ready "${READY_URL[$name]}"
    done
}

print_addresses() {
    cat <<EOF

Netra is running.
  API             http://$NETRA_INTAKE_BIND/api/v1  (OpenAPI: http://$NETRA_INTAKE_BIND/api/v1/openapi.json)
  Unit desk       http://$NETRA_DESK_BIND/desk/  (first admin of a unit: see README, "For units")
  Mail            SMTP $SMTP_HOST:$SMTP_PORT; every accepted message is a .eml file in $NETRA_MAILBOX_DIR
  Object store    http://$S3_HOST:$S3_PORT  (console http://$S3_HOST:$((S3_PORT + 1)) as $NETRA_S3_ROOT_USER); the services sign in as $NETRA_S3_ACCESS_KEY
  RabbitMQ        $NETRA_AMQP_URL
  Worker health   http://127.0.0.1:8081..8087/readyz (intake-worker, evidence, routing, notify, desk-worker, reconciler, scheduler)
  Overdue         .venv/bin/python -m services.ops reconcile [--redrive]
  Scheduled jobs  var/log/scheduler.log, http://127.0.0.1:8087/metrics (jobs and times: docs/operations.md)
  Settings        var/netra.env and var/netra-<service>.env: what the services got; every operator command reads them
  Logs and pids   var/log/<service>.log, var/run/<service>.pid
Stop the services with: deploy/run-local.sh stop
EOF
}

# stop_service NAME: SIGTERM to its process group (gunicorn's workers too), SIGKILL if it lingers.
stop_service() {
    local name=$1 pid
    running "$name" || { rm -f "var/run/$name.pid"; return; }
    pid=$(cat "var/run/$name.pid")
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    local deadline=$((SECONDS + STOP_SECONDS))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        say "$name did not stop within ${STOP_SECONDS}s; killing it"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
    fi
    rm -f "var/run/$name.pid"
    say "stopped $name"
}

stop_services() {
    local name
    for name in "${SERVICES[@]}"; do stop_service "$name"; done
}

main() {
    case "${1:-start}" in
        start)
            bash deploy/infra.sh
            python -m services.topology >>var/log/topology.log 2>&1 || die "declaring the topology failed; see var/log/topology.log"
            migrate_databases
            write_settings_files
            start_services
            wait_ready
            print_addresses
            bash deploy/check-unit-contacts.sh ;;
        stop) stop_services ;;
        *) die "usage: $0 [start|stop]" ;;
    esac
}

main "$@"
