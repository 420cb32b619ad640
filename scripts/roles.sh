#!/usr/bin/env bash
# Least-privilege database roles for the pipeline's components (docs/security.md). Idempotent: run again to
# converge (new password, new table list). Runs scripts/roles/*.sql, the same SQL the tests run.
#
#   scripts/roles.sh sink STORE_DB ROLE PASSWORD
#   scripts/roles.sh capture PRIMARY_DB ROLE PASSWORD schema.table[,schema.table...]
#   scripts/roles.sh reconciler PRIMARY_DB STORE_DB ROLE PASSWORD
#
# PASSWORD '-' reads it from stdin (keeps it out of ps and shell history); '' sets none (certificate auth).
# Connects as a superuser through libpq's environment: PGHOST, PGPORT, PGUSER, PGPASSWORD (default: the local
# development server, 127.0.0.1:5432 as cdc). Other settings, by environment:
#   SCHEMAS=public,cdc          sink, reconciler: the store's target schemas and the sink's metadata schema
#   METADATA_SCHEMA=cdc         reconciler: the sink's metadata schema (read-only for the reconciler)
#   PUBLICATION=cdc_publication capture: created or reset FOR TABLE the list (+ signal table); '' leaves it alone
#                               reconciler: its tables are what the reconciler reads when TABLES is empty
#   SIGNAL_TABLE=               capture, reconciler: Debezium's signal table (incremental snapshots, repairs)
#   TABLES=                     reconciler: tables to read on the primary ('' = the publication's)
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-cdc}"
if [ -z "${PGPASSWORD:-}" ] && [ "$PGHOST" = 127.0.0.1 ] && [ "$PGUSER" = cdc ]; then export PGPASSWORD=cdc; fi

usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

password() {
    if [ "$1" = - ]; then IFS= read -r pw || [ -n "$pw" ] || die "no password on stdin"; printf '%s' "$pw"; else printf '%s' "$1"; fi
}

# run DB FILE NAME=VALUE...: set_config(cdc_roles.NAME, VALUE) for each, then FILE, in one session.
run() {
    local db="$1" file="$2" setting args=() sets="SET client_min_messages = warning;"$'\n'
    shift 2
    for setting in "$@"; do
        args+=(-v "${setting%%=*}=${setting#*=}")
        sets+="SELECT set_config('cdc_roles.${setting%%=*}', :'${setting%%=*}', false);"$'\n'
    done
    printf '%s\\i %s\n\\i %s\n' "$sets" "$ROOT/scripts/roles/common.sql" "$ROOT/scripts/roles/$file" |
        psql -X -q -v ON_ERROR_STOP=1 -d "$db" "${args[@]}" >/dev/null
}

[ $# -ge 1 ] || usage
case "$1" in
    sink)
        [ $# -eq 4 ] || usage
        run "$2" sink.sql role="$3" password="$(password "$4")" schemas="${SCHEMAS:-public,cdc}"
        echo "role $3: owns schemas ${SCHEMAS:-public,cdc} of database $2"
        ;;
    capture)
        [ $# -eq 5 ] || usage
        publication="${PUBLICATION-cdc_publication}"
        run "$2" capture.sql role="$3" password="$(password "$4")" tables="$5" \
            publication="$publication" signal_table="${SIGNAL_TABLE:-}"
        echo "role $3: REPLICATION, SELECT on $5 in database $2${publication:+; publication $publication}"
        ;;
    reconciler)
        [ $# -eq 5 ] || usage
        pw="$(password "$5")"
        run "$2" reconciler-primary.sql role="$4" password="$pw" tables="${TABLES:-}" \
            publication="${PUBLICATION-cdc_publication}" signal_table="${SIGNAL_TABLE:-}"
        run "$3" reconciler-store.sql role="$4" password="$pw" schemas="${SCHEMAS:-public,cdc}" \
            metadata_schema="${METADATA_SCHEMA:-cdc}"
        echo "role $4: reads database $2, reads and repairs rows of database $3"
        ;;
    *) usage ;;
esac
