#!/usr/bin/env bash
# Registers the Debezium connector with Kafka Connect, or updates it: an idempotent
# PUT /connectors/<name>/config (201 created, 200 updated; the same config again changes nothing),
# then waits until the connector and every task are RUNNING. Exits non-zero with one clear line
# when Connect is unreachable, refuses the config, or a task FAILED (with the task's error).
#
# usage: register.sh [CONFIG.json]        (default: shop-connector.json beside this script)
# env:   CONNECT_URL       Kafka Connect's REST endpoint (default http://connect:8083)
#        CONNECTOR_NAME    default: the file's name without -connector.json / .json ("shop")
#        REGISTER_TIMEOUT  seconds to wait for Connect to answer, and again for RUNNING (default 300)
# Needs bash and curl only (the Debezium Connect image has both).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
config="${1:-$here/shop-connector.json}"
url="${CONNECT_URL:-http://connect:8083}"
url="${url%/}"
name="${CONNECTOR_NAME:-$(basename "$config" .json)}"
name="${name%-connector}"
timeout="${REGISTER_TIMEOUT:-300}"

die() { printf 'register.sh: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'register.sh: %s\n' "$*"; }

[ -r "$config" ] || die "cannot read the connector config $config"
case "$name" in *[!A-Za-z0-9._-]* | "") die "connector name '$name' must be letters, digits, '.', '_' or '-'" ;; esac

# http METHOD PATH [BODYFILE]: sets $status and $body; returns 1 when Connect cannot be reached.
http() {
    local out args=(-sS -o /dev/stdout -w '\n%{http_code}' --max-time 30 -X "$1" -H 'Accept: application/json')
    [ $# -lt 3 ] || args+=(-H 'Content-Type: application/json' --data-binary "@$3")
    out="$(curl "${args[@]}" "$url$2" 2>&1)" || { body="${out%$'\n'*}"; status=000; return 1; }
    status="${out##*$'\n'}"
    body="${out%$'\n'*}"
}

# Connect's JSON error body {"error_code":N,"message":"..."} -> its message.
message() { sed -n 's/.*"message" *: *"\(\([^"\\]\|\\.\)*\)".*/\1/p' <<<"$body" | head -n 1; }

deadline=$((SECONDS + timeout))
until http GET / && [ "$status" = 200 ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "Kafka Connect at $url is unreachable after ${timeout}s (last answer: ${status/000/none}: $(head -c 300 <<<"$body"))"
    sleep 2
done

http PUT "/connectors/$name/config" "$config" || die "Kafka Connect at $url stopped answering: $body"
case "$status" in
    201) say "created connector $name" ;;
    200) say "connector $name exists: configuration updated (unchanged if identical)" ;;
    *) die "Kafka Connect refused the configuration of $name (HTTP $status): $(message)" ;;
esac

deadline=$((SECONDS + timeout))
while :; do
    if http GET "/connectors/$name/status" && [ "$status" = 200 ]; then
        states="$(grep -o '"state" *: *"[A-Z_]*"' <<<"$body" | sed 's/.*"\([A-Z_]*\)"$/\1/' | paste -sd' ' -)"
        if grep -q '"state" *: *"FAILED"' <<<"$body"; then
            trace="$(sed -n 's/.*"trace" *: *"\(\([^"\\]\|\\[^n]\)*\).*/\1/p' <<<"$body" | head -n 1)"
            die "connector $name FAILED (states: $states): ${trace:-no trace given}; fix it, then rerun this script (or POST /connectors/$name/restart?includeTasks=true)"
        fi
        # The connector's state first, then one per task: every one RUNNING, and at least one task.
        if [ "$(wc -w <<<"$states")" -ge 2 ] && ! grep -qv '^RUNNING$' < <(tr ' ' '\n' <<<"$states"); then
            say "connector $name and its $(($(wc -w <<<"$states") - 1)) task(s) are RUNNING"
            exit 0
        fi
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "connector $name is not RUNNING after ${timeout}s (last status HTTP $status: $(head -c 300 <<<"$body"))"
    sleep 1
done
