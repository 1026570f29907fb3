#!/usr/bin/env bash
# The browser client's tests in Debian's Chromium against the local stack (see the script).
set -euo pipefail
bash .ci/browser-tests.sh
