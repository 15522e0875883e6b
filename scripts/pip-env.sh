#!/usr/bin/env bash
# Pinned PyPI tools in a virtual environment of their own (Debian's Python refuses a system-wide pip install):
#
#   scripts/pip-env.sh DIR LOG NAME==VERSION...
#
# Creates DIR with `python3 -m venv` and installs the pins into it, unless every pin is installed there at that
# version already (then it does nothing). pip's output is appended to LOG. Exits 0 when the pins are in place;
# otherwise says what failed with the last lines of LOG, and exits 1.
set -euo pipefail
if [ $# -lt 3 ]; then
    echo "usage: scripts/pip-env.sh DIR LOG NAME==VERSION..." >&2
    exit 64
fi
dir=$1 log=$2
shift 2
installed=$("$dir/bin/pip" freeze 2>/dev/null || true)
for pin in "$@"; do
    if ! grep -qixF -- "$pin" <<<"$installed"; then
        echo "==> installing $* into $dir (log: $log)"
        mkdir -p "$(dirname "$log")"
        if ! { python3 -m venv "$dir" && "$dir/bin/pip" install --quiet "$@"; } >>"$log" 2>&1; then
            echo "pip-env: installing $* from PyPI failed; the last lines of $log say why:" >&2
            tail -n 5 "$log" >&2
            exit 1
        fi
        exit 0
    fi
done
