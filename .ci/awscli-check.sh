#!/usr/bin/env bash
# The AWS CLI (Debian's awscli) as a real client of the local stack's @connections endpoint:
# post-to-connection reaches a live browser connection, get-connection describes it, and a stale
# connection answers GoneException. Also reads the connection id from DynamoDB Local with the CLI.
#   bash .ci/awscli-check.sh        (builds the jar if needed; needs a JDK 17 and Maven)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$(mktemp -d)
STACK_PID=
LISTEN_PID=
source "$ROOT/.ci/lib/local-stack.sh"
cleanup() {
  stop_processes "$LISTEN_PID" "$STACK_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "awscli-check: $*" >&2; [ -f "$WORK/stack.log" ] && tail -30 "$WORK/stack.log" >&2; exit 1; }

# Debian's awscli, by its own path: a pip-installed aws elsewhere on PATH is not the client we test with.
if [ ! -x /usr/bin/aws ]; then
  echo "== installing Debian's awscli"
  SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq awscli >/dev/null
fi
aws() { /usr/bin/aws "$@"; }
aws --version

export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
export JWT_SECRET="awscli-check-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
start_local_stack "$WORK" "$WORK/stack.log" || fail "the stack did not come up"
JAR=$STACK_JAR
MGMT="http://127.0.0.1:$WS_PORT/prod"
DDB="http://127.0.0.1:$DYNAMO_PORT"

TOKEN=$(java -jar "$JAR" token --tenant demo-tenant --user cli-check)
java -cp "$ROOT/infra/target/lib/*" "$ROOT/.ci/WsListen.java" "ws://127.0.0.1:$WS_PORT/prod?token=$TOKEN" "$WORK/received" 60 &
LISTEN_PID=$!

CONNECTION_ID=
for _ in $(seq 1 60); do
  CONNECTION_ID=$(aws dynamodb query --endpoint-url "$DDB" --table-name ConnectionsTable \
    --key-condition-expression "tenantId = :t" --expression-attribute-values '{":t":{"S":"demo-tenant"}}' \
    --query 'Items[0].connectionId.S' --output text 2>/dev/null || true)
  [ -n "$CONNECTION_ID" ] && [ "$CONNECTION_ID" != "None" ] && break
  sleep 0.5
done
[ -n "$CONNECTION_ID" ] && [ "$CONNECTION_ID" != "None" ] || fail "the browser connection never registered"
echo "== live connection $CONNECTION_ID"

BINARY_FORMAT=()
aws --version 2>&1 | grep -q '^aws-cli/1' || BINARY_FORMAT=(--cli-binary-format raw-in-base64-out)
aws apigatewaymanagementapi post-to-connection --endpoint-url "$MGMT" "${BINARY_FORMAT[@]}" \
  --connection-id="$CONNECTION_ID" --data '{"type":"from_aws_cli"}'
for _ in $(seq 1 20); do grep -q from_aws_cli "$WORK/received" 2>/dev/null && break; sleep 0.25; done
grep -q '{"type":"from_aws_cli"}' "$WORK/received" || fail "post-to-connection did not reach the socket"
echo "== post-to-connection reached the socket"

aws apigatewaymanagementapi get-connection --endpoint-url "$MGMT" --connection-id="$CONNECTION_ID" >"$WORK/get.json"
grep -q '"ConnectedAt"' "$WORK/get.json" && grep -q '"SourceIp": "127.0.0.1"' "$WORK/get.json" || { cat "$WORK/get.json"; fail "get-connection"; }
echo "== get-connection described it"

expect_gone() {
  if aws apigatewaymanagementapi post-to-connection --endpoint-url "$MGMT" "${BINARY_FORMAT[@]}" \
       --connection-id="$1" --data 'x' 2>"$WORK/err"; then
    fail "post to $1 succeeded, expected GoneException"
  fi
  grep -q GoneException "$WORK/err" || { cat "$WORK/err" >&2; fail "expected GoneException for $1"; }
}
expect_gone "c3RhbGVzdGFsZXN0YWw="
echo "== a stale connection is GoneException"

aws apigatewaymanagementapi delete-connection --endpoint-url "$MGMT" --connection-id="$CONNECTION_ID"
for _ in $(seq 1 20); do grep -q '^closed' "$WORK/received" 2>/dev/null && break; sleep 0.25; done
grep -q '^closed' "$WORK/received" || fail "delete-connection did not close the socket"
expect_gone "$CONNECTION_ID"
echo "== delete-connection closed it; afterwards it is GoneException"
echo "awscli-check: passed"
