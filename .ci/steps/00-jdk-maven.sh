#!/usr/bin/env bash
# A JDK 17+ and Maven: present on the project's machines; installed from Debian's packages if not.
set -euo pipefail
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
fi
java -version
mvn -B -v
