#!/usr/bin/env bash
# Installs the tools the metrics, alert-rule and deploy tests run (Debian packages, binaries only):
#   prometheus               promtool (check config/rules/metrics, test rules) and the server binary,
#                            which tests/Cdc.Deploy.Tests starts on its own ports against a running sink
#   prometheus-alertmanager  amtool check-config for deploy/alertmanager/alertmanager.yml
#   docker-compose           `docker-compose config -q` for docker-compose.yml (client only: no engine
#                            runs here), and python3-yaml, with which the tests read YAML
#   prometheus-postgres-exporter
#                            postgres_exporter 0.11.1 (the version docker-compose.yml pins), which the
#                            slot-monitoring test runs against the local PostgreSQL with
#                            deploy/postgres-exporter/queries.yml
# Installing must not leave a Prometheus or Alertmanager server running.
# Idempotent; needs root only when something is missing.
set -euo pipefail
shopt -s inherit_errexit

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

version() { promtool --version 2>&1 | awk 'NR == 1 { print $3; exit }'; }
installed() {
    command -v promtool >/dev/null && command -v prometheus >/dev/null && command -v amtool >/dev/null \
        && command -v docker-compose >/dev/null && command -v prometheus-postgres-exporter >/dev/null
}

if installed; then
    echo "prometheus: promtool $(version), amtool, docker-compose, postgres_exporter already installed"
    exit 0
fi
require_root "installing prometheus"

exec 9>/tmp/cdc-prometheus.lock
flock -w 600 9 || die "timed out waiting for /tmp/cdc-prometheus.lock"
if installed; then # installed meanwhile by a concurrent run
    echo "prometheus: promtool $(version), amtool, docker-compose, postgres_exporter already installed"
    exit 0
fi

# Live prometheus* processes (the server, exporters, prometheus-alertmanager), by pid. Plain /proc: procps may be absent.
servers() {
    local dir comm state
    for dir in /proc/[0-9]*; do
        read -r comm 2>/dev/null <"$dir/comm" || continue
        case "$comm" in prometheus*) ;; *) continue ;; esac
        state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "$dir/status" 2>/dev/null || true)"
        [ "$state" = Z ] || echo "${dir#/proc/}"
    done | sort
}
before="$(servers)"

# Without systemd, a package's postinst starts its service through invoke-rc.d and the SysV
# script; a policy-rc.d that answers 101 forbids that. Docker images ship one; add it otherwise.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# temporary, from Cdc scripts/prometheus.sh\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    trap 'rm -f "$policy"' EXIT
fi

apt_install --no-install-recommends prometheus prometheus-alertmanager docker-compose prometheus-postgres-exporter
installed || die "the packages did not provide promtool, prometheus, amtool, docker-compose and prometheus-postgres-exporter"

# Check anyway: stop any server the install started, by pid (only processes that were not there before).
started="$(comm -13 <(echo "$before") <(servers) | grep . || true)"
if [ -n "$started" ]; then
    for pid in $started; do kill "$pid" 2>/dev/null || true; done
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        still="$(comm -12 <(echo "$started") <(servers) | grep . || true)"
        [ -n "$still" ] || break
        sleep 0.5
    done
    [ -z "$still" ] || die "a Prometheus server started by the install is still running (pids: $(echo "$still" | paste -sd" "))"
    echo "prometheus: installed promtool $(version); stopped the server the package had started"
else
    echo "prometheus: installed promtool $(version); no server running"
fi
