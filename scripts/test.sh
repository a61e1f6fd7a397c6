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
# -T 2: modules that do not depend on each other (the stores after the testkit; the CLI beside the
# Spring Boot modules) build and test at the same time. Their tests wait mostly on servers, and
# every test names its own tables, keys and ports, so two modules never share state.
./mvnw -B -ntp -Dstyle.color=never -T 2 verify "$@"
scripts/test-summary.sh
