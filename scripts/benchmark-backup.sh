#!/usr/bin/env bash
# The backup and restore figures of docs/BENCHMARKS.md (`scripts/benchmark.sh backup` runs this alone).
#
# Deploys the stack (images reused when built) with --address 127.0.0.1, fills it with 200 MB of WordPress
# uploads (40 files of 5 MB of random bytes: incompressible, as photos are) and 100 000 MariaDB rows, then:
#   - `ftservices backup`, 3 runs: wall time and archive size;
#   - `tar -cf` of the same four volumes straight from /var/lib/docker/volumes, 3 runs: the copy limit (one
#     sequential read of what the services hold, with no consistency at all);
#   - answer times while a backup runs, beside the same probes with nothing running: a WordPress page
#     rendered by PHP and MariaDB (a cookie skips the page cache) and nginx's static page on 443, each probed
#     every 0.1 s;
#   - `ftservices restore` of the archive, 3 runs: wall time in all (archive check, pre-restore backup,
#     restore, restarts, verify) and the restore steps alone, from its plain progress output.
# The page cache is skipped on purpose: a cached page costs no PHP and would hide the database's share.
#
# DESTRUCTIVE for a deployed stack's data: it ends with `ftservices down --volumes --no-backup`. Runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FTSERVICES_BINARY:-.build/release/ftservices}
ADDRESS=127.0.0.1
RUNS=${FTSERVICES_BENCH_RUNS:-3}
STATE=$(mktemp -d /tmp/ftservices-bench-backup.XXXXXX)
WORK=$(mktemp -d /var/tmp/ftservices-bench-backup-work.XXXXXX)
trap '"$BIN" down --volumes --no-backup --state-dir "$STATE" >/dev/null 2>&1 || true; rm -rf "$STATE" "$WORK"' EXIT
[ -x "$BIN" ] || swift build -c release --product ftservices >/dev/null

"$BIN" down --volumes --no-backup --state-dir "$STATE" >/dev/null 2>&1 || true
status=0
"$BIN" setup --address "$ADDRESS" --state-dir "$STATE" --progress quiet >/dev/null 2>&1 || status=$?
[ "$status" = 0 ] || [ "$status" = 3 ] || { echo "setup failed ($status)"; exit 1; }

container() { docker ps -q --filter "label=com.docker.swarm.service.name=ftservices_$1" | head -1; }
now() { date +%s.%N; }

echo "filling: 200 MB of uploads, 100 000 rows" >&2
docker exec "$(container wordpress)" sh -c '
    set -e; d=/var/lib/wordpress/wp-content/uploads/bench; mkdir -p "$d"
    for i in $(seq 1 40); do head -c 5000000 /dev/urandom > "$d/photo-$i.jpg"; done
    chown -R www-data:www-data "$d"'
docker exec "$(container mysql)" mariadb -e "
    CREATE DATABASE IF NOT EXISTS bench; USE bench;
    CREATE TABLE bench.rows (id INT PRIMARY KEY, body VARCHAR(200) NOT NULL) ENGINE=InnoDB;
    INSERT INTO bench.rows SELECT seq, CONCAT('row ', seq, ' ', REPEAT(MD5(seq), 3)) FROM seq_1_to_100000;"
rows=$(docker exec "$(container mysql)" mariadb -N -B -e "SELECT COUNT(*) FROM bench.rows")
[ "$rows" = 100000 ] || { echo "expected 100000 rows, found $rows"; exit 1; }

# probe NAME FILE: one line "<unix time> <seconds or fail>" per probe, every 0.1 s, until $WORK/stop exists.
cookie_jar="$WORK/cookie"
probe_loop() {
    local name=$1 out=$2 url args
    case $name in
        wordpress) url="https://$ADDRESS:5050/"; args=(-H "Cookie: ftservices_bench=1") ;;
        nginx) url="https://$ADDRESS/"; args=() ;;
    esac
    while [ ! -e "$WORK/stop" ]; do
        t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 5 --cacert "$STATE/ca/ca.crt" "${args[@]}" "$url" || true)
        echo "$(now) $t" >> "$out"
        sleep 0.1
    done
}
probe_during() {  # probe_during LABEL COMMAND...: runs COMMAND while probing both; files $WORK/LABEL.{wordpress,nginx}
    local label=$1; shift
    rm -f "$WORK/stop"; : > "$WORK/$label.wordpress"; : > "$WORK/$label.nginx"
    probe_loop wordpress "$WORK/$label.wordpress" & local p1=$!
    probe_loop nginx "$WORK/$label.nginx" & local p2=$!
    "$@"
    touch "$WORK/stop"; wait "$p1" "$p2" || true
}

echo "idle answer times (10 s)" >&2
probe_during idle sleep 10

backups=()
backup_times=()
for i in $(seq 1 "$RUNS"); do
    out="$WORK/backup-$i.tar"
    start=$(now)
    if [ "$i" = 1 ]; then
        probe_during backup "$BIN" backup --state-dir "$STATE" --output "$out" --progress quiet > "$WORK/backup-$i.out"
    else
        "$BIN" backup --state-dir "$STATE" --output "$out" --progress quiet > "$WORK/backup-$i.out"
    fi
    end=$(now)
    backup_times+=("$(awk "BEGIN { print $end - $start }")")
    backups+=("$out")
done
size=$(stat -c %s "${backups[0]}")

tar_times=()
vols=/var/lib/docker/volumes
for i in $(seq 1 "$RUNS"); do
    sync; start=$(now)
    tar -cf "$WORK/volumes-$i.tar" -C "$vols" ftservices_mysql_data ftservices_wordpress_uploads ftservices_ftps_data ftservices_influxdb_data
    end=$(now)
    tar_times+=("$(awk "BEGIN { print $end - $start }")")
done
tar_size=$(stat -c %s "$WORK/volumes-1.tar")
rm -f "$WORK"/volumes-*.tar

restore_times=()
restore_steps=()
for i in $(seq 1 "$RUNS"); do
    start=$(now)
    "$BIN" restore "${backups[0]}" --state-dir "$STATE" --progress plain > "$WORK/restore-$i.out" 2> "$WORK/restore-$i.err"
    end=$(now)
    restore_times+=("$(awk "BEGIN { print $end - $start }")")
    # The restore steps alone: the sum of "restored SERVICE in N s".
    restore_steps+=("$(grep -o 'restored [a-z]* in [0-9.]* s' "$WORK/restore-$i.err" | awk '{s += $4} END {printf "%.2f", s}')")
    rm -f "$STATE"/backups/ftservices-pre-restore-*.tar
done
rows=$(docker exec "$(container mysql)" mariadb -N -B -e "SELECT COUNT(*) FROM bench.rows")
files=$(docker exec "$(container wordpress)" sh -c 'ls /var/lib/wordpress/wp-content/uploads/bench | wc -l')
[ "$rows" = 100000 ] && [ "$files" = 40 ] || { echo "after restore: $rows rows, $files files"; exit 1; }

python3 - "$WORK" "$size" "$tar_size" "${backup_times[*]}" "${tar_times[*]}" "${restore_times[*]}" "${restore_steps[*]}" <<'PY'
import statistics, sys
work, size, tar_size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
backup, tar, restore, steps = ([float(x) for x in a.split()] for a in sys.argv[4:8])
def rng(values): return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"
print("| figure | value |\n|---|---|")
print(f"| `ftservices backup`, median of {len(backup)} | {rng(backup)}, archive {size/1e6:.0f} MB |")
print(f"| `tar -cf` of the 4 volumes, median of {len(tar)} | {rng(tar)}, {tar_size/1e6:.0f} MB |")
print(f"| backup ÷ tar | {statistics.median(backup)/statistics.median(tar):.2f}× |")
print(f"| `ftservices restore` in all, median of {len(restore)} | {rng(restore)} |")
print(f"| of which the restore steps | {rng(steps)} |")
def answers(label, name):
    rows = [line.split() for line in open(f"{work}/{label}.{name}")]
    ok = sorted(float(r[2]) * 1000 for r in rows if len(r) == 3 and r[1] == "200")
    failed = sum(1 for r in rows if len(r) != 3 or r[1] != "200")
    if not ok: return f"no answer ({failed} failed)"
    p = lambda q: ok[min(len(ok) - 1, int(q * len(ok)))]
    return f"median {statistics.median(ok):.0f} ms, p95 {p(0.95):.0f} ms, max {ok[-1]:.0f} ms ({len(ok)} probes, {failed} failed)"
for name, what in (("wordpress", "WordPress page (PHP + MariaDB, cache skipped)"), ("nginx", "nginx static page on 443")):
    print(f"| {what}, idle | {answers('idle', name)} |")
    print(f"| {what}, during a backup | {answers('backup', name)} |")
PY
