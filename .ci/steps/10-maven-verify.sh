#!/usr/bin/env bash
# The README's test command. It also packages the one shaded Lambda jar that sam build ships.
set -euo pipefail
mvn -B verify
