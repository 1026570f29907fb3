#!/usr/bin/env bash
# infra/openapi.yaml fuzzed with schemathesis against the local stack: every operation, generated valid
# and invalid input, failing on any 5xx (and on answers the description does not declare). About two
# minutes. Called by .ci/run; runnable on its own:
#
#   bash .ci/schemathesis.sh                      # builds the jar, starts the stack, fuzzes, stops it
#   SKIP_BUILD=1 bash .ci/schemathesis.sh         # reuse infra/target's jar
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# Version verified to install and run here; bump it deliberately.
SCHEMATHESIS_VERSION=4.32.5
MAX_TIME=${SCHEMATHESIS_MAX_TIME:-90}

WORK=$(mktemp -d)
STACK_PID=
source "$ROOT/.ci/lib/local-stack.sh"
cleanup() {
  stop_processes "$STACK_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT

venv="${CI_TOOLS:-$HOME/.cache/inbox-relay-ci}/schemathesis-venv"
if ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
  mkdir -p "$(dirname "$venv")"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-pip >/dev/null
    python3 -m venv "$venv"
  fi
fi
"$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
"$venv/bin/schemathesis" --version

if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -q -DskipTests package
fi

export JWT_SECRET="schemathesis-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
LOG=$WORK/local-stack.log
start_local_stack "$WORK" "$LOG"
jar=$STACK_JAR

# A valid browser token for the demo tenant, so the read routes are fuzzed past the authoriser too.
TOKEN=$(java -DJWT_SECRET="$JWT_SECRET" -Dlog4j2.configurationFile=log4j2-local.xml -jar "$jar" token --tenant demo-tenant --user schemathesis | tail -1)

status=0
"$venv/bin/schemathesis" run infra/openapi.yaml \
    --url "http://127.0.0.1:$HTTP_PORT" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance \
    --header "Authorization: Bearer $TOKEN" \
    --max-time "$MAX_TIME" --workers 2 --seed "${SCHEMATHESIS_SEED:-20260101}" \
    --suppress-health-check all \
    --report junit --report-dir "$ROOT/infra/target/schemathesis" || status=$?

if grep -qE '"status":"5[0-9][0-9]"' "$LOG"; then
  echo "the local stack answered a 5xx during the run:" >&2
  grep -E '"status":"5[0-9][0-9]"' "$LOG" | head -20 >&2
  status=1
fi
exit $status
