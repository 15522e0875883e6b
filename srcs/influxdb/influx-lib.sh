# ftservices InfluxDB helpers (sourced by the entrypoint, the healthcheck, backup and restore).
# Credentials and queries go to curl through a config on stdin: never on a command line.

FTS_INFLUX_URL=http://127.0.0.1:8086

# curl config string: backslashes and double quotes escaped.
influx_cfg_quote() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
# InfluxQL string literal: backslashes and single quotes escaped.
influx_str() { local s=${1//\\/\\\\}; s=${s//\'/\\\'}; printf "'%s'" "$s"; }

# influx_query USER PASSWORD QUERY [MAX_TIME]: POST /query (USER "" = no auth). Prints the body,
# then a last line with the HTTP status. Returns 0 only for HTTP 200 without an "error" in the body.
influx_query() {
    local body status
    body=$({
        printf 'silent\nshow-error\n'
        if [ -n "$1" ]; then printf 'user = %s\n' "$(influx_cfg_quote "$1:$2")"; fi
        printf 'data-urlencode = %s\n' "$(influx_cfg_quote "q=$3")"
        printf 'write-out = "\\n%%{http_code}"\n'
    } | curl --max-time "${4:-10}" -K - "$FTS_INFLUX_URL/query" 2>&1) || true
    status=${body##*$'\n'}
    printf '%s\n' "$body"
    [ "$status" = 200 ] && [[ $body != *'"error"'* ]]
}

influx_ping() { curl -s -o /dev/null -w '%{http_code}' --max-time "${1:-1}" "$FTS_INFLUX_URL/ping"; }

# InfluxQL identifier: double-quoted, backslashes and double quotes escaped.
influx_ident() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

# influx_database_names BODY: the names in a SHOW DATABASES answer (JSON, as influx_query prints it), one a
# line, but _internal (InfluxDB's own statistics). Fails on a name with a character JSON escapes (a quote, a
# backslash, a control character): none is made here, and such a name would be misread.
influx_database_names() {
    local values name
    [[ $1 == *'"values":[["'* ]] || return 0
    values=${1#*'"values":[["'}
    values=${values%%'"]]'*}
    [[ $values != *\\* ]] || return 1
    while IFS= read -r name; do
        [ "$name" = _internal ] || printf '%s\n' "$name"
    done <<< "${values//'"],["'/$'\n'}"
}
