#!/usr/bin/env bash
# Runs benchmark suites (never part of `mvn verify`). Convention: ARCHITECTURE.md "Benchmarks".
# Usage: scripts/bench.sh [suite...] [--quick]
#   suites: sender jdbc redis azure-table dynamodb broadcast codecs (default: all)
# Each suite measures Beckon and its baseline in the same run, prints a markdown table and ends
# with lines "ratio <suite>.<metric> <value>". Suite <name> is the class
# dev.beckon.benchmarks.<Name>Benchmark (azure-table -> AzureTableBenchmark).
set -euo pipefail
cd "$(dirname "$0")/.."
ALL=(sender jdbc redis azure-table dynamodb broadcast codecs)
suites=(); args=()
for a in "$@"; do
  case "$a" in
    --*) args+=("$a") ;;
    *) suites+=("$a") ;;
  esac
done
[ ${#suites[@]} -eq 0 ] && suites=("${ALL[@]}")

source scripts/servers/lib.sh
for f in scripts/servers/*.sh; do
  [ "$(basename "$f")" = lib.sh ] || source "$f"
done
start_all_servers

mvn -B -ntp -q -pl benchmarks -am package -DskipTests
cp=$(cat benchmarks/target/classpath.txt):benchmarks/target/classes
status=0
for s in "${suites[@]}"; do
  cls=$(echo "$s" | awk -F- '{for(i=1;i<=NF;i++) printf "%s", toupper(substr($i,1,1)) substr($i,2)}')Benchmark
  echo; echo "## suite: $s"
  java -Xms1g -Xmx4g -cp "$cp" "dev.beckon.benchmarks.$cls" "${args[@]}" || { echo "suite $s FAILED"; status=1; }
done
exit $status
