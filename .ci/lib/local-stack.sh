# Sourced by the .ci scripts that need a running local stack.
#   start_local_stack WORK_DIR LOG_FILE [extra args...]
# builds the jar if missing, starts the stack on free ports (HTTP_PORT, WS_PORT, DYNAMO_PORT, SQS_PORT,
# SIMULATOR_PORT may be preset),
# waits for WORK_DIR/stack.json (written once it is ready) and sets STACK_PID, STACK_JAR and the ports.
#   stop_processes PID...   (for the caller's EXIT trap) stops what it started, the stack included.

stop_processes() {
  local pid
  for pid in "$@"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_local_stack() {
  local work=$1 log=$2
  shift 2
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  STACK_JAR=$root/infra/target/inbox-relay-infra-0.1.0-SNAPSHOT.jar
  if [ ! -f "$STACK_JAR" ] || [ ! -d "$root/infra/target/lib" ]; then
    (cd "$root" && mvn -B -q -DskipTests package)
  fi
  # No simulated lead answering: its replies, 3 s after each test's send, land among later tests' conversations.
  HTTP_PORT=${HTTP_PORT:-$(free_port)} WS_PORT=${WS_PORT:-$(free_port)} DYNAMO_PORT=${DYNAMO_PORT:-$(free_port)}
  SQS_PORT=${SQS_PORT:-$(free_port)} SIMULATOR_PORT=${SIMULATOR_PORT:-$(free_port)}
  (cd "$root" && exec java -Dsqlite4java.library.path="$root/infra/target/native-libs" -jar "$STACK_JAR" run \
      --http-port "$HTTP_PORT" --ws-port "$WS_PORT" --dynamo-port "$DYNAMO_PORT" \
      --sqs-port "$SQS_PORT" --simulator-port "$SIMULATOR_PORT" --no-simulator-auto-reply \
      --stack-file "$work/stack.json" "$@") >"$log" 2>&1 &
  STACK_PID=$!
  for _ in $(seq 1 240); do
    [ -s "$work/stack.json" ] && return 0
    kill -0 "$STACK_PID" 2>/dev/null || { echo "the local stack exited:" >&2; tail -50 "$log" >&2; return 1; }
    sleep 0.5
  done
  echo "the local stack did not come up:" >&2
  tail -50 "$log" >&2
  return 1
}
