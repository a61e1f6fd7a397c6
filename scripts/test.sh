#!/usr/bin/env bash
# Runs every Beckon test: starts the real servers the tests need on 127.0.0.1 (installing what is
# missing, reusing a server that already answers on its port), then `./mvnw verify` over the reactor
# (the Maven wrapper: a fresh machine needs only a JDK 17).
# Usage: scripts/test.sh [extra maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/servers/lib.sh
load_server_scripts   # every <module>/src/test/servers/*.sh
start_all_servers
./mvnw -B -ntp -Dstyle.color=never verify "$@"
scripts/test-summary.sh
