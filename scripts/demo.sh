#!/usr/bin/env bash
# The README's demo command: builds what the examples need when the sources changed (no install,
# no server, no network beyond Maven Central for the first build) and runs the demo.
# Usage: scripts/demo.sh [demo arguments]   (BECKON_DEMO_MAIN=<class> runs another examples main: scripts/example.sh)
#        scripts/demo.sh --browser           Microsoft's Web Chat on http://127.0.0.1:3980/ (BECKON_WEBCHAT_PORT),
#                                            talking to the notify-when-done bot; fetches webchat.js once (curl,
#                                            checked against the npm registry's hash) into .test-servers/; no Node
set -euo pipefail
source "$(dirname "$0")/build-lib.sh"
cd "$BECKON_ROOT"
if [ "${1:-}" = --browser ]; then
  shift
  # shellcheck source=/dev/null
  source scripts/servers/lib.sh
  # shellcheck source=/dev/null
  source examples/src/test/servers/webchat.sh
  fetch_webchat
  export BECKON_WEBCHAT_JS="$BECKON_SERVERS_DIR/webchat/$BECKON_WEBCHAT_VERSION/webchat.js"
  BECKON_DEMO_MAIN=dev.beckon.examples.webchat.WebChatDemo
fi
if stale examples/target/classpath.txt; then
  mvn_build -q -pl examples -am package -DskipTests
  touch examples/target/classpath.txt
fi
cp="$(cat examples/target/classpath.txt):examples/target/classes"
exec java -cp "$cp" "${BECKON_DEMO_MAIN:-dev.beckon.examples.Demo}" "$@"
