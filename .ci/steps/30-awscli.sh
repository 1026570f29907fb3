#!/usr/bin/env bash
# The AWS CLI against the local stack's @connections endpoint (see the script).
set -euo pipefail
bash .ci/awscli-check.sh
