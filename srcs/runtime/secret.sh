# Helpers for reading Swarm secrets (files under /run/secrets), sourced by entrypoints.

# fts_secret NAME: print the secret's value without a trailing newline; fail loudly if missing.
fts_secret() {
    local file="/run/secrets/$1"
    if [ ! -r "$file" ]; then
        printf 'ftservices: secret %s is missing (expected %s); deploy with ftservices setup\n' "$1" "$file" >&2
        return 1
    fi
    tr -d '\n' < "$file"
}
