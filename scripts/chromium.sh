#!/usr/bin/env bash
# Installs headless Chromium (Debian's `chromium`), with which tests/Cdc.EndToEnd.Tests opens the demo's HTML
# report and reads the rendered page. Only the binary is needed: the tests start it themselves, with
# --headless --no-sandbox and a fresh --user-data-dir, and it never runs as a service.
# Idempotent; needs root only when it is missing.
set -euo pipefail
shopt -s inherit_errexit

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

installed() { command -v chromium >/dev/null; }

if installed; then
    echo "chromium: already installed"
    exit 0
fi
require_root "installing chromium"

exec 9>/tmp/cdc-chromium.lock
flock -w 900 9 || die "timed out waiting for /tmp/cdc-chromium.lock"
if ! installed; then # or installed meanwhile by a concurrent run
    apt_install --no-install-recommends chromium fonts-dejavu-core
    installed || die "the package did not provide chromium"
fi
echo "chromium: installed $(chromium --version 2>/dev/null || echo chromium)"
