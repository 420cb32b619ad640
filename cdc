#!/usr/bin/env bash
# Cdc's front door: ./cdc help
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

readonly SOLUTION="$ROOT/Cdc.sln"
# The product (cdc sink | capture | reconcile) and the dev tooling (cdc-dev kafka | registry | demo | chaos | bench) are two
# binaries; each command goes to the one that has it. tools/Cdc.DevKit/BuiltCommands.cs routes the same way for the
# tests and for the dev tool's child processes.
readonly CLI_PROJECT="$ROOT/cli/Cdc.Cli/Cdc.Cli.csproj"
readonly CLI_DLL="$ROOT/cli/Cdc.Cli/bin/Release/net10.0/cdc.dll"
readonly DEV_PROJECT="$ROOT/tools/Cdc.Dev/Cdc.Dev.csproj"
readonly DEV_DLL="$ROOT/tools/Cdc.Dev/bin/Release/net10.0/cdc-dev.dll"
readonly ARTIFACTS="$ROOT/.artifacts"
readonly RESULTS="$ARTIFACTS/test-results"
readonly LOCAL_POSTGRES="Host=127.0.0.1;Port=${CDC_PG_PORT:-5432};Username=cdc;Password=cdc;Database=postgres"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

usage() {
    cat <<'EOF'
usage: ./cdc <command> [args...]

  test [dotnet test args...]   set up PostgreSQL, Prometheus tools, kcat and Chromium, build, run every test project, and
                               end with one line: tests: N passed, N failed[, N skipped]
                               (e.g. ./cdc test --filter "FullyQualifiedName~Sink")
  build                        dotnet build Cdc.sln -c Release (quiet: errors only)
  help                         this text

The product (the cdc binary, cli/Cdc.Cli; what the image ships):
  sink                         one subsystem's sink worker
  capture                      the .NET source connector
  reconcile                    find and repair drift between the primary and a store
  replay                       send dead letters back to the topic they came from, once their cause is fixed

Dev tooling (the cdc-dev binary, tools/Cdc.Dev; never shipped):
  kafka                        librdkafka's mock Kafka cluster, hosted until Ctrl-C
  registry                     a Schema Registry for this machine (Confluent's REST API, kept in a file), until Ctrl-C
  demo                         the whole pipeline on this machine (sets up PostgreSQL first)
  chaos                        the pipeline under faults (kills, outages, poison), then compared row for row
  bench                        benchmarks: sink, capture, reconcile, e2e (sets up PostgreSQL first)

A command builds only its own binary first (a dev command builds cdc too: chaos and bench start it).

Environment: CDC_TEST_POSTGRES / CDC_POSTGRES override the local server (default
"Host=127.0.0.1;Port=5432;Username=cdc;Password=cdc;Database=postgres"); CDC_SKIP_SETUP=1 skips
scripts/postgres.sh and scripts/prometheus.sh; CDC_NO_BUILD=1 runs the CLI without building;
CDC_PG_CLUSTER / CDC_PG_PORT run a cluster of its own for this tree (default main on 5432).
EOF
}

# build TARGET: quiet Release build; prints only errors (all output when no error line is found).
# One build at a time per tree: parallel builds of one project tear each other's obj/ apart.
build() {
    local log rc=0
    mkdir -p "$ARTIFACTS"
    log="$(mktemp "$ARTIFACTS/build.XXXXXX.log")"
    (
        flock -w 1800 8 || die "timed out waiting for $ARTIFACTS/build.lock"
        cd "$ROOT" # global.json picks the SDK from the working directory
        # Build servers outlive the build: they must not inherit the lock or the caller's pipes.
        without_inherited_fds dotnet build "$1" -c Release -v q -nologo -tl:off </dev/null >"$log" 2>&1
    ) 8>"$ARTIFACTS/build.lock" || rc=$?
    if [ "$rc" -ne 0 ]; then
        grep -E '(^|[^[:alnum:]])error( [A-Z]+[0-9]+)?:' "$log" | awk '!seen[$0]++' >&2 || cat "$log" >&2
    fi
    rm -f "$log"
    return "$rc"
}

setup_services() {
    [ "${CDC_SKIP_SETUP:-}" != 1 ] || return 0
    for script in "$@"; do "$ROOT/scripts/$script.sh"; done
}

# Prints "passed failed skipped runs aborted" summed over TRX files (none given: all zero).
#   passed  = passed + passedButRunAborted
#   failed  = failed + error + timeout + aborted, plus 1 for each aborted run (below)
#   skipped = total - executed (VSTest writes skipped tests as NotExecuted results but counts
#             them only in total; its notExecuted counter stays 0)
#   aborted = runs that say they were aborted, or whose ResultSummary outcome is not Completed/Passed
#             but whose counters show no failure: a test host that crashed or hung records nothing
#             for the test that killed it, so each such run counts as one failed test.
# Pure awk (mawk/gawk/busybox): records split at '>', so each record is one XML tag wherever the
# line breaks fall, and attributes are read by name.
trx_summary() {
    awk '
        function attr(tag, name) {
            if (!match(tag, "[ \t\r\n]" name "=\"[^\"]*\"")) return ""
            tag = substr(tag, RSTART, RLENGTH); sub(/^[^"]*"/, "", tag); sub(/"$/, "", tag)
            return tag
        }
        function num(tag, name) { return attr(tag, name) + 0 }
        function finish() {
            if (!seen) return
            runs++
            if (run_aborted || (outcome != "Completed" && outcome != "Passed" && file_failed == 0)) { aborted++; failed++ }
            seen = 0; outcome = ""; file_failed = 0; run_aborted = 0
        }
        BEGIN { RS = ">" }
        FNR == 1 { finish() }
        /<ResultSummary[ \t\r\n]/ { outcome = attr($0, "outcome") }
        /The active test run was aborted/ { run_aborted = 1 }
        /<Counters[ \t\r\n]/ {
            seen = 1
            passed += num($0, "passed") + num($0, "passedButRunAborted")
            file_failed = num($0, "failed") + num($0, "error") + num($0, "timeout") + num($0, "aborted")
            failed += file_failed
            skipped += num($0, "total") - num($0, "executed")
        }
        END { finish(); printf "%d %d %d %d %d\n", passed, failed, skipped, runs, aborted }
    ' "$@" </dev/null
}

# Prints one line per failed test of the TRX files ("failed: NAME: first line of its message") and one per
# test a crashed or hung test host was running (from the blame collector's Sequence files under DIR), so the
# end of the output, which is all a CI log may keep, names what failed.
test_failures() {
    local dir="$1"; shift
    awk '
        function attr(tag, name) {
            if (!match(tag, "[ \t\r\n]" name "=\"[^\"]*\"")) return ""
            tag = substr(tag, RSTART, RLENGTH); sub(/^[^"]*"/, "", tag); sub(/"$/, "", tag)
            return tag
        }
        function unescape(s) {
            gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
            gsub(/&#x[dD];/, "", s); gsub(/&amp;/, "\\&", s)
            return s
        }
        BEGIN { RS = ">" }
        /<UnitTestResult[ \t\r\n]/ {
            o = attr($0, "outcome")
            pending = (o != "Passed" && o != "NotExecuted" && o != "Inconclusive") ? unescape(attr($0, "testName")) : ""
        }
        pending != "" && want { text = $0; sub(/<\/Message$/, "", text); sub(/\n.*/, "", text)
            printf "failed: %s: %s\n", pending, substr(unescape(text), 1, 300); pending = ""; want = 0; next }
        pending != "" && /<Message$/ { want = 1 }
        /<\/UnitTestResult$/ { if (pending != "") printf "failed: %s\n", pending; pending = ""; want = 0 }
        /<Test[ \t\r\n]/ && attr($0, "Completed") == "False" {
            src = attr($0, "Source"); sub(/.*\//, "", src)
            line = sprintf("failed: %s (%s): its test host crashed or hung while it ran", unescape(attr($0, "Name")), src)
            if (!seen[line]++) print line
        }
    ' "$@" $(find "$dir" -name 'Sequence_*.xml' -type f 2>/dev/null) </dev/null
}

cmd_test() {
    mkdir -p "$ARTIFACTS"
    # Two runs in one tree would delete each other's results: the second waits.
    exec 7>"$ARTIFACTS/test.lock"
    if ! flock -n 7; then
        echo "cdc test: waiting for another ./cdc test in $ROOT" >&2
        flock 7
    fi

    setup_services postgres prometheus tools
    export CDC_TEST_POSTGRES="${CDC_TEST_POSTGRES:-$LOCAL_POSTGRES}"

    rm -rf "$RESULTS"
    mkdir -p "$RESULTS"
    local build_ok=1 test_rc=0
    build "$SOLUTION" || build_ok=0
    if [ "$build_ok" = 1 ]; then
        # Tests that start the CLI (./cdc kafka, ...) reuse this build instead of rebuilding.
        export CDC_NO_BUILD=1
        (
            cd "$ROOT"
            # -m:1: test projects run one after another, because the fault tests stop and restart the
            # shared PostgreSQL server under everything else.
            without_inherited_fds dotnet test "$SOLUTION" -c Release --no-build -m:1 \
                --results-directory "$RESULTS" --logger trx --logger "console;verbosity=normal" \
                --blame-hang-timeout "${CDC_TEST_HANG_TIMEOUT:-10m}" --blame-hang-dump-type none \
                "$@" </dev/null 2>&1
        ) | tee "$RESULTS/console.log" || test_rc=$?
        # tee's status is 0 unless it failed; pipefail reports dotnet test's own.
    fi

    local trx=() passed failed skipped runs aborted started
    mapfile -d '' trx < <(find "$RESULTS" -name '*.trx' -type f -print0)
    read -r passed failed skipped runs aborted < <(trx_summary "${trx[@]}")
    started="$(grep -c '^Test run for ' "$RESULTS/console.log" 2>/dev/null || true)"

    local ok=1
    [ "${#trx[@]}" -eq 0 ] || test_failures "$RESULTS" "${trx[@]}"
    if [ "$build_ok" = 0 ]; then
        echo "cdc test: build failed" >&2; ok=0
    else
        if [ "$aborted" -gt 0 ]; then
            echo "cdc test: $aborted test run(s) aborted (test host crashed or hung), each counted as 1 failed" >&2; ok=0
        fi
        if [ "${started:-0}" -gt "$runs" ]; then
            echo "cdc test: $started test assemblies ran but only $runs TRX result files were written" >&2; ok=0
        fi
        if [ "$test_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
            echo "cdc test: dotnet test exited with status $test_rc" >&2; ok=0
        fi
        if [ $((passed + failed)) -eq 0 ]; then
            echo "cdc test: no tests ran" >&2; ok=0
        fi
    fi
    [ "$failed" -eq 0 ] || ok=0

    local line="tests: $passed passed, $failed failed"
    [ "$skipped" -eq 0 ] || line+=", $skipped skipped"
    echo "$line"
    [ "$ok" = 1 ]
}

main() {
    local cmd="${1:-help}"
    [ $# -eq 0 ] || shift
    case "$cmd" in
        help | -h | --help) usage ;;
        test) cmd_test "$@" ;;
        build)
            build "$SOLUTION" || die "build failed"
            echo "build: ok (Cdc.sln, Release)"
            ;;
        *)
            local project="$CLI_PROJECT" dll="$CLI_DLL"
            case "$cmd" in
                kafka | registry | demo | chaos | bench) project="$DEV_PROJECT" dll="$DEV_DLL" ;;
            esac
            if [ "${CDC_NO_BUILD:-}" != 1 ] || [ ! -f "$dll" ]; then
                build "$project" || die "build failed"
            fi
            case "$cmd" in
                demo | bench | chaos)
                    setup_services postgres
                    export CDC_POSTGRES="${CDC_POSTGRES:-$LOCAL_POSTGRES}"
                    # chaos restarts the local server with the project's own script.
                    export CDC_ROOT="$ROOT"
                    ;;
            esac
            exec dotnet "$dll" "$cmd" "$@"
            ;;
    esac
}

main "$@"
