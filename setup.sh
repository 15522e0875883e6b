#!/usr/bin/env bash
# ftservices bootstrap.
#
#   ./setup.sh [SETUP OPTIONS]   install what is missing, start Docker, build the tool, deploy the stack
#                                (the options go to `ftservices setup`, e.g. --config FILE, --address IP)
#   ./setup.sh test              install what is missing, start Docker, run every test (unit, golden,
#                                Kubernetes manifests validated offline, checkov and hadolint on srcs/,
#                                end-to-end on the real engine with sslyze and ssh-audit against it)
#
# Runs as root on Debian 12 (apt-get, dockerd). Exit status: that of `ftservices setup` (0 ok, 3 deployed
# without Grafana because no Grafana package could be had), or 1 with a message naming what failed.
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$(pwd)
LOG_DIR=${FTSERVICES_LOG_DIR:-/var/log/ftservices}
mkdir -p "$LOG_DIR" 2>/dev/null || LOG_DIR=$(mktemp -d)

say() { printf '==> %s\n' "$*"; }
die() { printf 'setup.sh: %s\n' "$*" >&2; exit 1; }

MODE=setup
if [ "${1:-}" = "test" ]; then MODE=test; shift; fi

# --- packages -----------------------------------------------------------------------------------
# program or file → Debian package. Only what is missing is installed.
need=()
want() { # want PACKAGE TEST...
    local package=$1; shift
    if ! "$@" >/dev/null 2>&1; then need+=("$package"); fi
}
has() { command -v "$1"; }
want docker.io       has dockerd
want docker.io       has docker
want mmdebstrap      has mmdebstrap
want libcurl4-openssl-dev test -e /usr/include/x86_64-linux-gnu/curl/curl.h -o -e /usr/include/curl/curl.h
want libssl-dev      test -e /usr/include/openssl/evp.h   # libcrypto's SHA-256 for backup archives
want pkg-config      has pkg-config
want openssl         has openssl
want openssh-client  has ssh-keygen
want ca-certificates test -e /etc/ssl/certs/ca-certificates.crt
want iproute2        has ip
if [ "$MODE" = test ]; then
    want curl        has curl
    want python3     has python3
    want python3-venv python3 -c 'import ensurepip, venv'   # kubernetes-validate goes into a venv
fi

if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing packages (${need[*]}) and not root: run ./setup.sh as root, or install them with sudo apt-get install ${need[*]}"
    packages=$(printf '%s\n' "${need[@]}" | sort -u | tr '\n' ' ')
    say "installing ${packages}(log: $LOG_DIR/apt.log)"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get update >>"$LOG_DIR/apt.log" 2>&1; then
        die "apt-get update failed: check the network and /etc/apt/sources.list; log: $LOG_DIR/apt.log"
    fi
    for package in $packages; do
        if ! apt-get install -y --no-install-recommends "$package" >>"$LOG_DIR/apt.log" 2>&1; then
            die "installing the Debian package '$package' failed; the last lines of $LOG_DIR/apt.log say why:
$(tail -n 5 "$LOG_DIR/apt.log")"
        fi
    done
fi

# --- Swift ---------------------------------------------------------------------------------------
if ! command -v swift >/dev/null 2>&1; then
    for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        [ -x "$dir/swift" ] && export PATH="$dir:$PATH" && break
    done
fi
command -v swift >/dev/null 2>&1 || die "no Swift toolchain found (Swift 6.2 or newer is needed and is not a Debian 12 package): install it from https://www.swift.org/install/linux/ and put its usr/bin in PATH"

# --- Docker daemon -------------------------------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
    if docker info 2>&1 | grep -q 'permission denied'; then
        die "no permission on /var/run/docker.sock: run as root or add your user to the docker group (usermod -aG docker \$USER, then log in again)"
    fi
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        say "starting Docker (systemctl start docker)"
        systemctl start docker || true
    fi
    if ! docker info >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] || die "the Docker daemon is not running and only root can start it: sudo dockerd, or sudo ./setup.sh"
        say "starting the Docker daemon (log: $LOG_DIR/dockerd.log)"
        setsid nohup dockerd >>"$LOG_DIR/dockerd.log" 2>&1 < /dev/null &
        for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
        docker info >/dev/null 2>&1 || die "dockerd did not come up within 60 s; its log says:
$(tail -n 10 "$LOG_DIR/dockerd.log")"
    fi
fi

# --- build -------------------------------------------------------------------------------------
say "building ftservices (swift build -c release; the first build takes a few minutes)"
if ! swift build -c release --product ftservices >"$LOG_DIR/build.log" 2>&1; then
    die "swift build failed; the last lines of $LOG_DIR/build.log:
$(tail -n 20 "$LOG_DIR/build.log")"
fi
BIN="$ROOT/.build/release/ftservices"

if [ "$MODE" = setup ]; then
    exec "$BIN" setup "$@"
fi

# --- tests -------------------------------------------------------------------------------------
say "checking that srcs/ matches the templates (ftservices render --check)"
"$BIN" render --check

# The Kubernetes manifests are validated offline with kubernetes-validate (PyPI), kept in a virtual
# environment under .build/ (Debian's Python refuses a system-wide pip install).
KV_ENV="$ROOT/.build/kubernetes-validate"
scripts/pip-env.sh "$KV_ENV" "$LOG_DIR/pip.log" kubernetes-validate==1.37.0 || die "kubernetes-validate could not be installed (above)"
export FTSERVICES_KUBERNETES_VALIDATE="$KV_ENV/bin/kubernetes-validate"

# The auditors a reviewer brings. Static: checkov and hadolint on srcs/ (scripts/audit-static.sh installs them
# into .build/auditors, and shows each failing on a weakened copy). Live: sslyze and ssh-audit against the
# running stack (AuditLiveTests), from their own environment.
say "auditing srcs/ with checkov and hadolint (scripts/audit-static.sh)"
static_audit=0
scripts/audit-static.sh 2>&1 | tee "$LOG_DIR/audit-static.log" || static_audit=$?
AUDIT_ENV="$ROOT/.build/auditors-live"
scripts/pip-env.sh "$AUDIT_ENV" "$LOG_DIR/pip.log" sslyze==6.3.1 ssh-audit==3.9.0 || die "sslyze and ssh-audit could not be installed (above)"
export FTSERVICES_AUDITORS="$AUDIT_ENV/bin"

# Tests run one at a time (about 30 s for the unit suites): many of them wait synchronously for a real
# program (python servers, the ftservices binary, docker), which on 2 cores blocks Swift's cooperative
# threads and starves the timeouts other tests check. The end-to-end suite runs on its own for the same
# reason. (pipefail: a failing swift test fails its pipeline even though tee succeeds.)
export FTSERVICES_BINARY="$BIN"
# The suites that drive the real stack; they share one engine, so they run one after the other.
LIVE_SUITES='StackLifecycleTests|BackupScriptsLiveTests|BackupLiveTests|RollbackLiveTests|InterruptionLiveTests|VerifyLiveTests|CrashtestLiveTests|MonitoringLiveTests|AuditLiveTests|WordPressCacheLiveTests|EngineAPILiveTests'
STACK_SUITES='StackLifecycleTests|BackupScriptsLiveTests|BackupLiveTests|RollbackLiveTests|InterruptionLiveTests|VerifyLiveTests|CrashtestLiveTests|MonitoringLiveTests|AuditLiveTests|WordPressCacheLiveTests'
say "running the unit and golden tests (swift test; log: $LOG_DIR/test-unit.log)"
unit=0
swift test --no-parallel --skip "$LIVE_SUITES" "$@" 2>&1 | tee "$LOG_DIR/test-unit.log" || unit=$?

say "running the end-to-end tests on the real Docker engine (log: $LOG_DIR/test-e2e.log)"
e2e=0
FTSERVICES_E2E=1 swift test --no-parallel --filter "$STACK_SUITES" "$@" 2>&1 | tee "$LOG_DIR/test-e2e.log" || e2e=$?

# The Engine API client against the daemon needs the stack's runtime image and an active Swarm, which the
# stack suites have just made (on a fresh machine nothing else builds them).
say "running the Engine API tests on the real Docker engine (log: $LOG_DIR/test-engine-api.log)"
api=0
FTSERVICES_E2E=1 swift test --no-parallel --filter EngineAPILiveTests "$@" 2>&1 | tee "$LOG_DIR/test-engine-api.log" || api=$?

if [ "$unit" != 0 ] || [ "$e2e" != 0 ] || [ "$api" != 0 ] || [ "$static_audit" != 0 ]; then
    die "tests failed (unit and golden: exit $unit, end-to-end: exit $e2e, Engine API: exit $api, static audit: exit $static_audit); the logs are in $LOG_DIR"
fi
say "every test passed"
