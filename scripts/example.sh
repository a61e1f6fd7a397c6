#!/usr/bin/env bash
# Runs one example bot on http://127.0.0.1:3978/api/messages for the Bot Framework Emulator
# (App ID and password empty), on the store BECKON_STORE names (default: an SQLite file).
# Usage: scripts/example.sh <notify|reminder|webhook|teams-thread|group-dm>
# Configuration (environment): see README "Examples" and dev.beckon.examples.config.BotConfig.
# Runs from the examples module's class path, as scripts/demo.sh does (the bots are not in beckon.jar).
set -euo pipefail
case "${1:-}" in
  notify) main=NotifyWhenDoneBot ;;
  reminder) main=ReminderBot ;;
  webhook) main=WebhookTriggerBot ;;
  teams-thread) main=TeamsThreadBot ;;
  group-dm) main=GroupMemberDirectBot ;;
  *) echo "usage: scripts/example.sh <notify|reminder|webhook|teams-thread|group-dm>" >&2; exit 2 ;;
esac
shift
BECKON_DEMO_MAIN=dev.beckon.examples.bots.$main exec "$(dirname "$0")/demo.sh" "$@"
