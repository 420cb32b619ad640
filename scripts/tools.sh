#!/usr/bin/env bash
# Installs the command-line tools the tests drive besides Prometheus's (Debian packages, binaries only):
#   kcat       a librdkafka command-line client: the README's dead-letter guide reads and replays dead letters with
#              it, and tests/Cdc.Sink.Tests runs the guide's commands against ./cdc kafka
#   chromium   headless Chromium: tests/Cdc.EndToEnd.Tests opens the demo's HTML report in it; the tests start it
#              themselves (--headless --no-sandbox, a fresh --user-data-dir), it never runs as a service
# Idempotent; needs root only when something is missing.
set -euo pipefail
shopt -s inherit_errexit

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

installed() { command -v kcat >/dev/null && command -v chromium >/dev/null; }

if installed; then
    echo "tools: kcat, chromium already installed"
    exit 0
fi
require_root "installing kcat and chromium"

exec 9>/tmp/cdc-tools.lock
flock -w 900 9 || die "timed out waiting for /tmp/cdc-tools.lock"
if ! installed; then # or installed meanwhile by a concurrent run
    apt_install --no-install-recommends kcat chromium fonts-dejavu-core
    installed || die "the packages did not provide kcat and chromium"
fi
echo "tools: installed $(kcat -V 2>/dev/null | head -n 1 | cut -d' ' -f1-2), $(chromium --version 2>/dev/null || echo chromium)"
