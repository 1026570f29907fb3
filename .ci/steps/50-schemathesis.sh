#!/usr/bin/env bash
# The HTTP API described by infra/openapi.yaml, fuzzed by schemathesis against the local stack:
# any 5xx, or a status or content type the description does not declare, fails CI.
set -euo pipefail
bash .ci/schemathesis.sh
