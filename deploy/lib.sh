# shellcheck shell=bash disable=SC2034  # the *_HOST/*_PORT names are for the scripts that source this
# Sourced by the deploy scripts (infra.sh, run-local.sh, test.sh): the addresses of the loopback servers,
# read from the same NETRA_* variables the services read, with the same defaults, and split into the
# host and port each script checks; and the helpers that start and wait for background processes.
# Sourcing it changes nothing on the machine.

NETRA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# CI runs with a bare environment: find the tools where Debian and the Go tarball put them.
export HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
export PATH="$PATH:/usr/local/go/bin:/usr/sbin:/sbin"

export NETRA_AMQP_URL="${NETRA_AMQP_URL:-amqp://guest:guest@127.0.0.1:5672/}"
export NETRA_S3_ENDPOINT="${NETRA_S3_ENDPOINT:-http://127.0.0.1:9000}"
# MinIO's root user is for infra.sh and services.provision only; the services use their own user.
export NETRA_S3_ROOT_USER="${NETRA_S3_ROOT_USER:-netra-dev}"
export NETRA_S3_ROOT_PASSWORD="${NETRA_S3_ROOT_PASSWORD:-netra-dev-secret}"
export NETRA_S3_ACCESS_KEY="${NETRA_S3_ACCESS_KEY:-netra-app}"
export NETRA_S3_SECRET_KEY="${NETRA_S3_SECRET_KEY:-netra-app-secret}"
export NETRA_S3_INTAKE_ACCESS_KEY="${NETRA_S3_INTAKE_ACCESS_KEY:-netra-intake}"  # puts originals only, for intake
export NETRA_S3_INTAKE_SECRET_KEY="${NETRA_S3_INTAKE_SECRET_KEY:-netra-intake-secret}"
export NETRA_S3_READER_ACCESS_KEY="${NETRA_S3_READER_ACCESS_KEY:-netra-reader}"  # read-only, for the desk
export NETRA_S3_READER_SECRET_KEY="${NETRA_S3_READER_SECRET_KEY:-netra-reader-secret}"
# puts the PPK's decrees and BAPs only, for the desk (its NETRA_DOCUMENTS_ACCESS_KEY)
export NETRA_S3_DOCUMENTS_ACCESS_KEY="${NETRA_S3_DOCUMENTS_ACCESS_KEY:-netra-documents}"
export NETRA_S3_DOCUMENTS_SECRET_KEY="${NETRA_S3_DOCUMENTS_SECRET_KEY:-netra-documents-secret}"
export NETRA_SMTP_HOST="${NETRA_SMTP_HOST:-127.0.0.1}"
export NETRA_SMTP_PORT="${NETRA_SMTP_PORT:-1025}"
# The shared store of the abuse-limit counters (Redis), read by intake and the desk.
export NETRA_RATE_LIMIT_STORAGE_URL="${NETRA_RATE_LIMIT_STORAGE_URL:-redis://127.0.0.1:6379/0}"
# A superuser, for infra.sh and the tests' throwaway databases only.
export NETRA_TEST_PG_URL="${NETRA_TEST_PG_URL:-postgresql://netra:netra@127.0.0.1:5432/postgres}"
# The local run's database roles (deploy/postgres-roles.sql; each one's password is its name, on loopback
# only): the owner migrates, the services sign in as the service role.
PG_OWNER=netra_owner
PG_SERVICE_ROLE=netra_app

# url_host URL / url_port URL DEFAULT_PORT: the parts of scheme://[user:pass@]host[:port][/path].
url_authority() { local rest=${1#*://}; rest=${rest%%/*}; echo "${rest##*@}"; }
url_host() { local hostport; hostport=$(url_authority "$1"); echo "${hostport%%:*}"; }
url_port() {
    local hostport; hostport=$(url_authority "$1")
    if [[ $hostport == *:* ]]; then echo "${hostport##*:}"; else echo "$2"; fi
}

AMQP_HOST=$(url_host "$NETRA_AMQP_URL");    AMQP_PORT=$(url_port "$NETRA_AMQP_URL" 5672)
S3_HOST=$(url_host "$NETRA_S3_ENDPOINT");   S3_PORT=$(url_port "$NETRA_S3_ENDPOINT" 80)
PG_HOST=$(url_host "$NETRA_TEST_PG_URL");   PG_PORT=$(url_port "$NETRA_TEST_PG_URL" 5432)
REDIS_HOST=$(url_host "$NETRA_RATE_LIMIT_STORAGE_URL"); REDIS_PORT=$(url_port "$NETRA_RATE_LIMIT_STORAGE_URL" 6379)
SMTP_HOST=$NETRA_SMTP_HOST;                 SMTP_PORT=$NETRA_SMTP_PORT
# One mail folder per SMTP port for the whole machine (as deploy/mailbox.py defaults to): a mailbox
# another checkout started is read in the same place.
export NETRA_MAILBOX_DIR="${NETRA_MAILBOX_DIR:-/var/tmp/netra/mail-$SMTP_PORT}"

# A RabbitMQ on a port other than the default is a second node beside Debian's; rabbitmqctl (used by
# infra.sh and the test fixtures) must be told its name.
if [[ $AMQP_PORT != 5672 ]]; then
    export RABBITMQ_NODENAME="${RABBITMQ_NODENAME:-netra$AMQP_PORT@localhost}"
fi

# instance_name BASE PORT DEFAULT_PORT: "minio" on the default port, "minio-19000" on another, so a
# second instance gets its own log, pid file and data folder.
instance_name() { if [[ $2 == "$3" ]]; then echo "$1"; else echo "$1-$2"; fi; }

say() { printf '%s: %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# wait_until SECONDS WHAT LOG COMMAND...: polls COMMAND until it succeeds, or fails naming the log.
wait_until() {
    local limit=$1 what=$2 log=$3; shift 3
    local deadline=$((SECONDS + limit))
    until "$@"; do
        ((SECONDS < deadline)) || die "$what did not come up within ${limit}s; see $log"
        sleep 0.5
    done
}

# start_detached NAME COMMAND...: runs COMMAND in its own session with nohup, so it outlives the script
# and the terminal; output goes to var/log/NAME.log, the pid (also its process group) to var/run/NAME.pid.
start_detached() {
    local name=$1; shift
    setsid nohup "$@" >>"var/log/$name.log" 2>&1 </dev/null &
    echo $! >"var/run/$name.pid"
}

# running NAME: the process in var/run/NAME.pid is alive.
running() { [[ -f var/run/$1.pid ]] && kill -0 "$(cat "var/run/$1.pid")" 2>/dev/null; }

# alive_and NAME COMMAND...: COMMAND succeeds; fails at once, naming the log, if NAME has died.
alive_and() {
    local name=$1; shift
    running "$name" || die "$name exited at start; see var/log/$name.log"
    "$@"
}
