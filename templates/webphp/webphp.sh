{{% CONTENT_TYPE: TEXT}}
# Helpers shared by the wordpress and phpmyadmin entrypoints (sourced, bash).

webphp_log() { printf '%s: %s\n' "${FTS_IMAGE:-webphp}" "$*" >&2; }

# webphp_require_secrets NAME...: exit 1 with one line per missing secret.
webphp_require_secrets() {
    local name missing=0
    for name in "$@"; do
        if [ ! -r "/run/secrets/$name" ]; then
            webphp_log "secret $name is missing (expected /run/secrets/$name); deploy with ftservices setup"
            missing=1
        fi
    done
    [ "$missing" = 0 ] || exit 1
}

# webphp_runtime_secret NAME: copy a Swarm secret (0400 root) to /run/ftservices/NAME,
# readable by php-fpm's www-data group only, for PHP code that needs it at request time.
webphp_runtime_secret() {
    install -d -m 0750 -o root -g www-data /run/ftservices
    install -m 0440 -o root -g www-data "/run/secrets/$1" "/run/ftservices/$1"
}

# webphp_prepare: runtime directories and config checks before starting the processes. The root
# filesystem is read-only; these directories are tmpfs mounts that start empty (docs/DESIGN.md,
# "Privileges"). PHP's session directory belongs to www-data, 0700: php.ini has PHP collect expired
# sessions itself (session.gc_probability), which lists the directory; with Debian's root-owned 1733
# one request in a hundred failed ("ps_files_cleanup_dir: opendir(/var/lib/php/sessions) failed").
webphp_prepare() {
    install -d -m 0755 -o www-data -g www-data /run/php
    install -d -m 0755 /var/log/nginx
    install -d -m 0700 -o www-data -g www-data /var/lib/php/sessions
    php-fpm8.2 --test >/dev/null 2>&1 || { php-fpm8.2 --test; exit 1; }
    nginx -t -q || exit 1
}

# webphp_start [COMMAND...]: php-fpm, nginx and the metrics agent in the foreground, watched by the PID 1
# supervisor; COMMAND (a function of the entrypoint) runs once they are started, before supervising.
webphp_start() {
    . /usr/local/lib/ftservices/init.sh
    . /usr/local/lib/ftservices/agent.sh
    fts_start php-fpm php-fpm8.2 --nodaemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf
    fts_start nginx nginx -g 'daemon off;'
    fts_start_agent
    if [ $# -gt 0 ]; then "$@"; fi
    fts_supervise
}
