#!/usr/bin/env bash
# Installs what is missing and starts, on loopback, each server that does not already answer at its
# configured address (NETRA_AMQP_URL, NETRA_S3_ENDPOINT, NETRA_SMTP_HOST/PORT, NETRA_TEST_PG_URL,
# NETRA_RATE_LIMIT_STORAGE_URL): RabbitMQ, PostgreSQL, MinIO, the mailbox SMTP server and Redis; and keeps .venv in step with pyproject.toml.
# Run it as often as you like: when everything is up it only checks and prints where things are.
#   deploy/infra.sh         what running Netra needs (deploy/run-local.sh)
#   deploy/infra.sh tests   and what only the tests use: Chromium, axe-core, docker-compose, promtool,
#                           kustomize (deploy/test.sh)
#   deploy/infra.sh venv    only .venv, in step with the lock (deploy/test.sh, before the static gate and for
#                           the unit tests, which need no server)
# Servers it starts outlive it (own session, nohup); their pids are in var/run, their logs in var/log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/lib.sh

# MinIO's tags are not semantic versions: this is the pseudo-version that
# `go list -m github.com/minio/minio@latest` printed.
MINIO_MODULE=github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c
# redis-server: the abuse-limit counters every intake and desk process shares (Debian 12 has no valkey-server)
# libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0, fonts-dejavu-core: WeasyPrint renders the desk's case
# file (services/desk/casefile/casefile.py) with Pango and HarfBuzz, in DejaVu
DEBIAN_PACKAGES=(rabbitmq-server postgresql curl ca-certificates redis-server
                 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
# Only for the tests (`deploy/infra.sh tests`, as deploy/test.sh runs it), never for running Netra:
# chromium and chromium-driver: the desk's real-browser test (tests/e2e/test_desk_browser.py)
# nodejs (npm): axe-core for the pages' accessibility check (tests/support/browser.py)
# docker-compose: `docker-compose config` validates docker-compose.yml (tests/unit/test_compose_matches_code.py)
# prometheus: its promtool checks the alert rules and dashboard queries (tests/unit/test_observability.py)
# nginx: the reverse proxy the trusted-proxy test puts in front of intake (tests/e2e/test_limits_behind_proxy.py)
# poppler-utils: pdftotext, pdfimages and pdftoppm read the case file back (tests/integration/test_desk_case_file.py)
TEST_PACKAGES=(chromium chromium-driver nodejs docker-compose prometheus nginx poppler-utils)
AXE_CORE=axe-core@4.10.3
AXE_DIR=var/cache/axe
# kustomize renders deploy/k8s/ offline (tests/unit/test_k8s_manifests.py); built from the Go module proxy.
KUSTOMIZE_MODULE=sigs.k8s.io/kustomize/kustomize/v5@v5.5.0
PG_DATABASES=(netra_intake netra_routing netra_notify netra_desk)  # as deploy/postgres-roles.sql names them
WAIT_SECONDS=${NETRA_INFRA_WAIT_SECONDS:-120}
VENV=.venv
LOCK=requirements/test.lock
INSTALL_STAMP=$VENV/.netra-install.sha256
MINIO_BUILD_LOG=var/log/minio-build.log

SUMMARY=()
record() { SUMMARY+=("$1|$2|$3"); }  # service, address, what this run did

as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }
# shellcheck disable=SC2016  # $1 and $2 belong to the inner bash
tcp_answers() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }
is_loopback() { [[ $1 == 127.* || $1 == localhost || $1 == ::1 ]]; }
require_loopback() {
    is_loopback "$2" || die "$1 does not answer at $2:$3, and that is not a loopback address this script could start it on"
}

missing_packages() {
    local package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || echo "$package"
    done
}

ensure_debian_packages() {
    local missing
    mapfile -t missing < <(missing_packages "$@")
    ((${#missing[@]})) || return 0
    say "installing ${missing[*]}"
    # stdout stays clean: python_for_venv's caller reads a path from it.
    as_root apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# --- Python venv ---------------------------------------------------------------------------------

python_for_venv() {
    if python3.11 -c 'import ensurepip, venv' 2>/dev/null; then command -v python3.11; return; fi
    ensure_debian_packages python3.11 python3.11-venv
    echo /usr/bin/python3.11
}

ensure_venv() {
    if ! "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
        say "creating $VENV"
        "$(python_for_venv)" -m venv --clear "$VENV"
    fi
    local wanted; wanted=$(cat pyproject.toml "$LOCK" | sha256sum | cut -d' ' -f1)
    if [[ $(cat "$INSTALL_STAMP" 2>/dev/null) != "$wanted" ]]; then
        # Every dependency exactly as locked, each file checked against its hash; then the project itself.
        say "installing the locked dependencies ($LOCK) and the project"
        "$VENV/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$LOCK"
        "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -e .
        echo "$wanted" >"$INSTALL_STAMP"
    fi
}

# --- PostgreSQL ----------------------------------------------------------------------------------

psql_as_netra() { PGPASSWORD=netra psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U netra -d postgres "$@"; }
# From / because the postgres user may not enter the work tree (psql warns about it).
psql_as_postgres() { (cd / && as_root runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres); }
pg_answers() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }
newest_pg_version() { find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1; }
pg_cluster_on_port() { pg_lsclusters -h | awk -v port="$1" '$3 == port { print $1, $2, $6; exit }'; }

# Debian's own cluster when it is set to the configured port, otherwise a cluster made for that port.
start_pg_cluster() {
    local version name datadir
    read -r version name datadir < <(pg_cluster_on_port "$PG_PORT") || true
    if [[ -z ${version:-} ]]; then
        version=$(newest_pg_version) name="netra$PG_PORT"
        say "creating PostgreSQL cluster $version/$name on port $PG_PORT"
        as_root pg_createcluster "$version" "$name" -p "$PG_PORT" >/dev/null
        datadir=/var/lib/postgresql/$version/$name
    fi
    as_root pg_ctlcluster "$version" "$name" start
    local log=/var/log/postgresql/postgresql-$version-$name.log
    wait_until "$WAIT_SECONDS" PostgreSQL "$log" pg_answers
    as_root head -n 1 "$datadir/postmaster.pid" >"var/run/$(instance_name postgresql "$PG_PORT" 5432).pid"
}

# The tests create a database each, so the role is a superuser; only on a loopback, dev-only server. The
# services never sign in as it (ensure_pg_databases).
ensure_pg_role() {
    psql_as_netra -tAc 'SELECT 1' >/dev/null 2>&1 && return 0
    say "creating PostgreSQL role netra"
    psql_as_postgres <<'SQL'
DO $$ BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'netra') THEN
    ALTER ROLE netra LOGIN SUPERUSER PASSWORD 'netra';
  ELSE
    CREATE ROLE netra LOGIN SUPERUSER PASSWORD 'netra';
  END IF;
END $$;
SQL
}

# The databases, their owner (which migrates) and the services' role, as compose makes them
# (deploy/postgres-roles.sql), with the local run's development passwords.
ensure_pg_databases() {
    psql_as_netra -v owner="$PG_OWNER" -v owner_password="$PG_OWNER" \
        -v service="$PG_SERVICE_ROLE" -v service_password="$PG_SERVICE_ROLE" -f deploy/postgres-roles.sql
    local database
    for database in "${PG_DATABASES[@]}"; do hand_to_owner "$database"; done
}

# hand_to_owner DATABASE: tables and functions an earlier run made as `netra` now belong to the owner role,
# so that migrations (signed in as the owner) may change them.
hand_to_owner() {
    psql_as_netra -d "$1" -v owner="$PG_OWNER" <<'SQL'
SELECT format('ALTER TABLE %I OWNER TO %I', tablename, :'owner') FROM pg_tables
 WHERE schemaname = 'public' AND tableowner <> :'owner' \gexec
SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, :'owner') FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> :'owner' \gexec
SQL
}

ensure_postgres() {
    if pg_answers; then
        record PostgreSQL "$PG_HOST:$PG_PORT" "already up"
    else
        require_loopback PostgreSQL "$PG_HOST" "$PG_PORT"
        start_pg_cluster
        record PostgreSQL "$PG_HOST:$PG_PORT" "started"
    fi
    ensure_pg_role
    ensure_pg_databases
}

# --- RabbitMQ ------------------------------------------------------------------------------------

rabbitmq_started() { timeout 30 rabbitmqctl -q await_startup --timeout 25 >/dev/null 2>&1; }

# Each AMQP connection is an open file. Debian's systemd unit gives the node 65536; started from a shell,
# the node keeps a soft limit of 1024, which a few running systems exhaust ("out of file descriptors", new
# connections refused). rabbitmq-env.conf is sourced by the node's start script as the rabbitmq user, who
# may raise the soft limit to the hard one (this also covers the fault tests' restarts).
rabbitmq_open_files() {
    local file=/etc/rabbitmq/rabbitmq-env.conf line='ulimit -S -n "$(ulimit -H -n)" 2>/dev/null || true'
    grep -qF "$line" "$file" 2>/dev/null || printf '%s  # netra: one open file per connection\n' "$line" >>"$file"
}

ensure_rabbitmq() {
    if tcp_answers "$AMQP_HOST" "$AMQP_PORT"; then
        record RabbitMQ "amqp://$AMQP_HOST:$AMQP_PORT" "already up"; return
    fi
    require_loopback RabbitMQ "$AMQP_HOST" "$AMQP_PORT"
    export RABBITMQ_NODE_IP_ADDRESS=$AMQP_HOST RABBITMQ_NODE_PORT=$AMQP_PORT
    # A second node beside Debian's default one needs its own Erlang distribution port too.
    [[ $AMQP_PORT == 5672 ]] || export RABBITMQ_DIST_PORT=$((AMQP_PORT + 20000))
    rabbitmq_open_files
    setsid rabbitmq-server -detached </dev/null
    wait_until "$WAIT_SECONDS" RabbitMQ "/var/log/rabbitmq/ (node ${RABBITMQ_NODENAME:-rabbit@$(hostname -s)})" rabbitmq_started
    wait_until 30 "RabbitMQ's AMQP port" /var/log/rabbitmq/ tcp_answers "$AMQP_HOST" "$AMQP_PORT"
    rabbitmqctl -q eval 'os:getpid().' | tr -d '"' >"var/run/$(instance_name rabbitmq "$AMQP_PORT" 5672).pid"
    record RabbitMQ "amqp://$AMQP_HOST:$AMQP_PORT" "started"
}

# The broker's own Prometheus metrics (queue depths for the alert rules) on port 15692. Enabling an enabled
# plugin changes nothing, and enabling it does not restart the node.
ensure_rabbitmq_prometheus() {
    is_loopback "$AMQP_HOST" || return 0  # a remote broker is its operator's to configure
    if ! rabbitmq-plugins -q is_enabled rabbitmq_prometheus >/dev/null 2>&1; then
        rabbitmq-plugins -q enable rabbitmq_prometheus >/dev/null
    fi
    record "RabbitMQ metrics" "http://$AMQP_HOST:15692/metrics" "enabled"
}

# --- MinIO ---------------------------------------------------------------------------------------

MINIO_BUILD_PID=
minio_binary() { echo "$(go env GOPATH)/bin/minio"; }
minio_answers() { curl -fs -o /dev/null --max-time 2 "http://$S3_HOST:$S3_PORT/minio/health/live"; }

# Started before the package installs so the ~2 minute build overlaps them.
start_minio_build_if_needed() {
    minio_answers && return 0
    command -v go >/dev/null || die "MinIO is not up at $S3_HOST:$S3_PORT and there is no Go toolchain to build it"
    [[ -x $(minio_binary) ]] && return 0
    say "building MinIO from source ($MINIO_MODULE), log in $MINIO_BUILD_LOG"
    GOBIN="$(go env GOPATH)/bin" CGO_ENABLED=0 go install "$MINIO_MODULE" >>"$MINIO_BUILD_LOG" 2>&1 &
    MINIO_BUILD_PID=$!
}

finish_minio_build() {
    [[ -n $MINIO_BUILD_PID ]] || return 0
    wait "$MINIO_BUILD_PID" || die "building MinIO failed; see $MINIO_BUILD_LOG"
}

ensure_minio() {
    if minio_answers; then
        record MinIO "http://$S3_HOST:$S3_PORT" "already up"; return
    fi
    require_loopback MinIO "$S3_HOST" "$S3_PORT"
    finish_minio_build
    local name gopath; gopath=$(go env GOPATH) name=$(instance_name minio "$S3_PORT" 9000)
    export PATH="$gopath/bin:$PATH"
    mkdir -p "var/$name"
    start_detached "$name" env MINIO_ROOT_USER="$NETRA_S3_ROOT_USER" MINIO_ROOT_PASSWORD="$NETRA_S3_ROOT_PASSWORD" \
        minio server "var/$name" --address "$S3_HOST:$S3_PORT" --console-address "$S3_HOST:$((S3_PORT + 1))"
    wait_until "$WAIT_SECONDS" MinIO "var/log/$name.log" alive_and "$name" minio_answers
    record MinIO "http://$S3_HOST:$S3_PORT" "started, pid $(cat "var/run/$name.pid")"
}

# --- Redis ---------------------------------------------------------------------------------------

redis_answers() { [[ $(timeout 2 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

# Counters only, all of them expiring within a day: nothing is saved to disk.
ensure_redis() {
    if redis_answers; then
        record Redis "$REDIS_HOST:$REDIS_PORT" "already up"; return
    fi
    require_loopback Redis "$REDIS_HOST" "$REDIS_PORT"
    local name; name=$(instance_name redis "$REDIS_PORT" 6379)
    start_detached "$name" redis-server --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no --daemonize no
    wait_until 30 Redis "var/log/$name.log" alive_and "$name" redis_answers
    record Redis "$REDIS_HOST:$REDIS_PORT" "started, pid $(cat "var/run/$name.pid")"
}

# --- SMTP mailbox --------------------------------------------------------------------------------

ensure_mailbox() {
    if tcp_answers "$SMTP_HOST" "$SMTP_PORT"; then
        record SMTP "$SMTP_HOST:$SMTP_PORT" "already up"; return
    fi
    require_loopback SMTP "$SMTP_HOST" "$SMTP_PORT"
    local name; name=$(instance_name mailbox "$SMTP_PORT" 1025)
    start_detached "$name" "$VENV/bin/python" deploy/mailbox.py \
        --host "$SMTP_HOST" --port "$SMTP_PORT" --dir "$NETRA_MAILBOX_DIR"
    wait_until 30 "the mailbox SMTP server" "var/log/$name.log" alive_and "$name" tcp_answers "$SMTP_HOST" "$SMTP_PORT"
    record SMTP "$SMTP_HOST:$SMTP_PORT" "started, pid $(cat "var/run/$name.pid")"
}

# The services' own MinIO users (never the root user): services.provision makes sure of them.
ensure_object_store_users() {
    "$VENV/bin/python" -m services.provision >>var/log/provision.log 2>&1 \
        || die "creating the object-store users failed; see var/log/provision.log"
}

# Built in the background beside the MinIO build when missing; the k8s tests need it.
KUSTOMIZE_BUILD_PID=
start_kustomize_build_if_needed() {
    command -v go >/dev/null || return 0
    [[ -x "$(go env GOPATH)/bin/kustomize" ]] && return 0
    say "building kustomize ($KUSTOMIZE_MODULE), log in var/log/kustomize-build.log"
    GOBIN="$(go env GOPATH)/bin" CGO_ENABLED=0 go install "$KUSTOMIZE_MODULE" >>var/log/kustomize-build.log 2>&1 &
    KUSTOMIZE_BUILD_PID=$!
}

finish_kustomize_build() {
    [[ -n $KUSTOMIZE_BUILD_PID ]] || return 0
    wait "$KUSTOMIZE_BUILD_PID" || die "building kustomize failed; see var/log/kustomize-build.log"
}

print_summary() {
    local line service address state
    printf '%-11s %-28s %s\n' service address state
    for line in "${SUMMARY[@]}"; do
        IFS='|' read -r service address state <<<"$line"
        printf '%-11s %-28s %s\n' "$service" "$address" "$state"
    done
    printf 'mail folder %s; S3 root %s, services use %s; logs var/log, pids var/run\n' \
        "$NETRA_MAILBOX_DIR" "$NETRA_S3_ROOT_USER" "$NETRA_S3_ACCESS_KEY"
}

# axe-core from the npm registry into a cache the browser tests inject into the page (var/ is not committed)
ensure_axe_core() {
    [[ -f $AXE_DIR/node_modules/axe-core/axe.min.js ]] && return 0
    command -v npm >/dev/null || ensure_debian_packages npm  # Debian's nodejs comes without npm
    say "fetching $AXE_CORE into $AXE_DIR"
    npm install --prefix "$AXE_DIR" --no-save --no-audit --no-fund --loglevel=error "$AXE_CORE" >&2
}

main() {
    local for_tests=false packages=("${DEBIAN_PACKAGES[@]}")
    case "${1:-}" in
        tests) for_tests=true packages+=("${TEST_PACKAGES[@]}") ;;
        venv) ensure_venv; return ;;
        "") ;;
        *) die "usage: $0 [tests|venv]" ;;
    esac
    mkdir -p var/log var/run "$NETRA_MAILBOX_DIR"
    start_minio_build_if_needed
    if $for_tests; then start_kustomize_build_if_needed; fi
    ensure_debian_packages "${packages[@]}"
    ensure_venv
    if $for_tests; then ensure_axe_core; fi
    ensure_postgres
    ensure_rabbitmq
    ensure_rabbitmq_prometheus
    ensure_minio
    ensure_mailbox
    ensure_redis
    ensure_object_store_users
    if $for_tests; then finish_kustomize_build; fi
    print_summary
}

main "$@"
