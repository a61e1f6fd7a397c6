#!/usr/bin/env bash
# The Spring Boot example end to end, in one command: builds examples/spring-boot-bot when the
# sources changed (no install, no server, no network beyond Maven Central for the first build) and
# runs it against the demo's fake channel. Usage: scripts/spring-boot-demo.sh [path/to/demo.db]
# (BECKON_DEMO_MAIN=dev.beckon.examples.springboot.SpringBootBot runs the bot alone on
# 127.0.0.1:3978 for the Bot Framework Emulator.)
set -euo pipefail
source "$(dirname "$0")/build-lib.sh"
cd "$BECKON_ROOT"
module=examples/spring-boot-bot
if stale $module/target/classpath.txt || [ -n "$(find $module/src/main -newer $module/target/classpath.txt -print -quit)" ]; then
  mvn_build -q -pl $module -am package -DskipTests
  touch $module/target/classpath.txt
fi
cp="$(cat $module/target/classpath.txt):$module/target/classes"
exec java -cp "$cp" "${BECKON_DEMO_MAIN:-dev.beckon.examples.springboot.SpringBootBotDemo}" "$@"
