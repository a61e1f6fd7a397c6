#!/usr/bin/env bash
# The README's demo command: builds what the examples need when the sources changed (no install,
# no server, no network beyond Maven Central for the first build) and runs the demo.
# Usage: scripts/demo.sh [demo arguments]   (BECKON_DEMO_MAIN=<class> runs another examples main: scripts/example.sh)
set -euo pipefail
source "$(dirname "$0")/build-lib.sh"
cd "$BECKON_ROOT"
if stale examples/target/classpath.txt; then
  mvn_build -q -pl examples -am package -DskipTests
  touch examples/target/classpath.txt
fi
cp="$(cat examples/target/classpath.txt):examples/target/classes"
exec java -cp "$cp" "${BECKON_DEMO_MAIN:-dev.beckon.examples.Demo}" "$@"
