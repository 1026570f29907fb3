#!/usr/bin/env bash
# Benchmarks on the local stack: one command, one table (see README "Benchmarks").
#   bash infra/bench.sh            # full run (~9 minutes, estimated)
#   bash infra/bench.sh --quick    # short run (~4 minutes; 5 on a busy 2-core VM)
#   bash infra/bench.sh --only ingest,fanout   # sections: cost,ingest,fanout,latency,resume,send,coldstart
#   bash infra/bench.sh --micro    # JMH micro-benchmarks of the domain core (~1 minute)
#   bash infra/bench.sh --model [--messages-per-second N --browsers N --events-per-second N ...]
#                                  # AWS ceilings and cost for a traffic, with the arithmetic (docs/SCALING.md)
# Builds first (mvn package, no tests: it makes the shaded function jar the cold-start run uses),
# unless BENCH_SKIP_BUILD=1. The stack's own logs go to infra/target/bench/bench.log.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--model" ]]; then
  # The AWS scale model (docs/SCALING.md): JDK only, no stack, no build of the rest; options: --model --help.
  mkdir -p infra/target/model
  javac -d infra/target/model infra/src/main/java/io/inboxrelay/bench/ScaleModel.java
  exec java -cp infra/target/model io.inboxrelay.bench.ScaleModel "${@:2}"
fi
if [[ "${BENCH_SKIP_BUILD:-0}" != "1" ]]; then
  echo "building (mvn -B -q package -DskipTests) ..."
  mvn -B -q package -DskipTests
fi
mkdir -p infra/target/bench
if [[ "${1:-}" == "--micro" ]]; then
  # JMH micro-benchmarks of the domain core (io.inboxrelay.bench.micro): average time per operation.
  exec java -cp "infra/target/classes:infra/target/lib/*" -Devents.dir="$PWD/events" \
    org.openjdk.jmh.Main 'io.inboxrelay.bench.micro.*' -jvmArgs "-Devents.dir=$PWD/events" "${@:2}"
fi
exec java -Xmx3g -XX:+UseG1GC ${BENCH_JAVA_OPTS:-} \
  -Dsqlite4java.library.path=infra/target/native-libs \
  -Dbench.root="$PWD" -Dbench.log=infra/target/bench/bench.log \
  -cp "infra/target/classes:infra/target/lib/*" io.inboxrelay.bench.Bench "$@"
