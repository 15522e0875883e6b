#!/usr/bin/env bash
# The rollback figures of docs/BENCHMARKS.md (`scripts/benchmark.sh rollback` runs this alone).
#
# Deploys the stack (images reused when built), then runs setup on a copy of the checkout with one template
# broken on purpose, twice: an nginx directive that does not parse (the new task exits at once) and an ftps
# healthcheck that never passes. While setup runs, the service's public port is probed from outside every
# 0.1 s, as verify would (HTTPS through nginx with the install's CA; the FTP greeting on 21). Prints per
# case: setup's wall time and exit status, the time from the update (the first failed probe, when the old
# container stopped) to the previous version answering again, and the longest unavailable stretch.
#
# DESTRUCTIVE for a deployed stack's data: it ends with `ftservices down --volumes`. Runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FTSERVICES_BINARY:-.build/release/ftservices}
ADDRESS=${FTSERVICES_ADDRESS:-127.0.0.1}
STATE=$(mktemp -d /tmp/ftservices-bench-rollback.XXXXXX)
WORK=$(mktemp -d /tmp/ftservices-bench-rollback-work.XXXXXX)
trap '"$BIN" down --volumes --no-backup --state-dir "$STATE" >/dev/null 2>&1 || true; rm -rf "$STATE" "$WORK"' EXIT
[ -x "$BIN" ] || swift build -c release --product ftservices >/dev/null

"$BIN" down --volumes --no-backup --state-dir "$STATE" >/dev/null 2>&1 || true
status=0
"$BIN" setup --address "$ADDRESS" --state-dir "$STATE" --progress quiet >/dev/null 2>&1 || status=$?
[ "$status" = 0 ] || [ "$status" = 3 ] || { echo "setup failed ($status)"; exit 1; }

probe_nginx() { curl -s -o /dev/null --max-time 1 --cacert "$STATE/ca/ca.crt" "https://$ADDRESS/" ; }
probe_ftps() { timeout 1 bash -c "exec 3<>/dev/tcp/$ADDRESS/21 && head -c 3 <&3" 2>/dev/null | grep -q 220; }

# case NAME SERVICE FILE EDIT-PYTHON
run_case() {
    local name=$1 service=$2 file=$3 edit=$4
    local copy="$WORK/$name"
    mkdir -p "$copy" && cp -a templates srcs "$copy/"
    python3 -c "import sys; p=sys.argv[1]; s=open(p).read(); open(p,'w').write($edit)" "$copy/$file"
    # Build first (same broken copy) is not possible without deploying: the build is part of setup's time.
    local log="$WORK/$name.probe" setuplog="$WORK/$name.setup"
    : > "$log"
    local start end rc=0
    start=$(date +%s.%N)
    "$BIN" setup --address "$ADDRESS" --state-dir "$STATE" --progress plain --project-dir "$copy" > "$setuplog" 2>&1 &
    local pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        if "probe_$service"; then echo "$(date +%s.%N) up" >> "$log"; else echo "$(date +%s.%N) down" >> "$log"; fi
        sleep 0.1
    done
    wait "$pid" || rc=$?
    end=$(date +%s.%N)
    grep -q "failed and was rolled back" "$setuplog" || { echo "$name: setup did not roll back (exit $rc), see:"; cat "$setuplog"; exit 1; }
    python3 - "$log" "$name" "$start" "$end" "$rc" <<'PY'
import sys
log, name, start, end, rc = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
rows = [(float(t), s) for t, s in (line.split() for line in open(log))]
downs = [t for t, s in rows if s == "down"]
# A stretch runs from the last "up" probe before a "down" to the first "up" after it: every moment between
# may have been unavailable (a probe takes up to 1 s, so counting probes would understate it).
stretches, current, previous = [], None, None
for t, s in rows:
    if s == "down" and current is None: current = previous if previous is not None else t
    if s == "up" and current is not None:
        stretches.append(t - current); current = None
    previous = t
back = next((t for t, s in rows if s == "up" and downs and t > downs[-1]), None)
print(f"{name}: setup exit {rc} after {end - start:.1f} s; "
      + (f"update (first failed probe) -> previous version answering: {back - downs[0]:.1f} s; "
         f"unavailable: {len(stretches)} stretch(es), longest {max(stretches):.1f} s, together {sum(stretches):.1f} s"
         if downs and back else "never unavailable"))
PY
}

run_case nginx-directive nginx templates/nginx/nginx.conf 's + "this_is_not_a_directive on;\n"'
run_case ftps-healthcheck ftps templates/ftps/healthcheck "s.replace('#!/bin/bash\n', '#!/bin/bash\necho benchmark: failing on purpose; exit 1\n', 1)"
