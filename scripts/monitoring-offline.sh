#!/usr/bin/env bash
# Offline proof of the monitoring path, without Docker: InfluxDB 1.6 with the rendered [[collectd]]
# listener and collectd with the rendered agent config of the influxdb service, run as plain processes
# on this host; then every panel query of the influxdb dashboard (and the overview's influxdb queries)
# must return data, and points must keep arriving after influxd is killed and restarted.
#
#   scripts/monitoring-offline.sh        (root; installs collectd-core, influxdb, libyajl2 if missing)
#
# Adapted from srcs/ (and only this): ports and paths, so nothing collides with a running stack —
# InfluxDB HTTP on 127.0.0.1:18086, its collectd listener on 127.0.0.1:25827, data under a temporary
# directory; the agent sends to 127.0.0.1 instead of the service name "influxdb" and runs as nobody;
# its /debug/vars keys name the adapted bind addresses. Exit status 0 only when every query has data.
set -euo pipefail
cd "$(dirname "$0")/.."
HTTP=127.0.0.1:18086
UDP_PORT=25827
WORK=$(mktemp -d /tmp/ftservices-monitoring.XXXXXX)
chmod 0755 "$WORK"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

need=()
command -v collectd >/dev/null || [ -x /usr/sbin/collectd ] || need+=(collectd-core)
command -v influxd >/dev/null || need+=(influxdb)
[ -e /usr/lib/x86_64-linux-gnu/libyajl.so.2 ] || need+=(libyajl2)
if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
fi

# InfluxDB: the rendered config, ports and directories adapted.
sed -e "s|/var/lib/influxdb|$WORK/influxdb|g" \
    -e "s|^bind-address = \"127.0.0.1:8088\"|bind-address = \"127.0.0.1:18088\"|" \
    -e "s|^  bind-address = \":8086\"|  bind-address = \"$HTTP\"|" \
    -e "s|^  bind-address = \":25826\"|  bind-address = \"127.0.0.1:$UDP_PORT\"|" \
    srcs/influxdb/influxdb.conf > "$WORK/influxdb.conf"
influxd -config "$WORK/influxdb.conf" > "$WORK/influxd.log" 2>&1 &
PIDS+=($!); INFLUXD=$!
for _ in $(seq 1 100); do curl -fs "http://$HTTP/ping" && break; sleep 0.1; done

# What the entrypoint does: admin, database, retention.
ADMIN_PW=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
influx() { curl -sS -G "http://$HTTP/query" -K <(printf 'user = "admin:%s"\n' "$ADMIN_PW") --data-urlencode "db=ftservices" --data-urlencode "q=$1"; }
curl -sS -XPOST "http://$HTTP/query" --data-urlencode "q=CREATE USER admin WITH PASSWORD '$ADMIN_PW' WITH ALL PRIVILEGES" >/dev/null
influx 'CREATE DATABASE "ftservices"' >/dev/null
influx 'ALTER RETENTION POLICY "autogen" ON "ftservices" DURATION 7d SHARD DURATION 1d DEFAULT' >/dev/null

# The agent: runtime's collectd.conf + the influxdb service's file, addresses and paths adapted.
mkdir -p "$WORK/collectd/conf.d" && chown nobody "$WORK/collectd"
sed -e "s|<Server \"influxdb\" \"25826\">|<Server \"127.0.0.1\" \"$UDP_PORT\">|" \
    -e "s|/var/lib/collectd|$WORK/collectd|g" \
    -e "s|^Include \"/etc/collectd/collectd.conf.d/|Include \"$WORK/collectd/conf.d/|" \
    srcs/runtime/collectd.conf > "$WORK/collectd/collectd.conf"
sed -e "s|http://127.0.0.1:8086/|http://$HTTP/|" \
    -e "s|\"httpd::8086/|\"httpd:$HTTP/|g" \
    -e "s|\"collectd::25826/|\"collectd:127.0.0.1:$UDP_PORT/|" \
    srcs/influxdb/collectd-service.conf > "$WORK/collectd/conf.d/service.conf"
echo "== diff of the agent config against srcs/ (the only changes)"
diff srcs/runtime/collectd.conf "$WORK/collectd/collectd.conf" || true
diff srcs/influxdb/collectd-service.conf "$WORK/collectd/conf.d/service.conf" || true
/usr/sbin/collectd -t -C "$WORK/collectd/collectd.conf"
setpriv --reuid=nobody --regid=nogroup --clear-groups -- /usr/sbin/collectd -f -C "$WORK/collectd/collectd.conf" \
    > "$WORK/collectd.log" 2>&1 &
PIDS+=($!)

# Every query of the influxdb dashboard, and the overview's queries for host influxdb.
python3 - srcs/grafana/provisioning/dashboards/ftservices > "$WORK/queries.tsv" <<'EOF'
import json, sys, os
d = sys.argv[1]
for name in ("influxdb.json", "overview.json"):
    board = json.load(open(os.path.join(d, name)))
    for panel in board["panels"]:
        for t in panel["targets"]:
            q = t["query"]
            if "\"host\" = 'influxdb'" not in q:
                continue
            q = q.replace("$timeFilter", "time > now() - 5m").replace("$__interval", "10s")
            print(f"{board['uid']} / {panel['title']} / {t['refId']}\t{q}")
EOF

check_queries() {
    local failed=0 label query out
    while IFS=$'\t' read -r label query; do
        out=$(influx "$query")
        if python3 -c 'import json,sys; r=json.load(sys.stdin)["results"][0]; sys.exit(0 if any(v is not None for s in r.get("series",[]) for row in s["values"] for v in row[1:]) else 1)' <<<"$out"; then
            printf 'ok    %s  (%s series)\n' "$label" "$(grep -o '"name"' <<<"$out" | wc -l)"
        else
            printf 'EMPTY %s\n      %s\n      %s\n' "$label" "$query" "$out"; failed=1
        fi
    done < "$WORK/queries.tsv"
    return $failed
}

echo "== waiting 30 s for six agent intervals"
sleep 30
echo "== every panel query of the influxdb service"
status=0
check_queries || status=1

echo "== influxd killed (SIGKILL) and restarted: points must keep arriving"
before=$(influx 'SELECT count("value") FROM "processes" WHERE "host" = '"'influxdb'"' AND "type" = '"'ps_rss'"'' | grep -o '"count"\],"values":\[\["[^"]*",[0-9]*' | grep -o '[0-9]*$')
kill -KILL "$INFLUXD"; wait "$INFLUXD" 2>/dev/null || true
influxd -config "$WORK/influxdb.conf" >> "$WORK/influxd.log" 2>&1 &
PIDS+=($!); INFLUXD=$!
for _ in $(seq 1 100); do curl -fs "http://$HTTP/ping" && break; sleep 0.1; done
sleep 15
after=$(influx 'SELECT count("value") FROM "processes" WHERE "host" = '"'influxdb'"' AND "type" = '"'ps_rss'"'' | grep -o '"count"\],"values":\[\["[^"]*",[0-9]*' | grep -o '[0-9]*$')
echo "ps_rss points of host influxdb: $before before the crash, $after 15 s after the restart"
if [ "${after:-0}" -le "${before:-0}" ]; then echo "FAIL: no new points after the restart"; status=1; fi
check_queries || status=1

echo "== collectd log (warnings and errors)"
cat "$WORK/collectd.log"
echo "== series of host influxdb"
influx 'SHOW SERIES WHERE "host" = '"'influxdb'"'' | python3 -c 'import json,sys; [print(" ", v[0]) for s in json.load(sys.stdin)["results"][0].get("series",[]) for v in s["values"]]'
[ $status = 0 ] && echo "PASS: every panel query of the influxdb service returned data" || echo "FAIL"
exit $status
