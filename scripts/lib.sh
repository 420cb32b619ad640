# shellcheck shell=bash
# Shared helpers for ./cdc and scripts/*.sh. Source it; it defines functions only.

die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# without_inherited_fds CMD...: runs CMD with every descriptor above 2 closed. Use it for anything
# that leaves a daemon behind: a daemon holding a lock file or a caller's pipe open blocks them forever.
without_inherited_fds() {
    (
        local fd
        for fd in /proc/"$BASHPID"/fd/*; do
            fd="${fd##*/}"
            if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
        done
        exec "$@"
    )
}

require_root() { [ "$(id -u)" -eq 0 ] || die "must run as root ($*)"; }

# apt_install PKG...: noninteractive, quiet install. Refreshes the package lists first
# (at most once an hour across scripts), and once more if the install still fails.
# Output goes to a log that is printed only when something fails.
apt_install() {
    local log stamp=/tmp/cdc-apt-update.stamp
    log="$(mktemp /tmp/cdc-apt.XXXXXX.log)"
    export DEBIAN_FRONTEND=noninteractive
    # Maintainer scripts may start daemons (postgresql's does when invoke-rc.d allows it): they
    # must not inherit our lock files or pipes.
    local apt=(without_inherited_fds apt-get -q -y -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)
    if [ -z "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
        "${apt[@]}" update </dev/null >>"$log" 2>&1 || { cat "$log" >&2; die "apt-get update failed"; }
        touch "$stamp"
    fi
    if ! "${apt[@]}" install "$@" </dev/null >>"$log" 2>&1; then
        "${apt[@]}" update </dev/null >>"$log" 2>&1 && touch "$stamp"
        "${apt[@]}" install "$@" </dev/null >>"$log" 2>&1 || { cat "$log" >&2; die "apt-get install $* failed"; }
    fi
    rm -f "$log"
}
