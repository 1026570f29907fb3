#!/usr/bin/env bash
# Browser tests: the client's unit tests under node, then the inbox page in Debian's Chromium
# (driven by playwright-core) against the local stack. Called by .ci/run; runnable on its own.
#
#   bash .ci/browser-tests.sh            # everything
#   SKIP_STACK=1 INBOX_RELAY_STACK_FILE=stack.json bash .ci/browser-tests.sh   # against a stack already running
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TESTS=$ROOT/infra/browser-tests
WORK=$(mktemp -d)
STACK_PID=

source "$ROOT/.ci/lib/local-stack.sh"
cleanup() {
  stop_processes "$STACK_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------- tools
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "== installing Debian's chromium"
  SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "== installing Debian's nodejs and npm"
  SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
"${CHROMIUM_PATH:-/usr/bin/chromium}" --version 2>/dev/null || true
node --version

echo "== npm dependencies"
(cd "$TESTS" && npm ci --no-audit --no-fund --loglevel=error)

echo "== client unit tests"
(cd "$TESTS" && npm run --silent test:unit)

# ---------------------------------------------------------------- local stack
if [ -z "${SKIP_STACK:-}" ]; then
  echo "== building and starting the local stack"
  mvn -B -q -DskipTests package
  export JWT_SECRET=${JWT_SECRET:-browser-tests-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
  export INBOX_RELAY_STACK_FILE=$WORK/stack.json
  LOG=$ROOT/infra/browser-tests/artifacts/local-stack.log
  mkdir -p "$(dirname "$LOG")"
  # Free ports, so a stack a developer has running on the defaults does not get in the way; the tests
  # read the URLs from the stack file.
  start_local_stack "$WORK" "$LOG"
fi

echo "== browser tests"
# The tests assert that things appear, with generous deadlines; how fast they appeared is a figure for
# the benchmark table (README, "Benchmarks"), printed here and never asserted: a loaded machine is slow.
(cd "$TESTS" && npm run --silent test:browser) | tee "$WORK/browser-tests.out"
LATENCY=$(grep -o 'webhook to page: shown after [0-9]* ms' "$WORK/browser-tests.out" | head -1 || true)
echo "== latency (measured, not asserted): ${LATENCY:-not reported}"
# The page's own figures for the benchmark table (README, "Benchmarks", rows "7 browser").
TO_LIVE=$(grep -o 'time to Live: [0-9]* ms' "$WORK/browser-tests.out" | head -1 || true)
WEIGHT=$(grep -o 'page weight: [0-9]* bytes[^,]*' "$WORK/browser-tests.out" | head -1 || true)
RECOVERY=$(grep -o 'offline for [0-9]* ms: Live again [0-9]* ms[^#]*' "$WORK/browser-tests.out" | head -1 || true)
echo "== ${TO_LIVE:-time to Live: not reported}; ${WEIGHT:-page weight: not reported}"
echo "== ${RECOVERY:-network drop: not reported}"
echo "== screenshots: infra/browser-tests/artifacts/desktop.png, mobile.png (README: docs/screenshots/)"
echo "== screenshot: infra/browser-tests/artifacts/inbox.png"
