#!/usr/bin/env bash
# The serving figures of docs/BENCHMARKS.md, on a deployed stack, in one run: nginx's static page,
# WordPress's front page anonymous (the page cache) and logged in (a real login cookie: PHP and the
# database every time). Prints a Markdown block; scripts/benchmark.sh writes it into the document.
#
#   scripts/benchmark-load.sh STATE_DIR [ADDRESS]
#
# STATE_DIR is the deployed stack's state directory (its CA and the WordPress administrator's
# password come from it). wrk (Debian package) is installed when missing. Each target: a 2 s warm-up,
# then FTSERVICES_LOAD_DURATION (8s) with FTSERVICES_LOAD_CONNECTIONS (16) keep-alive connections on
# 2 threads, over TLS. Only ADDRESS (127.0.0.1 by default) is ever sent a request.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: scripts/benchmark-load.sh STATE_DIR [ADDRESS]" >&2; exit 64; }
STATE=$1
ADDRESS=${2:-127.0.0.1}
BIN=${FTSERVICES_BINARY:-.build/release/ftservices}
DURATION=${FTSERVICES_LOAD_DURATION:-8s}
CONNECTIONS=${FTSERVICES_LOAD_CONNECTIONS:-16}
CA="$STATE/ca/ca.crt"
[ -r "$CA" ] || { echo "benchmark-load: no CA at $CA: is $STATE the state directory of a deployed stack?" >&2; exit 1; }
if ! command -v wrk >/dev/null; then
    echo "benchmark-load: installing wrk (Debian package)..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk >/dev/null 2>&1 \
        || { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk >/dev/null 2>&1; } \
        || { echo "benchmark-load: could not install wrk (apt-get install wrk)" >&2; exit 1; }
fi
WORK=$(mktemp -d /tmp/ftservices-load.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

STATIC="https://$ADDRESS/"
WORDPRESS="https://$ADDRESS:5050/"

# The administrator's login cookie: WordPress's login form (its test cookie first), the password on
# curl's standard input, never on a command line. Only the cookies a browser sends for "/" are kept.
"$BIN" credentials --json --state-dir "$STATE" > "$WORK/credentials.json"
user=$(python3 -c 'import json,sys; print([e for e in json.load(open(sys.argv[1])) if e["service"] == "wordpress"][0]["user"])' "$WORK/credentials.json")
curl -sS --cacert "$CA" -c "$WORK/jar" -b "$WORK/jar" -o /dev/null "${WORDPRESS}wp-login.php"
python3 -c 'import json,sys; sys.stdout.write([e for e in json.load(open(sys.argv[1])) if e["service"] == "wordpress"][0]["password"])' "$WORK/credentials.json" \
    | curl -sS --cacert "$CA" -c "$WORK/jar" -b "$WORK/jar" -o /dev/null --data-urlencode "log=$user" --data-urlencode "pwd@-" \
        --data-urlencode "testcookie=1" --data-urlencode "redirect_to=${WORDPRESS}wp-admin/" "${WORDPRESS}wp-login.php"
rm -f "$WORK/credentials.json"
cookie=$(python3 - "$WORK/jar" <<'PY'
import sys
pairs = []
for line in open(sys.argv[1]):
    if line.startswith("#HttpOnly_"):
        line = line[len("#HttpOnly_"):]
    elif line.startswith("#") or not line.strip():
        continue
    fields = line.rstrip("\n").split("\t")
    if len(fields) == 7 and fields[2] == "/":
        pairs.append(f"{fields[5]}={fields[6]}")
print("; ".join(pairs))
PY
)
case "$cookie" in *wordpress_logged_in_*) ;; *) echo "benchmark-load: the login as $user gave no wordpress_logged_in cookie" >&2; exit 1 ;; esac

# What each target answers before it is measured: the status, the page cache's verdict, the admin bar.
probe() { # probe URL [COOKIE]: "STATUS CACHE ADMINBAR"
    local headers=$WORK/headers body=$WORK/body
    curl -sS --cacert "$CA" ${2:+-H "Cookie: $2"} -D "$headers" -o "$body" "$1"
    printf '%s %s %s\n' "$(awk 'NR==1{print $2}' "$headers")" \
        "$(awk -F': *' 'tolower($1)=="x-ftservices-cache"{gsub("\r",""); print $2}' "$headers" | head -n1 | grep . || echo -)" \
        "$(grep -q 'id="wpadminbar"' "$body" && echo admin-bar || echo no-admin-bar)"
}

# run NAME URL [COOKIE]: warm-up, then the measured run; its figures go to $WORK/NAME.
run() {
    local name=$1 url=$2 header=()
    [ -n "${3:-}" ] && header=(-H "Cookie: $3")
    wrk -t 2 -c "$CONNECTIONS" -d 2s --timeout 10s "${header[@]}" "$url" >/dev/null
    wrk -t 2 -c "$CONNECTIONS" -d "$DURATION" --timeout 10s --latency "${header[@]}" "$url" > "$WORK/$name.txt"
    python3 - "$WORK/$name.txt" > "$WORK/$name" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
total = int(re.search(r"(\d+) requests in", text).group(1))
median = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, socket.groups())) if socket else 0)
print(f"{rate:.1f} {median:.1f} {p99:.1f} {errors} {total}")
PY
}

static_probe=$(probe "$STATIC")
anonymous_probe=$(probe "$WORDPRESS"; probe "$WORDPRESS")
anonymous_probe=$(tail -n1 <<<"$anonymous_probe")
logged_probe=$(probe "$WORDPRESS" "$cookie")
[ "$(cut -d' ' -f3 <<<"$logged_probe")" = admin-bar ] || { echo "benchmark-load: the logged-in front page has no admin bar ($logged_probe)" >&2; exit 1; }

echo "benchmark-load: static nginx..." >&2
run static "$STATIC"
echo "benchmark-load: WordPress anonymous..." >&2
run anonymous "$WORDPRESS"
echo "benchmark-load: WordPress logged in..." >&2
run logged "$WORDPRESS" "$cookie"

read -r s_rate s_median s_p99 s_errors s_total < "$WORK/static"
read -r a_rate a_median a_p99 a_errors a_total < "$WORK/anonymous"
read -r l_rate l_median l_p99 l_errors l_total < "$WORK/logged"
ratio=$(python3 -c "r = 100 * $a_rate / $s_rate; print(f'{r:.1f}' if r < 10 else f'{r:.0f}')")
verdict=$(python3 -c "print('met' if $a_rate >= 0.3 * $s_rate else 'NOT met')")
cache_of() { cut -d' ' -f2 <<<"$1"; }

echo "Serving (\`scripts/benchmark-load.sh\`, $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2)): 2 threads, $CONNECTIONS keep-alive connections over TLS, $DURATION per target after a 2 s warm-up, one after the other on the same stack; wrk and the stack share the machine's $(nproc) cores."
echo
echo "| target | requests/s | median latency | 99th percentile | requests (errors) | cache header before the run |"
echo "|---|---|---|---|---|---|"
echo "| nginx static page \`$STATIC\` | $s_rate | $s_median ms | $s_p99 ms | $s_total ($s_errors) | $(cache_of "$static_probe") |"
echo "| WordPress front page, anonymous \`$WORDPRESS\` | $a_rate | $a_median ms | $a_p99 ms | $a_total ($a_errors) | $(cache_of "$anonymous_probe") |"
echo "| WordPress front page, logged in (administrator's login cookie, admin bar) | $l_rate | $l_median ms | $l_p99 ms | $l_total ($l_errors) | $(cache_of "$logged_probe") |"
echo
echo "WordPress anonymous / static nginx: **${ratio} %** (target ≥ 30 %: $verdict)."
