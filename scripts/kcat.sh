#!/usr/bin/env bash
# Installs kcat (Debian's `kcat`, a librdkafka command-line client): the README's dead-letter guide reads and
# replays dead letters with it, and tests/Cdc.Sink.Tests runs that guide's commands against `./cdc kafka`.
# Idempotent; needs root only when it is missing.
set -euo pipefail
shopt -s inherit_errexit

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

installed() { command -v kcat >/dev/null; }

if installed; then
    echo "kcat: already installed"
    exit 0
fi
require_root "installing kcat"

exec 9>/tmp/cdc-kcat.lock
flock -w 600 9 || die "timed out waiting for /tmp/cdc-kcat.lock"
if ! installed; then # or installed meanwhile by a concurrent run
    apt_install --no-install-recommends kcat
    installed || die "the package did not provide kcat"
fi
echo "kcat: installed $(kcat -V 2>/dev/null | head -n 1)"
