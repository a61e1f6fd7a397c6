#!/usr/bin/env bash
# The kill storm of issue #19 at full size, outside the CI (docs/delivery.md, "The kill storm"):
# 3 worker JVMs paced by one fleet-wide limiter, the fake connector's fault storm (10% 429 with
# Retry-After, 5% 503, 2% 403 ConversationBlockedByUser, 1% 404, 1% dropped connections), two
# workers killed with SIGKILL at random moments; then every delivery accounted, none lost, none
# twice except UNKNOWN, no tenant or conversation above its limit in any 1 s window at the connector.
# Usage: scripts/storm.sh [backend...] [--deliveries N]
#   backends: postgresql mariadb redis redis-cluster sqs (default: all); N defaults to 10000
#   (sqs: SQS on ElasticMQ, paced by DynamoDbTokenBuckets on dynalite)
# Prints one "storm <backend>: ..." line of figures per backend (also in
# <module>/target/kill-storm-<backend>-figures.txt). Run it on a quiet machine: `uptime` first.
set -euo pipefail
cd "$(dirname "$0")/.."
backends=(); deliveries=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --deliveries) deliveries=$2; shift ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) backends+=("$1") ;;
  esac
  shift
done
[ ${#backends[@]} -eq 0 ] && backends=(postgresql mariadb redis redis-cluster sqs)

source scripts/servers/lib.sh
load_server_scripts
start_all_servers

uptime
run() { # module test figures-file extra-properties...
  local module=$1 test=$2 figures=$3; shift 3
  local started=$SECONDS
  mkdir -p "$module/target"
  ./mvnw -B -ntp -q verify -pl "$module" -am -Djacoco.skip=true -Dspotless.check.skip=true \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbeckon.storm.deliveries="$deliveries" "$@" >"$module/target/storm.log" 2>&1 \
    || { echo "storm failed: see $module/target/storm.log"; grep -E "expected|Expecting|but was" -A3 "$module/target/storm.log" | head -20; }
  [ -f "$figures" ] && cat "$figures"
  echo "(wall time of the Maven run: $((SECONDS - started)) s)"
}
for b in "${backends[@]}"; do
  case "$b" in
    postgresql|mariadb)
      rm -f storage-jdbc/target/kill-storm-$b-figures.txt
      run storage-jdbc DeliveryKillStormProcessTest storage-jdbc/target/kill-storm-$b-figures.txt \
        -Dbeckon.storm.dialect="$b" ;;
    redis)
      rm -f storage-redis/target/kill-storm-redis-figures.txt
      run storage-redis RedisDeliveryKillStormProcessTest storage-redis/target/kill-storm-redis-figures.txt ;;
    redis-cluster)
      rm -f storage-redis/target/kill-storm-redis-cluster-figures.txt
      run storage-redis RedisDeliveryKillStormProcessTest \
        storage-redis/target/kill-storm-redis-cluster-figures.txt -Dbeckon.storm.redis=CLUSTER ;;
    sqs)
      rm -f delivery-sqs/target/kill-storm-sqs-figures.txt
      run delivery-sqs SqsKillStormProcessTest delivery-sqs/target/kill-storm-sqs-figures.txt ;;
    *) echo "unknown backend: $b (postgresql mariadb redis redis-cluster sqs)" >&2; exit 2 ;;
  esac
done
