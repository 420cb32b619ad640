#!/usr/bin/env bash
# PostgreSQL 15 for Cdc's tests and demo: install, configure for logical replication, run.
#
#   scripts/postgres.sh [setup]          install/configure/start as needed (idempotent), wait until ready
#   scripts/postgres.sh start            start the cluster (full setup first if it does not exist yet)
#   scripts/postgres.sh stop [MODE]      stop it; MODE is fast (default), smart or immediate (a crash)
#   scripts/postgres.sh restart [MODE]   stop (MODE as above) and start again, wait until ready
#   scripts/postgres.sh status           print the cluster state; exit 0 when accepting connections
#
# Runs as root on Debian 12 without systemd. The server listens on 127.0.0.1:5432 and has a
# login role cdc/cdc (SUPERUSER, REPLICATION); durability settings (fsync...) stay on.
# CDC_PG_CLUSTER and CDC_PG_PORT (default main, 5432) select another cluster of the same install, so that
# parallel work trees can each run the fault tests (which stop and restart the server) on their own one.
set -euo pipefail
shopt -s inherit_errexit

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

readonly VERSION=15 CLUSTER="${CDC_PG_CLUSTER:-main}" HOST=127.0.0.1 PORT="${CDC_PG_PORT:-5432}" LISTEN='127.0.0.1,::1'
readonly PG_BIN="/usr/lib/postgresql/$VERSION/bin"
readonly CONF_DIR="/etc/postgresql/$VERSION/$CLUSTER"
readonly DROP_IN="$CONF_DIR/conf.d/cdc.conf"
readonly HBA="$CONF_DIR/pg_hba.conf"
readonly LOG="/var/log/postgresql/postgresql-$VERSION-$CLUSTER.log"
readonly WAIT_SECONDS="${CDC_POSTGRES_WAIT_SECONDS:-60}"
readonly CONNINFO="postgresql://cdc:cdc@$HOST:$PORT/postgres"

# Settings that need a restart, and the values the running server must have at least.
readonly MIN_SLOTS=32 MIN_SENDERS=32 MIN_CONNECTIONS=200

done_steps=()
step() { done_steps+=("$1"); }

ctl() { without_inherited_fds pg_ctlcluster --skip-systemctl-redirect "$@"; }
installed() { [ -x "$PG_BIN/postgres" ] && command -v pg_ctlcluster >/dev/null; }
cluster_exists() { [ -f "$CONF_DIR/postgresql.conf" ]; }
running() { cluster_exists && ctl "$VERSION" "$CLUSTER" status >/dev/null 2>&1; }

# Runs SQL as the postgres superuser over the local socket; prints unaligned tuples.
psql_admin() {
    (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres -tA "$@")
}

log_tail() {
    if [ -r "$LOG" ]; then echo "--- last lines of $LOG:" >&2; tail -n 20 "$LOG" >&2; fi
}

wait_ready() {
    local deadline=$((SECONDS + WAIT_SECONDS))
    until pg_isready -q -h "$HOST" -p "$PORT"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            log_tail
            die "PostgreSQL on $HOST:$PORT not ready after ${WAIT_SECONDS}s ($(pg_isready -h "$HOST" -p "$PORT" 2>&1 || true))"
        fi
        sleep 0.5
    done
}

start_cluster() {
    # /var/run is a tmpfs on some machines: the socket directory may be gone after a reboot.
    install -d -o postgres -g postgres -m 2775 /var/run/postgresql
    ctl "$VERSION" "$CLUSTER" start || { log_tail; die "pg_ctlcluster $VERSION $CLUSTER start failed"; }
}

stop_mode() {
    case "${1:-fast}" in
        smart | fast | immediate) echo "${1:-fast}" ;;
        *) die "unknown stop mode '$1' (smart, fast or immediate)" ;;
    esac
}

# The managed settings. Unsafe speed-ups (fsync/full_page_writes off) are pinned off on purpose:
# the tests check crash safety.
desired_drop_in() {
    cat <<EOF
# Managed by scripts/postgres.sh (Cdc): rewritten on every run, do not edit.
listen_addresses = '$LISTEN'
port = $PORT
wal_level = logical
max_replication_slots = $MIN_SLOTS
max_wal_senders = $MIN_SENDERS
max_connections = $MIN_CONNECTIONS
# A replication slot leaked by a crashed test must not fill the disk with WAL over many runs.
max_slot_wal_keep_size = 10GB
fsync = on
full_page_writes = on
synchronous_commit = on
EOF
}

readonly HBA_BEGIN='# BEGIN cdc (managed by scripts/postgres.sh)'
readonly HBA_END='# END cdc'
# md5 also accepts SCRAM-stored passwords (it then runs SCRAM), so it suits every client.
desired_hba() {
    printf '%s\n' "$HBA_BEGIN"
    printf 'host    %-11s all    %-15s md5\n' \
        all 127.0.0.1/32 all ::1/128 replication 127.0.0.1/32 replication ::1/128
    printf '%s\n' "$HBA_END"
    # pg_hba.conf is first-match: our block goes on top, the rest stays as it was.
    awk -v b="$HBA_BEGIN" -v e="$HBA_END" '$0 == b { skip = 1 } !skip { print } $0 == e { skip = 0 }' "$HBA"
}

# install_if_changed CONTENT_FILE TARGET: returns 0 when TARGET was (re)written.
install_if_changed() {
    if [ -f "$2" ] && cmp -s "$1" "$2"; then rm -f "$1"; return 1; fi
    install -o postgres -g postgres -m 0644 "$1" "$2" || die "cannot write $2"
    rm -f "$1"
}

# Sets config_changed=1 when a file was rewritten.
config_changed=0
configure() {
    local tmp
    install -d -o postgres -g postgres -m 0755 "$CONF_DIR/conf.d"
    if ! grep -Eq "^[[:space:]]*include_dir[[:space:]]*=?[[:space:]]*'(conf\.d|$CONF_DIR/conf\.d)'" "$CONF_DIR/postgresql.conf"; then
        printf "\ninclude_dir = 'conf.d'\t# added by Cdc scripts/postgres.sh\n" >>"$CONF_DIR/postgresql.conf"
        config_changed=1
    fi
    tmp="$(mktemp)"; desired_drop_in >"$tmp"
    if install_if_changed "$tmp" "$DROP_IN"; then config_changed=1; fi
    tmp="$(mktemp)"; desired_hba >"$tmp"
    if install_if_changed "$tmp" "$HBA"; then config_changed=1; fi
}

# Prints what is wrong with the running server's restart-only settings; nothing when all is well.
settings_problems() {
    psql_admin -c "
        SELECT format('%s=%s', name, setting) FROM pg_settings
        WHERE (name = 'wal_level' AND setting <> 'logical')
           OR (name = 'max_replication_slots' AND setting::int < $MIN_SLOTS)
           OR (name = 'max_wal_senders' AND setting::int < $MIN_SENDERS)
           OR (name = 'max_connections' AND setting::int < $MIN_CONNECTIONS)
           OR (name IN ('fsync', 'full_page_writes') AND setting <> 'on')
           OR (name = 'port' AND setting::int <> $PORT)
           OR (name = 'listen_addresses' AND setting <> '$LISTEN')"
}

# Prints settings the configuration files (postgresql.auto.conf included) force against ours,
# even ones a running server has not reloaded yet; nothing when there are none.
overridden_in_files() {
    psql_admin -c "
        SELECT format('%s=%s in %s', name, setting, sourcefile) FROM pg_file_settings
        WHERE applied AND (
              (name IN ('fsync', 'full_page_writes') AND lower(setting) NOT IN ('on', 'true', 'yes', '1'))
           OR (name = 'wal_level' AND setting <> 'logical'))"
}

ensure_role() {
    local exists
    exists="$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'cdc'")"
    if [ "$exists" != 1 ]; then
        psql_admin -c "CREATE ROLE cdc"
        step "created role cdc"
    fi
    psql_admin -c "ALTER ROLE cdc WITH LOGIN SUPERUSER REPLICATION PASSWORD 'cdc'"
}

# Password login over TCP, retried briefly: a reload of pg_hba.conf is applied asynchronously.
check_login() {
    local _
    for _ in $(seq 1 20); do
        PGCONNECT_TIMEOUT=5 psql -X -q "$CONNINFO" -tAc 'SELECT 1' >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    PGCONNECT_TIMEOUT=5 psql -X -q "$CONNINFO" -tAc 'SELECT 1' >/dev/null || die "cannot log in as cdc at $HOST:$PORT"
}

setup() {
    if [ "$(id -u)" -ne 0 ]; then
        # Without root nothing can be changed; a server that is already fine is still usable.
        if ! pg_isready -q -h "$HOST" -p "$PORT" || ! psql -X -q "$CONNINFO" -tAc 'SELECT 1' >/dev/null 2>&1; then
            die "must run as root to install or start PostgreSQL (nothing usable on $HOST:$PORT)"
        fi
        echo "postgres: not root, using the server already running on $HOST:$PORT"
        return
    fi
    if ! installed; then
        # The postinst creates the cluster in the environment's locale: make it UTF-8.
        LC_ALL=C.UTF-8 LANG=C.UTF-8 apt_install --no-install-recommends postgresql
        step "installed postgresql"
    fi
    if ! cluster_exists; then
        LC_ALL=C.UTF-8 pg_createcluster --quiet --locale C.UTF-8 --encoding UTF8 --port "$PORT" "$VERSION" "$CLUSTER" >/dev/null
        step "created cluster $VERSION/$CLUSTER"
    fi
    configure
    [ "$config_changed" = 0 ] || step "wrote config"

    if ! running; then
        start_cluster
        step "started"
    elif [ "$config_changed" = 1 ]; then
        ctl "$VERSION" "$CLUSTER" reload
        step "reloaded"
    fi
    wait_ready
    local problems
    problems="$(overridden_in_files)"
    [ -z "$problems" ] || die "unsafe or wrong settings: $(echo "$problems" | paste -sd' ') (remove them; ALTER SYSTEM RESET for postgresql.auto.conf)"
    problems="$(settings_problems)"
    if [ -n "$problems" ]; then
        ctl "$VERSION" "$CLUSTER" restart || { log_tail; die "restart failed"; }
        step "restarted for $(echo "$problems" | paste -sd' ')"
        wait_ready
        problems="$(settings_problems)"
        [ -z "$problems" ] || die "settings still wrong after a restart: $(echo "$problems" | paste -sd' ') (overridden in $CONF_DIR or postgresql.auto.conf?)"
    fi
    ensure_role
    check_login
    local did="already set up"
    if [ "${#done_steps[@]}" -gt 0 ]; then
        did="$(printf '%s, ' "${done_steps[@]}")"
        did="${did%, }"
    fi
    echo "postgres: $did; ready on $HOST:$PORT (wal_level=logical, role cdc)"
}

main() {
    local cmd="${1:-setup}"
    [ $# -eq 0 ] || shift
    case "$cmd" in
        setup | ensure | start | stop | restart) require_root "postgres.sh $cmd" ;;
        status) ;;
        -h | --help | help) sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; return ;;
        *) die "unknown command '$cmd' (setup, start, stop, restart, status)" ;;
    esac

    # One change at a time: concurrent test runs and fault tests share this server.
    if [ "$cmd" != status ]; then
        exec 9>"/tmp/cdc-postgres-$CLUSTER.lock"
        flock -w 600 9 || die "timed out waiting for /tmp/cdc-postgres-$CLUSTER.lock"
    fi

    case "$cmd" in
        setup | ensure) setup ;;
        start)
            if ! installed || ! cluster_exists; then setup; return; fi
            if running; then
                wait_ready
                echo "postgres: already running on $HOST:$PORT"
            else
                start_cluster
                wait_ready
                echo "postgres: started on $HOST:$PORT"
            fi
            ;;
        stop)
            local mode
            mode="$(stop_mode "${1:-}")"
            if running; then
                ctl -m "$mode" "$VERSION" "$CLUSTER" stop || { log_tail; die "stop failed"; }
                echo "postgres: stopped ($mode)"
            else
                echo "postgres: not running"
            fi
            ;;
        restart)
            local mode
            mode="$(stop_mode "${1:-}")"
            { installed && cluster_exists; } || die "PostgreSQL $VERSION/$CLUSTER is not set up: run scripts/postgres.sh first"
            if running; then
                ctl -m "$mode" "$VERSION" "$CLUSTER" stop || { log_tail; die "stop failed"; }
            fi
            start_cluster
            wait_ready
            echo "postgres: restarted ($mode stop) on $HOST:$PORT"
            ;;
        status)
            if ! installed || ! cluster_exists; then
                echo "postgres: not installed"
                return 3
            fi
            if pg_isready -q -h "$HOST" -p "$PORT"; then
                echo "postgres: running, accepting connections on $HOST:$PORT"
            elif running; then
                echo "postgres: running, not accepting connections yet on $HOST:$PORT"
                return 1
            else
                echo "postgres: stopped"
                return 3
            fi
            ;;
    esac
}

main "$@"
