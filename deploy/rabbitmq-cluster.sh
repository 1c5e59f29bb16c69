#!/usr/bin/env bash
# A three-node RabbitMQ cluster on this machine, beside (never instead of) the default node on 5672:
#   deploy/rabbitmq-cluster.sh start    starts the nodes that are not running, joins them, prints NETRA_AMQP_URL
#   deploy/rabbitmq-cluster.sh stop     stops the three nodes (their data stays)
#   deploy/rabbitmq-cluster.sh status   the cluster as node -a sees it, and the address list
#   deploy/rabbitmq-cluster.sh urls     only the address list (comma-separated, for NETRA_AMQP_URL)
#   deploy/rabbitmq-cluster.sh pid N    the Erlang VM's pid of node N (a, b or c), e.g. to SIGKILL it
# Node names netra-a@localhost, netra-b@localhost, netra-c@localhost (prefix: NETRA_CLUSTER_NAME);
# AMQP ports NETRA_CLUSTER_PORT (5681) +0/+1/+2, distribution ports +20000, management ports +10000;
# data and logs under /var/tmp/netra/rabbitmq-cluster/<node> (NETRA_CLUSTER_DIR): outside the checkout, which
# may sit in a directory the rabbitmq user cannot enter (mktemp -d makes them 0700). The nodes run as Debian's
# rabbitmq user with the machine's Erlang cookie (/var/lib/rabbitmq/.erlang.cookie), like the default node.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/lib.sh

NAME=${NETRA_CLUSTER_NAME:-netra}
FIRST_PORT=${NETRA_CLUSTER_PORT:-5681}
BASE_DIR=$(realpath -m "${NETRA_CLUSTER_DIR:-/var/tmp/netra/rabbitmq-cluster}")
LETTERS=(a b c)
WAIT_SECONDS=${NETRA_INFRA_WAIT_SECONDS:-120}

node_name() { echo "$NAME-$1@localhost"; }
node_port() {
    local i
    for i in "${!LETTERS[@]}"; do
        if [[ ${LETTERS[$i]} == "$1" ]]; then echo $((FIRST_PORT + i)); return; fi
    done
    die "no node $1 (a, b or c)"
}
node_dir() { echo "$BASE_DIR/$NAME-$1"; }
as_rabbitmq() { if [[ $(id -u) == 0 ]]; then runuser -u rabbitmq -- "$@"; else "$@"; fi; }
ctl() { local letter=$1; shift; as_rabbitmq env HOME=/var/lib/rabbitmq rabbitmqctl -q -n "$(node_name "$letter")" "$@"; }
alive() { ctl "$1" await_startup --timeout 15 >/dev/null 2>&1; }
pid_of() { cat "$(node_dir "$1")/pid" 2>/dev/null; }
running_pid() { local pid; pid=$(pid_of "$1") && kill -0 "$pid" 2>/dev/null; }

urls() {
    local letter list=()
    for letter in "${LETTERS[@]}"; do list+=("amqp://guest:guest@127.0.0.1:$(node_port "$letter")/"); done
    (IFS=,; echo "${list[*]}")
}

write_config() {
    local letter=$1 dir port; dir=$(node_dir "$1") port=$(node_port "$1")
    mkdir -p "$dir/log" "$dir/mnesia"
    cat >"$dir/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$port
management.tcp.ip = 127.0.0.1
management.tcp.port = $((port + 10000))
loopback_users = none
cluster_partition_handling = pause_minority
EOF
    echo "[rabbitmq_management]." >"$dir/enabled_plugins"
    chown -R rabbitmq:rabbitmq "$dir" 2>/dev/null || true
}

start_node() {
    local letter=$1 dir port; dir=$(node_dir "$1") port=$(node_port "$1")
    if running_pid "$letter" && alive "$letter"; then say "$(node_name "$letter") already running"; return; fi
    write_config "$letter"
    say "starting $(node_name "$letter") on 127.0.0.1:$port (log: $dir/log)"
    as_rabbitmq env HOME=/var/lib/rabbitmq RABBITMQ_NODENAME="$(node_name "$letter")" \
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" RABBITMQ_DIST_PORT=$((port + 20000)) \
        RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
        RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/pid" \
        RABBITMQ_CONF_ENV_FILE=/dev/null RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
        setsid /usr/lib/rabbitmq/bin/rabbitmq-server >>"$dir/log/startup.log" 2>&1 </dev/null &
    LAUNCHED[$letter]=$!
}

# A node that boots while a peer is still booting may ask it for feature flags whose plugins that peer has not
# loaded yet; RabbitMQ 3.10 then stops it ({incompatible_feature_flags, ... badmap}). It is started again, up to
# twice: by then its peers are up.
declare -A LAUNCHED RELAUNCHES
up_or_relaunched() {
    local letter=$1 launcher=${LAUNCHED[$1]:-}
    alive "$letter" && return 0
    if [[ -n $launcher ]] && ! kill -0 "$launcher" 2>/dev/null && ((${RELAUNCHES[$letter]:-0} < 2)); then
        RELAUNCHES[$letter]=$((${RELAUNCHES[$letter]:-0} + 1))
        say "$(node_name "$letter") stopped while booting (see its startup.log); starting it again"
        start_node "$letter"
    fi
    return 1
}

in_cluster() { ctl "$1" cluster_status --formatter json | grep -q "\"$(node_name a)\""; }

join() {
    local letter=$1
    in_cluster "$letter" && return 0
    say "joining $(node_name "$letter") to $(node_name a)"
    ctl "$letter" stop_app
    ctl "$letter" reset
    ctl "$letter" join_cluster "$(node_name a)"
    ctl "$letter" start_app
}

start() {
    local letter
    [[ -r /var/lib/rabbitmq/.erlang.cookie ]] || die "no Erlang cookie in /var/lib/rabbitmq: install rabbitmq-server (deploy/infra.sh)"
    mkdir -p -m 755 "$BASE_DIR"
    as_rabbitmq test -x "$BASE_DIR" ||
        die "the rabbitmq user cannot enter $BASE_DIR: set NETRA_CLUSTER_DIR to a directory every parent of which it may enter"
    # All at once: a node of a stopped cluster waits at boot for the peers that stopped after it.
    for letter in "${LETTERS[@]}"; do start_node "$letter"; done
    for letter in "${LETTERS[@]}"; do
        wait_until "$WAIT_SECONDS" "$(node_name "$letter")" "$(node_dir "$letter")/log" up_or_relaunched "$letter"
    done
    for letter in "${LETTERS[@]:1}"; do join "$letter"; done
    status
}

stop() {
    local letter
    for letter in "${LETTERS[@]}"; do
        if running_pid "$letter"; then
            say "stopping $(node_name "$letter")"
            ctl "$letter" stop "$(node_dir "$letter")/pid" || kill "$(pid_of "$letter")" 2>/dev/null || true
        fi
    done
}

status() {
    local letter
    for letter in "${LETTERS[@]}"; do
        if running_pid "$letter"; then say "$(node_name "$letter") running, pid $(pid_of "$letter")"
        else say "$(node_name "$letter") not running"; fi
    done
    for letter in "${LETTERS[@]}"; do
        if running_pid "$letter"; then ctl "$letter" cluster_status >&2 || true; break; fi
    done
    echo "NETRA_AMQP_URL=$(urls)"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    urls) urls ;;
    pid) pid_of "${2:?which node: a, b or c}" ;;
    *) die "usage: $0 start|stop|status|urls|pid NODE" ;;
esac
