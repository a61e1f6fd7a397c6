#!/usr/bin/env bash
# Really fuzzes Beckon's Jazzer targets (every `mvn verify` only replays their committed seeds).
# Usage: scripts/fuzz.sh [--minutes N] [TARGET…]
#   TARGET is Class or Class#method (default: every @FuzzTest method in the reactor).
#   Each target runs for N minutes (default 10) with JAZZER_FUZZ=1; the corpus it grows stays in
#   <module>/.cifuzz-corpus/ (git-ignored). A finding fails the run; Jazzer writes the input next to
#   the target's seeds as crash-<sha1> (git-ignored: fix the bug, then commit the input as a named seed).
# Prints one line per target: module, target, seconds, inputs executed, result.
set -euo pipefail
source "$(dirname "$0")/build-lib.sh"
cd "$BECKON_ROOT"

minutes=10
wanted=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) wanted+=("$1"); shift ;;
  esac
done
[[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -gt 0 ] || { echo "fuzz.sh: --minutes takes a whole number > 0" >&2; exit 2; }

# module<TAB>Class<TAB>method for every @FuzzTest method
targets() {
  grep -rl --include='*FuzzTest.java' '@FuzzTest' ./*/src/test/java 2>/dev/null | sort | while read -r f; do
    module=${f#./}; module=${module%%/*}
    cls=$(basename "$f" .java)
    awk '/@FuzzTest/ {want=1; next} want && /void [A-Za-z0-9_]+\(/ {match($0, /void [A-Za-z0-9_]+\(/); print substr($0, RSTART+5, RLENGTH-6); want=0}' "$f" \
      | while read -r m; do printf '%s\t%s\t%s\n' "$module" "$cls" "$m"; done
  done
}

selected() {
  local cls=$1 m=$2 w
  [ ${#wanted[@]} -eq 0 ] && return 0
  for w in "${wanted[@]}"; do
    [ "$w" = "$cls" ] || [ "$w" = "$cls#$m" ] && return 0
  done
  return 1
}

status=0
printf '%-12s %-58s %8s %14s  %s\n' module target seconds inputs result
while IFS=$'\t' read -r module cls m; do
  selected "$cls" "$m" || continue
  mkdir -p "$module/target"
  log="$module/target/fuzz-$cls-$m.log"
  start=$(date +%s)
  if JAZZER_FUZZ=1 mvn_build -pl "$module" -am test -Dtest="$cls#$m" -Djazzer.max_duration="${minutes}m" \
      -Djazzer.instrument='dev.beckon.**' -Djacoco.skip=true \
      -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=false > "$log" 2>&1; then
    result=ok
  else
    result="FAILED (see $log)"; status=1
  fi
  out="$module/target/surefire-reports/$(grep -l "class *$cls\b" -r "$module/src/test/java" | head -1 | sed 's|.*/src/test/java/||; s|/|.|g; s|\.java$||')-output.txt"
  runs=$(grep -ho 'Done [0-9]* runs' "$out" "$log" 2>/dev/null | tail -1 | awk '{print $2}')
  printf '%-12s %-58s %8s %14s  %s\n' "$module" "$cls#$m" "$(( $(date +%s) - start ))" "${runs:-?}" "$result"
done < <(targets)
exit $status
