{{% CONTENT_TYPE: TEXT}}
# ftservices PID 1 supervisor, sourced by every image's entrypoint (bash).
#
#   . /usr/local/lib/ftservices/init.sh
#   fts_start nginx nginx -g 'daemon off;'
#   fts_start php-fpm php-fpm8.2 --nodaemonize
#   fts_supervise
#
# fts_supervise returns never: it waits until ANY background job of the entrypoint exits (so a
# helper started with `cmd &` must be `disown`ed), then stops the others and exits non-zero so the
# orchestrator restarts the container. SIGTERM/SIGINT
# stop every process and exit 0 quickly (Swarm's stop_grace_period is never needed).

FTS_PIDS=()
FTS_NAMES=()

# A read-only root gets /tmp as a tmpfs mount, which starts root-owned 0755: give it /tmp's usual mode
# (on a writable root it already has it; where /tmp is not writable at all this changes nothing).
chmod 1777 /tmp 2>/dev/null || true

fts_log() { printf 'ftservices-init: %s\n' "$*" >&2; }

# fts_start NAME COMMAND [ARGS...]: start COMMAND in the background, watched by fts_supervise.
fts_start() {
    local name=$1; shift
    "$@" &
    FTS_PIDS+=("$!")
    FTS_NAMES+=("$name")
    fts_log "started $name (pid $!)"
}

# fts_stop_all SIGNAL: send SIGNAL to every watched process, wait up to 5 s, then SIGKILL.
fts_stop_all() {
    local pid
    for pid in "${FTS_PIDS[@]}"; do kill "-$1" "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 50); do
        local alive=0
        for pid in "${FTS_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && return 0
        sleep 0.1
    done
    for pid in "${FTS_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}

fts_on_term() {
    fts_log "received SIGTERM: stopping ${FTS_NAMES[*]:-nothing started yet}"
    fts_stop_all TERM
    exit 0
}

# Installed as soon as this file is sourced, so a SIGTERM during the entrypoint's preparation (before
# fts_supervise) also stops the container at once instead of waiting for the stop grace period.
trap fts_on_term TERM INT

fts_supervise() {
    local status=0 i
    wait -n || status=$?
    for i in "${!FTS_PIDS[@]}"; do
        if ! kill -0 "${FTS_PIDS[$i]}" 2>/dev/null; then
            fts_log "${FTS_NAMES[$i]} (pid ${FTS_PIDS[$i]}) exited with status $status: stopping the container"
        fi
    done
    fts_stop_all TERM
    exit 1
}
