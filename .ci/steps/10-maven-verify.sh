#!/usr/bin/env bash
# The README's test command. It also packages the one shaded Lambda jar that sam build ships, and audits it
# (LambdaJarAuditTest: no Netty/log4j/Apache client, no version infra/known-vulnerable.tsv lists as HIGH or
# CRITICAL; the maven-enforcer-plugin refuses Netty and log4j among the functions' dependencies before that).
set -euo pipefail
mvn -B verify
