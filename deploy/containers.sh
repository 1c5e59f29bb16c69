#!/usr/bin/env bash
# The container test: docker-compose.yml and deploy/Dockerfile built and run for real, on this machine only.
#   deploy/containers.sh            prepare, run tests/containers, release
#   deploy/containers.sh prepare    a Docker engine (started here when none runs) and every image the stack needs
#   deploy/containers.sh release    stop the Docker engine, only if `prepare` started it
# Registries are not needed: when an image of docker-compose.yml cannot be had, it is made here from Debian's
# packages and Go sources and tagged netra-local/* (deploy/compose.local-images.yml points the stack at them;
# docs/deployment.md lists how they differ). Images that exist are kept, so a second run builds only what
# changed in Netra's own image. The engine runs with iptables off: containers reach each other on their
# network and the host's loopback through published ports (127.0.0.1 only), nothing else.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/lib.sh

# MinIO as deploy/infra.sh builds it; Mailpit's newest release the Go module proxy serves.
MINIO_MODULE=$(sed -n 's/^MINIO_MODULE=//p' deploy/infra.sh)
MAILPIT_MODULE=github.com/axllent/mailpit@v1.27.11
# mc answers the minio service's health check (`mc ready local`).
MC_MODULE=github.com/minio/mc@v0.0.0-20250313080218-cf909e1063a9
BASE_IMAGE=netra-local/debian:bookworm
DEBIAN_MIRROR=${NETRA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PACKAGES=(docker.io docker-compose debootstrap)
DOCKERD_PID=var/run/dockerd.pid  # present only while an engine this script started runs
DOCKERD_LOG=var/log/dockerd.log
BUILD_LOG=var/log/container-images.log
WORK=var/cache/container-images  # root filesystems and Go binaries on their way into images

as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }
# Debian's client (docker.io): its builder is the engine's own BuildKit, which `COPY --chmod` needs.
docker() { as_root /usr/bin/docker "$@"; }

ensure_packages() {
    local missing=() package
    for package in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
    ((${#missing[@]})) || return 0
    say "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# --- the engine ----------------------------------------------------------------------------------------

engine_answers() { docker info >/dev/null 2>&1; }

start_engine() {
    if engine_answers; then say "a Docker engine is already running; it is left as it is"; return; fi
    say "starting dockerd (iptables off), log in $DOCKERD_LOG"
    # containerd comes with the engine; dockerd starts its own when the system's is not running.
    as_root setsid nohup dockerd --iptables=false --ip-masq=false >>"$DOCKERD_LOG" 2>&1 </dev/null &
    wait_until 60 dockerd "$DOCKERD_LOG" engine_answers
    cp /var/run/docker.pid "$DOCKERD_PID"
}

stop_engine() {
    [[ -f $DOCKERD_PID ]] || return 0
    local pid; pid=$(cat "$DOCKERD_PID")
    say "stopping the dockerd this script started (pid $pid)"
    as_root kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 60))
    while as_root kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
    rm -f "$DOCKERD_PID"
}

# --- the images ----------------------------------------------------------------------------------------

# Each local image carries the hash of what made it (label netra.recipe): a changed recipe rebuilds it.
has_image() { [[ $(docker image inspect -f '{{ index .Config.Labels "netra.recipe" }}' "$1" 2>/dev/null) == "$2" ]]; }
build() { DOCKER_BUILDKIT=1 docker build --network host "$@" >>"$BUILD_LOG" 2>&1 || die "building failed; see $BUILD_LOG"; }

# A Debian bookworm root (debootstrap, variant minbase) imported as the base of every local image; services
# are not started while packages install (policy-rc.d), as in Debian's official images.
ensure_debian_base() {
    local recipe; recipe=$(echo "$DEBIAN_MIRROR minbase bookworm policy-rc.d" | sha256sum | cut -c1-16)
    has_image "$BASE_IMAGE" "$recipe" && return 0
    say "making $BASE_IMAGE with debootstrap ($DEBIAN_MIRROR), log in $BUILD_LOG"
    local root=$WORK/debian-root
    as_root rm -rf "$root"
    as_root debootstrap --variant=minbase bookworm "$root" "$DEBIAN_MIRROR" >>"$BUILD_LOG" 2>&1 \
        || die "debootstrap failed; see $BUILD_LOG"
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$root/usr/sbin/policy-rc.d" >/dev/null
    as_root chmod 0755 "$root/usr/sbin/policy-rc.d"
    as_root rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    as_root tar -C "$root" -c . \
        | docker import --change "LABEL netra.recipe=$recipe" --change 'CMD ["/bin/bash"]' - "$BASE_IMAGE" >/dev/null
    as_root rm -rf "$root"
}

# go_binary MODULE@VERSION: its path; built (static, no cgo) into a folder of that version unless there.
go_binary() {
    local name=${1%@*}; name=${name##*/}
    local folder=$WORK/go/${1//[\/@]/_}
    if [[ ! -x $folder/$name ]]; then
        say "building $name from Go sources ($1), log in $BUILD_LOG"
        GOBIN="$PWD/$folder" CGO_ENABLED=0 go install "$1" >>"$BUILD_LOG" 2>&1 || die "building $name failed; see $BUILD_LOG"
    fi
    echo "$folder/$name"
}

# recipe IMAGE DOCKERFILE WHAT FILE...: a hash of them; the Go binaries count by their versions, in WHAT.
recipe() {
    local image=$1 dockerfile=$2 what=$3; shift 3
    { echo "$image $what"; find "$dockerfile" "$@" -type f -not -path "$WORK/go/*" -print0 | sort -z | xargs -0 cat; } \
        | sha256sum | cut -c1-16
}

# go_image IMAGE RECIPE MODULE...: local_image with the binaries of MODULEs, built only when IMAGE is missing.
go_image() {
    local image=$1 name=$2; shift 2
    has_image "$image" "$(recipe "$image" "deploy/local-images/$name.Dockerfile" "$*")" && return 0
    local module binaries=()
    for module in "$@"; do binaries+=("$(go_binary "$module")"); done
    local_image "$image" "$name" "$*" "${binaries[@]}"
}

# local_image IMAGE RECIPE WHAT [FILE...]: deploy/local-images/RECIPE.Dockerfile built with the FILEs beside
# it, unless an image of the same Dockerfile, FILEs and WHAT (e.g. the Go module versions) is there.
local_image() {
    local image=$1 dockerfile=deploy/local-images/$2.Dockerfile what=$3; shift 3
    local recipe; recipe=$(recipe "$image" "$dockerfile" "$what" "$@")
    has_image "$image" "$recipe" && return 0
    say "building $image"
    local context=$WORK/context
    rm -rf "$context" && mkdir -p "$context"
    cp "$dockerfile" "$context/Dockerfile"
    (($#)) && cp -r "$@" "$context/"
    build --build-arg "BASE=$BASE_IMAGE" --label "netra.recipe=$recipe" -t "$image" "$context"
    rm -rf "$context"
}

# The build machine's own CA certificates: behind a TLS-inspecting egress pip trusts PyPI only with them.
machine_ca() {
    rm -rf "$WORK/ca" && mkdir -p "$WORK/ca"
    find /usr/local/share/ca-certificates -name '*.crt' -exec cp {} "$WORK/ca/" \; 2>/dev/null || true
    echo "$WORK/ca"
}

ensure_local_images() {
    ensure_debian_base
    local_image netra-local/python:3.11 python "" "$(machine_ca)"
    local_image netra-local/rabbitmq:3.10 rabbitmq ""
    local_image netra-local/postgres:15 postgres "" deploy/local-images/postgres-entrypoint.sh
    local_image netra-local/redis:7.0 redis ""
    go_image netra-local/minio:local minio "$MINIO_MODULE" "$MC_MODULE"
    go_image netra-local/mailpit:local mailpit "$MAILPIT_MODULE"
}

# Netra's own image from deploy/Dockerfile, on the local Python when python:3.11-slim cannot be pulled;
# Docker's layer cache makes a rebuild with unchanged code and lock take seconds.
ensure_netra_image() {
    say "building netra:latest (deploy/Dockerfile), log in $BUILD_LOG"
    build --build-arg PYTHON_IMAGE=netra-local/python:3.11 -f deploy/Dockerfile -t netra:latest .
}

prepare() {
    mkdir -p var/log var/run "$WORK"
    ensure_packages
    start_engine
    ensure_local_images
    ensure_netra_image
}

main() {
    case "${1:-test}" in
        prepare) prepare ;;
        release) stop_engine ;;
        test)
            [[ -x .venv/bin/pytest ]] || bash deploy/infra.sh  # the test environment (.venv)
            prepare
            local status=0
            .venv/bin/pytest -q -p no:cacheprovider tests/containers || status=$?
            stop_engine
            exit "$status" ;;
        *) die "usage: $0 [test|prepare|release]" ;;
    esac
}

main "$@"
