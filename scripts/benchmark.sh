#!/usr/bin/env bash
# Measures what docs/BENCHMARKS.md reports and rewrites its figures section.
#
#   scripts/benchmark.sh [--keep-images]
#   scripts/benchmark.sh --load-only      only the serving figures: deploy (images kept), load, remove
#   scripts/benchmark.sh rollback      only the rollback section (scripts/benchmark-rollback.sh)
#   scripts/benchmark.sh backup        only the backup and restore section (scripts/benchmark-backup.sh)
#
# cold setup:  every ftservices image, volume and the stack removed, then `ftservices setup`
#              (with --keep-images the base image and the build cache stay: a "cold deploy")
# warm no-op:  `ftservices setup` again with nothing changed (median of 5)
# image sizes: all ftservices images together as `docker save` writes them (shared layers once)
# idle memory: the sum of the stack's containers' memory after 60 s idle (docker stats)
# verify:      `ftservices verify` and `ftservices verify ports` on the healthy stack, wall time of the
#              whole command (process start included), median of 5 each
# serving:     scripts/benchmark-load.sh with wrk: nginx's static page, WordPress's front page anonymous
#              (page cache) and logged in, on the same stack; the ratio anonymous / static
# crashtest:   10 SIGKILLs of each service's main process in a row (kill -> answering again, median and
#              max, first three against last three), one forced update and one engine restart of the
#              whole stack; and nginx with Swarm's default restart delay (5 s) for comparison
#
# DESTRUCTIVE for a deployed stack's data: it runs `ftservices down --volumes`. Runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."
# rollback:    a bad nginx template and a never-passing ftps healthcheck: update -> previous version
#              answering again, and how long the service was unavailable from outside (runnable alone)
[ "${1:-}" = rollback ] && exec scripts/benchmark-rollback.sh
# backup:      200 MB of uploads and 100 000 rows: backup and restore time beside tar of the same volumes,
#              and answer times during a backup (runnable alone)
[ "${1:-}" = backup ] && exec scripts/benchmark-backup.sh
BIN=${FTSERVICES_BINARY:-.build/release/ftservices}
ADDRESS=${FTSERVICES_ADDRESS:-127.0.0.1}
STATE=$(mktemp -d /tmp/ftservices-bench.XXXXXX)
trap 'rm -rf "$STATE"' EXIT
[ -x "$BIN" ] || swift build -c release --product ftservices >/dev/null
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }
secs2() { python3 -c "print(f'{$2 - $1:.2f}')"; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

# write_block NAME FILE: FILE between docs/BENCHMARKS.md's markers <!-- NAME:begin --> and <!-- NAME:end -->.
write_block() {
    python3 - "$1" "$2" <<'PY'
import re, sys
name, path = sys.argv[1], sys.argv[2]
doc = open("docs/BENCHMARKS.md").read()
start, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
if start not in doc or end not in doc:
    sys.exit(f"docs/BENCHMARKS.md has no {start} ... {end} block: the figures are only printed")
block = open(path).read()
doc = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: start + "\n" + block + end, doc, flags=re.S)
open("docs/BENCHMARKS.md", "w").write(doc)
PY
}

# serving figures of the deployed stack, written to /tmp/ftservices-bench-load.md with their date.
measure_load() {
    {
        echo "<!-- load: written by scripts/benchmark.sh on $(date -u +%Y-%m-%d) -->"
        scripts/benchmark-load.sh "$STATE" "$ADDRESS"
    } > /tmp/ftservices-bench-load.md
}

"$BIN" down --volumes --no-backup --state-dir "$STATE" >/dev/null 2>&1 || true
if [ "${1:-}" = "--load-only" ]; then
    echo "setup (images kept)..."
    status=0
    "$BIN" setup --address "$ADDRESS" --state-dir "$STATE" --progress plain > /tmp/ftservices-bench-setup.log 2>&1 || status=$?
    [ "$status" = 0 ] || [ "$status" = 3 ] || { echo "setup failed ($status), see /tmp/ftservices-bench-setup.log"; exit 1; }
    load_status=0
    measure_load || load_status=$?
    "$BIN" down --volumes --no-backup --state-dir "$STATE" >/dev/null 2>&1 || true
    [ "$load_status" = 0 ] || { echo "the load measurement failed ($load_status)"; exit 1; }
    write_block load /tmp/ftservices-bench-load.md || true
    cat /tmp/ftservices-bench-load.md
    exit 0
fi
if [ "${1:-}" != "--keep-images" ]; then
    # Children first: an image with dependent images cannot be removed, so repeat until none is left
    # (dangling images built on ours, e.g. by hand, are pruned too).
    for _ in 1 2 3 4 5; do
        docker image prune -f >/dev/null 2>&1 || true
        ids=$(docker image ls -q 'ftservices/*' | sort -u)
        [ -z "$ids" ] && break
        echo "$ids" | xargs -r docker image rm -f >/dev/null 2>&1 || true
    done
    [ -z "$(docker image ls -q 'ftservices/*')" ] || { echo "could not remove every ftservices image"; exit 1; }
    docker builder prune -af >/dev/null 2>&1 || true
fi

echo "cold setup..."
t0=$(now)
status=0
"$BIN" setup --address "$ADDRESS" --state-dir "$STATE" --progress plain > /tmp/ftservices-bench-cold.log 2>&1 || status=$?
t1=$(now)
cold=$(secs "$t0" "$t1")
[ "$status" = 0 ] || [ "$status" = 3 ] || { echo "cold setup failed ($status), see /tmp/ftservices-bench-cold.log"; exit 1; }

echo "warm no-op setup x5..."
warm=()
for _ in 1 2 3 4 5; do
    t0=$(now)
    "$BIN" setup --address "$ADDRESS" --state-dir "$STATE" --progress quiet >/dev/null 2>&1 || true
    t1=$(now)
    warm+=("$(secs "$t0" "$t1")")
done
warm_median=$(median "${warm[@]}")

echo "verify x5, verify ports x5..."
verify_all=(); verify_ports=()
for _ in 1 2 3 4 5; do
    t0=$(now); "$BIN" verify --state-dir "$STATE" > /tmp/ftservices-bench-verify.log 2>&1 || true; t1=$(now)
    verify_all+=("$(secs2 "$t0" "$t1")")
    t0=$(now); "$BIN" verify ports --state-dir "$STATE" > /tmp/ftservices-bench-verify-ports.log 2>&1 || true; t1=$(now)
    verify_ports+=("$(secs2 "$t0" "$t1")")
done
verify_all_median=$(median "${verify_all[@]}")
verify_ports_median=$(median "${verify_ports[@]}")
verify_summary=$(tail -n 1 /tmp/ftservices-bench-verify.log)

echo "serving: wrk on nginx, WordPress anonymous and logged in..."
measure_load

echo "image sizes..."
sizes=$(docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' 'ftservices/*' | grep -v ':[0-9a-f]\{12\}' | sort)
# `docker save` writes each distinct layer once: its byte count is the images' real size together.
total_bytes=$(docker save $(docker image ls --format '{{.Repository}}:{{.Tag}}' 'ftservices/*' | grep ':local$') | wc -c)
total_mb=$(python3 -c "print(f'{$total_bytes/1e6:.0f}')")

echo "idle memory and CPU (60 s)..."
# The whole machine's CPU over the idle minute (/proc/stat): the stack's daemons, their agents and the
# engine running the healthchecks (mysql and influxdb are probed every second, the rest every 3 s).
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
read -r busy0 total0 < <(cpu_busy)
sleep 60
read -r busy1 total1 < <(cpu_busy)
idle_cpu=$(python3 -c "print(f'{100 * ($busy1 - $busy0) / ($total1 - $total0) * $(nproc):.1f}')")
memory=$(docker stats --no-stream --format '{{.Name}}\t{{.MemUsage}}' | grep '^ftservices_' | sort)
memory_mib=$(printf '%s\n' "$memory" | python3 -c "
import sys
units = {'B': 1/2**20, 'KiB': 1/1024, 'MiB': 1, 'GiB': 1024}
total = 0
for line in sys.stdin:
    used = line.split('\t')[1].split('/')[0].strip()
    for u in sorted(units, key=len, reverse=True):
        if used.endswith(u):
            total += float(used[:-len(u)]) * units[u]; break
print(f'{total:.0f}')")

echo "crashtest: 10 kills per service (several minutes)..."
"$BIN" crashtest all --repeat 10 --json --state-dir "$STATE" > /tmp/ftservices-bench-crash.json 2>/tmp/ftservices-bench-crash.log || true
echo "crashtest: forced update of every service..."
"$BIN" crashtest all --mode redeploy --json --state-dir "$STATE" > /tmp/ftservices-bench-redeploy.json 2>>/tmp/ftservices-bench-crash.log || true
echo "crashtest: Docker daemon restarted under the stack..."
"$BIN" crashtest all --mode engine --deadline 180s --json --state-dir "$STATE" > /tmp/ftservices-bench-engine.json 2>>/tmp/ftservices-bench-crash.log || true
echo "crashtest: nginx with Swarm's default restart delay (5 s), 3 kills..."
docker service update --quiet --restart-delay 5s ftservices_nginx >/dev/null
"$BIN" crashtest nginx --repeat 3 --json --state-dir "$STATE" > /tmp/ftservices-bench-swarm-default.json 2>>/tmp/ftservices-bench-crash.log || true
"$BIN" setup --address "$ADDRESS" --state-dir "$STATE" --progress quiet >/dev/null 2>&1 || true
crash_table=$(python3 - <<'PY'
import json, statistics
def load(path):
    try:
        return json.load(open(path))
    except Exception:
        return {"runs": [], "skipped": []}
kill, redeploy, engine, default = (load(f"/tmp/ftservices-bench-{n}.json") for n in ("crash", "redeploy", "engine", "swarm-default"))
target = {"nginx": 2000, "wordpress": 2000, "phpmyadmin": 2000, "ftps": 2000, "mysql": 2500, "influxdb": 2500, "grafana": 5000}
def ms(v):
    return "-" if v is None else (f"{v:.0f} ms" if v < 1000 else f"{v/1000:.2f} s")
def one(runs, service):
    run = next((r for r in runs if r["service"] == service), None)
    return ms(run.get("answeringMs")) if run else "-"
print("| service | target kill → answering | kill → answering, median (max) of 10 | first 3 / last 3 (mean) | kill → healthy, median | canaries lost | failed runs | forced update → answering | engine restart → answering |")
print("|---|---|---|---|---|---|---|---|---|")
services = []
for r in kill["runs"]:
    if r["service"] not in services:
        services.append(r["service"])
for s in services:
    runs = [r for r in kill["runs"] if r["service"] == s]
    answering = [r["answeringMs"] for r in runs if r.get("answeringMs") is not None]
    healthy = [r["healthyMs"] for r in runs if r.get("healthyMs") is not None]
    lost = sum(1 for r in runs if r["canary"]["state"] == "lost")
    failed = sum(1 for r in runs if r["problems"])
    trend = f"{ms(statistics.mean(answering[:3]))} / {ms(statistics.mean(answering[-3:]))}" if len(answering) >= 6 else "-"
    med = f"{ms(statistics.median(answering))} ({ms(max(answering))})" if answering else "-"
    print(f"| {s} | ≤ {ms(target[s])} | {med} | {trend} | {ms(statistics.median(healthy)) if healthy else '-'} | {lost} | {failed} of {len(runs)} | {one(redeploy['runs'], s)} | {one(engine['runs'], s)} |")
lost_all = sum(1 for d in (kill, redeploy, engine) for r in d["runs"] if r["canary"]["state"] == "lost")
print()
print(f"Canaries lost in any mode: {lost_all}. Skipped: {', '.join(s['service'] + ' (' + s['reason'] + ')' for s in kill['skipped']) or 'none'}.")
d = [r.get("answeringMs") for r in default["runs"] if r.get("answeringMs") is not None]
r0 = [r.get("runningMs") for r in default["runs"] if r.get("runningMs") is not None]
if d:
    print(f"nginx with Swarm's default restart delay (5 s), 3 kills: new container running after {ms(statistics.median(r0))}, answering after {ms(statistics.median(d))} (median), against the ≤ 2 s target met with `delay: 0s`.")
PY
)

"$BIN" down --volumes --no-backup --state-dir "$STATE" >/dev/null 2>&1 || true

machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), Docker $(docker version --format '{{.Server.Version}}')"
{
    echo "<!-- figures: written by scripts/benchmark.sh on $(date -u +%Y-%m-%d) -->"
    echo "Measured on: $machine; setup exit status $status$([ "$status" = 3 ] && echo ' (Grafana not installable here, so not built or deployed)')."
    echo
    echo "| figure | target | measured |"
    echo "|---|---|---|"
    echo "| cold setup$([ "${1:-}" = --keep-images ] && echo ' (base image kept)') | ≤ 240 s | ${cold} s |"
    echo "| warm no-op setup (median of 5: ${warm[*]}) | ≤ 3 s | ${warm_median} s |"
    echo "| all images together (unique layers) | ≤ 1200 MB | ${total_mb} MB |"
    echo "| idle stack memory (after 60 s) | ≤ 1024 MiB | ${memory_mib} MiB |"
    echo "| idle machine CPU over that minute (% of one core; the stack, its agents, the healthchecks) | - | ${idle_cpu} % |"
    echo "| \`verify\` on the healthy stack (median of 5: ${verify_all[*]}) | ≤ 2 s | ${verify_all_median} s |"
    echo "| \`verify ports\` (median of 5: ${verify_ports[*]}) | ≤ 0.5 s | ${verify_ports_median} s |"
    echo
    echo "Last \`verify\` run: ${verify_summary}$([ "$status" = 3 ] && echo ' (the Grafana checks fail: Grafana is not deployed here)')."
    echo
    echo "Crash tests (\`ftservices crashtest\`; times after the SIGKILL, the forced update or the daemon's stop request):"
    echo
    echo "$crash_table"
    echo
    echo "Per image (docker image ls, shared layers counted in each):"
    echo '```'
    echo "$sizes"
    echo '```'
    echo "Per container, idle:"
    echo '```'
    echo "$memory"
    echo '```'
} > /tmp/ftservices-bench-figures.md
write_block figures /tmp/ftservices-bench-figures.md
write_block load /tmp/ftservices-bench-load.md
cat /tmp/ftservices-bench-figures.md /tmp/ftservices-bench-load.md
