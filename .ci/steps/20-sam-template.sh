#!/usr/bin/env bash
# template.yaml checked and built by AWS's own tools: cfn-lint, sam validate --lint, sam build.
set -euo pipefail

# Versions verified to install together and to pass on this template; bump them deliberately.
SAM_CLI_VERSION=1.170.0
CFN_LINT_VERSION=1.58.0

venv="${CI_TOOLS:-$HOME/.cache/inbox-relay-ci}/sam-venv"
if ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
  if ! python3 -m venv "$venv" 2>/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-pip make >/dev/null
    python3 -m venv "$venv"
  fi
fi
command -v make >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make >/dev/null; }
"$venv/bin/pip" install -q --disable-pip-version-check "aws-sam-cli==$SAM_CLI_VERSION" "cfn-lint==$CFN_LINT_VERSION"
export PATH="$venv/bin:$PATH"
sam --version
cfn-lint --version

jar=$(ls functions/target/inbox-relay-functions-*-lambda.jar)
echo "shaded Lambda jar: $jar, $(stat -c %s "$jar") bytes"
if jar tf "$jar" | grep -qE 'io/netty/|org/apache/http/|awssdk/http/apache/|awssdk/http/nio/netty/|org/apache/logging/log4j/|org/apache/log4j/'; then
  echo "the Lambda jar contains an Apache or Netty HTTP client, or log4j; exclude it" >&2
  exit 1
fi

cfn-lint template.yaml
echo "cfn-lint: template.yaml passed"
sam validate --lint --template-file template.yaml
# No credentials exist in CI; sam build needs none (the Makefile copies the shaded jar).
AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" sam build --template-file template.yaml --build-dir .aws-sam/build
test -f .aws-sam/build/WebhookFunction/lib/"$(basename "$jar")"
echo "sam build: every function packaged"
