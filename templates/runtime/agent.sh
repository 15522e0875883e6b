{{% CONTENT_TYPE: TEXT}}
# ftservices metrics agent, sourced by every entrypoint after init.sh:
#
#   . /usr/local/lib/ftservices/agent.sh
#   fts_start_agent
#
# Starts collectd in the foreground as the unprivileged user {{monitoring.agentUser}}, watched by fts_supervise
# like the service's own processes: if the agent dies, the container stops and the orchestrator
# restarts it.

fts_start_agent() {
    install -d -o {{monitoring.agentUser}} -g {{monitoring.agentUser}} -m 0750 /var/lib/collectd
    if ! out=$(/usr/sbin/collectd -t -C /etc/collectd/collectd.conf 2>&1); then
        fts_log "collectd: the agent's configuration is invalid: ${out//$'\n'/ }"
        exit 1
    fi
    fts_start collectd setpriv --reuid={{monitoring.agentUser}} --regid={{monitoring.agentUser}} --init-groups -- \
        /usr/sbin/collectd -f -C /etc/collectd/collectd.conf
}
