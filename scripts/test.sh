#!/usr/bin/env bash
# Runs every Beckon test: starts the real servers the tests need on 127.0.0.1 (installing what is
# missing, reusing a server that already answers on its port), then `mvn verify` over the reactor.
# Usage: scripts/test.sh [extra maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/servers/lib.sh
for f in scripts/servers/*.sh; do
  [ "$(basename "$f")" = lib.sh ] || source "$f"
done
start_all_servers
command -v mvn >/dev/null || apt_install maven
mvn -B -ntp verify "$@"
scripts/test-summary.sh
