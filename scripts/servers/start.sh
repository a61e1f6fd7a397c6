#!/usr/bin/env bash
# Starts the real test servers, as scripts/test.sh does before `./mvnw verify`: every server a
# module's src/test/servers/*.sh registers, or only those named (e.g. `scripts/servers/start.sh
# azurite dynalite`). A server already answering on its port is used as it is.
# Usage: scripts/servers/start.sh [name...]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
load_server_scripts
if [ $# -eq 0 ]; then
  start_all_servers
  exit 0
fi
for s in "$@"; do
  case " ${BECKON_SERVERS[*]} " in
    *" $s "*) "start_$s" ;;
    *) die "unknown server '$s' (known: ${BECKON_SERVERS[*]})" ;;
  esac
done
