#!/usr/bin/env bash
# The README's demo command: builds what the examples need (no install, no server, no network
# beyond Maven Central for the first build) and runs the demo.
# Usage: scripts/demo.sh [demo arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -pl examples -am package -DskipTests
cp="$(cat examples/target/classpath.txt):examples/target/classes"
exec java -cp "$cp" "${BECKON_DEMO_MAIN:-dev.beckon.examples.Demo}" "$@"
