#!/usr/bin/env bash
# Starts or stops the real monitoring stack on loopback, on free high ports:
# node_exporter, redis + redis_exporter, postgres + postgres_exporter (with a pg_stat_statements
# query file using PG13+ columns) and Prometheus scraping all three every second, with the repo's
# rules/*.yml when present; VictoriaMetrics scraping the same targets (it runs no rules); and an
# Alertmanager that Prometheus sends its alerts to. With LOOKOUT_BIN set to a lookout binary, the
# demo service (`lookout demo --serve-only`) is started too and both servers scrape it.
#
#   scripts/stack.sh install        apt-get install the packages that are missing
#   scripts/stack.sh start [DIR]    start everything, state in DIR (default /tmp/lookout-stack)
#   scripts/stack.sh stop [DIR]     stop every process started from DIR, by recorded pid
#
# After start, DIR/stack.env holds NODE_URL, REDIS_EXPORTER_URL, PG_EXPORTER_URL, PROMETHEUS_URL,
# VM_URL, ALERTMANAGER_URL (and DEMO_URL with LOOKOUT_BIN) and the ports, ready to `source`. Exit code 2 when a binary is missing (callers may skip).
# Must run as root (postgres is run as the postgres user via runuser) or as a user owning DIR.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CMD="${1:-}"
DIR="${2:-/tmp/lookout-stack}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
PACKAGES="prometheus prometheus-node-exporter prometheus-redis-exporter prometheus-postgres-exporter redis-server postgresql victoria-metrics prometheus-alertmanager"

log() { echo "stack: $*" >&2; }

missing_binaries() {
    local m=""
    for b in prometheus prometheus-node-exporter prometheus-redis-exporter prometheus-postgres-exporter redis-server psql runuser \
             victoria-metrics prometheus-alertmanager; do
        command -v "$b" >/dev/null 2>&1 || m="$m $b"
    done
    [ -x "$PGBIN/initdb" ] || m="$m initdb"
    echo "$m"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for() {  # wait_for SECONDS COMMAND...
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@" >/dev/null 2>&1; do
        if [ "$(date +%s)" -ge "$deadline" ]; then return 1; fi
        sleep 0.2
    done
}

spawn() {  # spawn NAME COMMAND...  (background, pid recorded, output to DIR/logs/NAME.log)
    local name="$1"; shift
    "$@" >"$DIR/logs/$name.log" 2>&1 &
    echo $! >"$DIR/pids/$name.pid"
}

http_ok() { curl -sf -o /dev/null "$1"; }

targets_up() {  # targets_up SERVER_URL N: the server's count(up==1) is N
    local n
    n=$(curl -sf "$1/api/v1/query?query=count(up%3D%3D1)" | python3 -c \
        'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)')
    [ "$n" = "$2" ]
}

scrape_jobs() {  # the scrape_configs entries shared by Prometheus and VictoriaMetrics
    echo "  - {job_name: node, static_configs: [{targets: ['127.0.0.1:$NODE_PORT']}]}"
    echo "  - {job_name: redis, static_configs: [{targets: ['127.0.0.1:$REDIS_EXPORTER_PORT']}]}"
    echo "  - {job_name: postgres, static_configs: [{targets: ['127.0.0.1:$PG_EXPORTER_PORT']}]}"
    if [ -n "$DEMO_PORT" ]; then
        echo "  - {job_name: perfect21-api, static_configs: [{targets: ['127.0.0.1:$DEMO_PORT']}]}"
    fi
}

write_pg_queries() {
    cat >"$DIR/pg_queries.yaml" <<'YAML'
pg_stat_statements:
  query: |
    SELECT r.rolname, d.datname, s.queryid::text AS queryid, s.calls, s.rows,
           s.total_exec_time / 1000.0 AS total_exec_time_seconds,
           s.mean_exec_time / 1000.0 AS mean_exec_time_seconds,
           s.shared_blks_hit, s.shared_blks_read
    FROM pg_stat_statements s
    JOIN pg_roles r ON r.oid = s.userid
    JOIN pg_database d ON d.oid = s.dbid
    ORDER BY s.total_exec_time DESC
    LIMIT 100
  metrics:
    - rolname: {usage: LABEL, description: Role that ran the statement}
    - datname: {usage: LABEL, description: Database}
    - queryid: {usage: LABEL, description: Statement hash}
    - calls: {usage: COUNTER, description: Times executed}
    - rows: {usage: COUNTER, description: Rows retrieved or affected}
    - total_exec_time_seconds: {usage: COUNTER, description: Total execution time}
    - mean_exec_time_seconds: {usage: GAUGE, description: Mean execution time}
    - shared_blks_hit: {usage: COUNTER, description: Shared buffer hits}
    - shared_blks_read: {usage: COUNTER, description: Shared blocks read}
YAML
}

write_prometheus_config() {
    local rules="" f
    for f in "$REPO"/rules/*.yml "$REPO"/rules/*.yaml; do
        [ -f "$f" ] || continue
        # A rules file Prometheus would refuse must not stop the stack from starting.
        if promtool check rules "$f" >/dev/null 2>&1; then rules="$rules    - $f"$'\n'; else log "skipping invalid rules file $f"; fi
    done
    {
        echo "global: {scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s}"
        if [ -n "$rules" ]; then echo "rule_files:"; printf '%s' "$rules"; fi
        echo "alerting: {alertmanagers: [{static_configs: [{targets: ['127.0.0.1:$ALERTMANAGER_PORT']}]}]}"
        echo "scrape_configs:"
        scrape_jobs
    } >"$DIR/prometheus.yml"
    { echo "global: {scrape_interval: 1s, scrape_timeout: 1s}"; echo "scrape_configs:"; scrape_jobs; } >"$DIR/vm.yml"
    # One receiver that sends nowhere: the tests read alerts back through the API.
    printf 'route:\n  receiver: none\n  group_wait: 1s\nreceivers:\n- name: none\n' >"$DIR/alertmanager.yml"
}

# Says which step failed and what the daemons that already died printed last.
report_failure() {  # report_failure LINE COMMAND
    log "start failed at stack.sh:$1 ($2); logs in $DIR/logs"
    local f name pid
    for f in "$DIR"/pids/*.pid; do
        [ -f "$f" ] || continue
        name="$(basename "$f" .pid)"; pid="$(cat "$f")"
        kill -0 "$pid" 2>/dev/null && continue
        log "$name exited: $(tail -3 "$DIR/logs/$name.log" 2>/dev/null | tr '\n' ' ')"
    done
    if [ -f "$DIR/pg/postgres.log" ] && [ ! -f "$DIR/pg/data/postmaster.pid" ]; then
        log "postgres: $(tail -3 "$DIR/pg/postgres.log" | tr '\n' ' ')"
    fi
}

# A port picked by free_port is free when picked, not when the daemon binds it: another stack starting
# beside this one, or any outgoing connection, may take it in between. So a failed start is stopped
# and tried again, with new ports, before the script gives up.
start() {
    local missing; missing="$(missing_binaries)"
    if [ -n "$missing" ]; then log "missing:$missing (run: $0 install)"; exit 2; fi
    if [ -f "$DIR/stack.env" ]; then log "$DIR already holds a stack; stop it first"; exit 1; fi
    local attempt status
    for attempt in 1 2 3; do
        set +e
        ( set -e; start_once )
        status=$?
        set -e
        [ "$status" -ne 0 ] || return 0
        stop
        rm -rf "${DIR:?}/pg" "$DIR/redis" "$DIR/prometheus" "$DIR/vm" "$DIR/alertmanager"
        [ "$attempt" -eq 3 ] || log "attempt $attempt failed; trying again with new ports"
    done
    log "gave up after 3 attempts"
    exit 1
}

start_once() {
    mkdir -p "$DIR/logs" "$DIR/pids" "$DIR/redis" "$DIR/prometheus" "$DIR/vm" "$DIR/alertmanager"
    DIR="$(cd "$DIR" && pwd)"
    chmod 755 "$DIR"   # postgres must traverse it
    trap 'report_failure "$LINENO" "$BASH_COMMAND"; exit 1' ERR

    NODE_PORT=$(free_port); REDIS_PORT=$(free_port); REDIS_EXPORTER_PORT=$(free_port)
    PG_PORT=$(free_port); PG_EXPORTER_PORT=$(free_port); PROMETHEUS_PORT=$(free_port)
    VM_PORT=$(free_port); ALERTMANAGER_PORT=$(free_port); DEMO_PORT=""
    local targets=3

    if [ -n "${LOOKOUT_BIN:-}" ]; then
        DEMO_PORT=$(free_port); targets=4
        spawn demo "$LOOKOUT_BIN" demo --serve-only --listen "127.0.0.1:$DEMO_PORT"
    fi

    spawn node prometheus-node-exporter --web.listen-address="127.0.0.1:$NODE_PORT" --no-collector.systemd
    spawn redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DIR/redis" --save '' \
        --appendonly no --daemonize no
    spawn redis_exporter prometheus-redis-exporter -redis.addr="redis://127.0.0.1:$REDIS_PORT" \
        -web.listen-address="127.0.0.1:$REDIS_EXPORTER_PORT"

    install -d -o postgres -g postgres -m 0700 "$DIR/pg"
    runuser -u postgres -- "$PGBIN/initdb" -D "$DIR/pg/data" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$DIR/logs/initdb.log" 2>&1
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/postgres.log" -w -o \
        "-c port=$PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR/pg -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" \
        start >"$DIR/logs/pg_ctl.log" 2>&1
    head -1 "$DIR/pg/data/postmaster.pid" >"$DIR/pids/postgres.pid"
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' \
        >>"$DIR/logs/pg_ctl.log" 2>&1
    write_pg_queries
    DATA_SOURCE_NAME="postgresql://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable" \
        spawn pg_exporter prometheus-postgres-exporter --web.listen-address="127.0.0.1:$PG_EXPORTER_PORT" \
        --extend.query-path="$DIR/pg_queries.yaml"

    write_prometheus_config
    spawn alertmanager prometheus-alertmanager --config.file="$DIR/alertmanager.yml" \
        --storage.path="$DIR/alertmanager" --web.listen-address="127.0.0.1:$ALERTMANAGER_PORT" --cluster.listen-address=
    # -search.latencyOffset: by default VictoriaMetrics hides the newest 30 s of samples.
    spawn victoria-metrics victoria-metrics -httpListenAddr="127.0.0.1:$VM_PORT" -storageDataPath="$DIR/vm" \
        -promscrape.config="$DIR/vm.yml" -search.latencyOffset=1s
    spawn prometheus prometheus --config.file="$DIR/prometheus.yml" --storage.tsdb.path="$DIR/prometheus" \
        --storage.tsdb.retention.time=1d --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle

    NODE_URL="http://127.0.0.1:$NODE_PORT/metrics"
    REDIS_EXPORTER_URL="http://127.0.0.1:$REDIS_EXPORTER_PORT/metrics"
    PG_EXPORTER_URL="http://127.0.0.1:$PG_EXPORTER_PORT/metrics"
    PROMETHEUS_URL="http://127.0.0.1:$PROMETHEUS_PORT"
    VM_URL="http://127.0.0.1:$VM_PORT"
    ALERTMANAGER_URL="http://127.0.0.1:$ALERTMANAGER_PORT"
    DEMO_URL="${DEMO_PORT:+http://127.0.0.1:$DEMO_PORT/metrics}"
    wait_for 20 http_ok "$NODE_URL"
    wait_for 20 http_ok "$REDIS_EXPORTER_URL"
    wait_for 20 http_ok "$PG_EXPORTER_URL"
    [ -z "$DEMO_URL" ] || wait_for 20 http_ok "$DEMO_URL"
    wait_for 20 http_ok "$PROMETHEUS_URL/-/ready"
    wait_for 20 http_ok "$ALERTMANAGER_URL/-/ready"
    wait_for 20 http_ok "$VM_URL/health"
    # The first scrapes land seconds after the servers are ready: wait until every target is up.
    wait_for 40 targets_up "$PROMETHEUS_URL" "$targets"
    wait_for 40 targets_up "$VM_URL" "$targets"
    trap - ERR

    cat >"$DIR/stack.env" <<ENV
NODE_PORT=$NODE_PORT
REDIS_PORT=$REDIS_PORT
REDIS_EXPORTER_PORT=$REDIS_EXPORTER_PORT
PG_PORT=$PG_PORT
PG_EXPORTER_PORT=$PG_EXPORTER_PORT
PROMETHEUS_PORT=$PROMETHEUS_PORT
NODE_URL=$NODE_URL
REDIS_EXPORTER_URL=$REDIS_EXPORTER_URL
PG_EXPORTER_URL=$PG_EXPORTER_URL
PROMETHEUS_URL=$PROMETHEUS_URL
VM_PORT=$VM_PORT
VM_URL=$VM_URL
ALERTMANAGER_PORT=$ALERTMANAGER_PORT
ALERTMANAGER_URL=$ALERTMANAGER_URL
DEMO_PORT=$DEMO_PORT
DEMO_URL=$DEMO_URL
ENV
    log "up: prometheus $PROMETHEUS_URL, victoria-metrics $VM_URL, alertmanager $ALERTMANAGER_URL, state in $DIR/stack.env"
}

stop() {
    [ -d "$DIR/pids" ] || { log "nothing to stop in $DIR"; return 0; }
    if [ -f "$DIR/pids/postgres.pid" ] && [ -n "$PGBIN" ]; then
        runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/pg/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    local f pid
    for f in "$DIR"/pids/*.pid; do
        [ -f "$f" ] || continue
        pid="$(cat "$f")"
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$f"
    done
    rm -f "$DIR/stack.env"
    log "stopped ($DIR)"
}

case "$CMD" in
    install)
        missing="$(missing_binaries)"
        if [ -n "$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES; fi ;;
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 install | start [DIR] | stop [DIR]" >&2; exit 64 ;;
esac
