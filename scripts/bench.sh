#!/usr/bin/env bash
# Runs benchmark suites (never part of `mvn verify`). Convention: ARCHITECTURE.md "Benchmarks".
# Usage: scripts/bench.sh [suite...] [--quick] [--out FILE]
#   suites: sender jdbc redis azure-table dynamodb broadcast delivery codecs (default: all);
#   jdbc runs four databases, jdbc-postgresql jdbc-mariadb jdbc-h2 jdbc-sqlite one each;
#   delivery runs PostgreSQL and Redis, delivery-postgresql delivery-redis one each;
#   store-costs (not in the default list) measures the CPU of the work a store does around its round trip
# BECKON_BENCH_JAVA_OPTS adds JVM options to each suite (e.g. a -XX:StartFlightRecording=... profile).
# The sender suite also runs the Microsoft 365 Agents SDK JS peer (full runs only, like botbuilder-java):
# it needs Node >= 20 on the PATH and installs the SDK (benchmarks/agents-js/package-lock.json) into
# benchmarks/agents-js/node_modules.
# Each suite measures Beckon and its baseline in the same run, prints a markdown table and ends
# with lines "ratio <suite>.<metric> <value>". Suite <name> is the class
# dev.beckon.benchmarks.<Name>Benchmark (azure-table -> AzureTableBenchmark).
# Everything printed is also written to the results file (default
# benchmarks/results/<date>-<machine>[-quick].md, machine = $BECKON_BENCH_MACHINE or the host
# name), headed by a machine description and followed by each suite's peak RSS and CPU time.
# The charts (<results>-sender.png, <results>-broadcast-heap.png) are then drawn from that file
# by dev.beckon.benchmarks.chart.BenchCharts.
set -euo pipefail
cd "$(dirname "$0")/.."
ALL=(sender jdbc redis azure-table dynamodb broadcast delivery codecs)
suites=(); args=(); out=; quick=
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift ;;
    --quick) quick=-quick; args+=("$1") ;;
    --*) args+=("$1") ;;
    *) suites+=("$1") ;;
  esac
  shift
done
[ ${#suites[@]} -eq 0 ] && suites=("${ALL[@]}")
machine=${BECKON_BENCH_MACHINE:-$(hostname -s)}
out=${out:-benchmarks/results/$(date -u +%F)-$machine$quick.md}
mkdir -p "$(dirname "$out")"

source scripts/servers/lib.sh
load_server_scripts   # every <module>/src/test/servers/*.sh
start_all_servers

# the sender suite's Agents SDK JS peer: npm ci into an ignored folder (benchmark scope only; Maven never needs it)
AGENTS_DIR=benchmarks/agents-js
install_agents_peer() {
  command -v node >/dev/null || { echo "bench: the sender suite needs Node >= 20 for its Agents SDK JS peer" >&2; return 1; }
  local v; v=$(node -p 'process.versions.node.split(".")[0]')
  [ "$v" -ge 20 ] || { echo "bench: Node $v found, the Agents SDK JS peer needs >= 20" >&2; return 1; }
  if [ ! -f "$AGENTS_DIR/node_modules/@microsoft/agents-hosting/package.json" ] \
     || [ "$AGENTS_DIR/package-lock.json" -nt "$AGENTS_DIR/node_modules/.package-lock.json" ]; then
    echo "bench: installing the Agents SDK JS peer (npm ci in $AGENTS_DIR)" >&2
    (cd "$AGENTS_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}
# a --quick sender run measures Beckon against raw HttpClient 5 only (the peers are in the full run)
case " ${suites[*]} " in
  *" sender "*) [ -n "$quick" ] || install_agents_peer ;;
esac

source scripts/build-lib.sh
mvn_build -q -pl benchmarks -am package -DskipTests
cp=$(cat benchmarks/target/classpath.txt):benchmarks/target/classes

server_versions() {
  local pg my rd az dy
  pg=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
  my=$(mariadbd --version 2>/dev/null || /usr/sbin/mariadbd --version 2>/dev/null || true)
  my=$(grep -o '[0-9.]*-MariaDB' <<<"$my" | head -1)
  rd=$(redis-server --version 2>/dev/null | grep -o 'v=[0-9.]*' | cut -d= -f2)
  az=$(node -p "require('$BECKON_SERVERS_DIR/node_modules/azurite/package.json').version" 2>/dev/null || true)
  dy=$(node -p "require('$BECKON_SERVERS_DIR/node_modules/dynalite/package.json').version" 2>/dev/null || true)
  echo "PostgreSQL ${pg:-?}, MariaDB ${my:-?}, Redis ${rd:-?}, Azurite ${az:-?}, dynalite ${dy:-?}, FakeConnector (JDK HttpServer)"
}

describe_machine() {
  echo "# Benchmark results — $(date -u +%F), $machine${quick:+ (quick run)}"
  echo
  echo "Command: \`scripts/bench.sh ${suites[*]} ${args[*]:-}\`, started $(date -u +%FT%TZ)."
  echo
  echo "| machine | |"
  echo "|---|---|"
  echo "| CPU | $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') |"
  echo "| memory | $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) |"
  echo "| OS | $( . /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r) |"
  echo "| Java | $(java -version 2>&1 | head -1) |"
  echo "| suite JVM | -Xms1g -Xmx4g |"
  echo "| servers (loopback) | $(server_versions) |"
  echo "| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo
}

run_suites() {
  local status=0 s cls
  for s in "${suites[@]}"; do
    local extra=()
    case "$s" in
      jdbc-*) cls=JdbcBenchmark; extra=(--only "${s#jdbc-}") ;;
      delivery-*) cls=DeliveryBenchmark; extra=(--only "${s#delivery-}") ;;
      sender) cls=SenderBenchmark; extra=(--agents-js "$AGENTS_DIR") ;;
      *) cls=$(echo "$s" | awk -F- '{for(i=1;i<=NF;i++) printf "%s", toupper(substr($i,1,1)) substr($i,2)}')Benchmark ;;
    esac
    echo; echo "## suite: $s"
    echo; echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -o "$tmp" -f "%M %U %S %e" \
      java -Xms1g -Xmx4g ${BECKON_BENCH_JAVA_OPTS:-} -cp "$cp" "dev.beckon.benchmarks.$cls" ${args[@]+"${args[@]}"} ${extra[@]+"${extra[@]}"} || { echo "suite $s FAILED"; status=1; }
    read -r rss user sys wall < <(tail -1 "$tmp")
    echo
    echo "- suite process: peak RSS $((rss / 1024)) MiB, CPU user ${user} s + system ${sys} s, wall ${wall} s (GNU time; includes JVM start and the baselines)"
  done
  echo
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  return $status
}

draw_charts() {
  # the README's charts: sender throughput vs concurrency, broadcast heap vs N (JFreeChart PNGs next to $out)
  case " ${suites[*]} " in
    *" sender "*|*" broadcast "*) java -cp "$cp" dev.beckon.benchmarks.chart.BenchCharts "$out" ;;
  esac
}

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
status=0
{ describe_machine; run_suites; } 2>&1 | tee "$out" || status=$?
draw_charts || status=1
echo "results written to $out" >&2
exit "$status"
