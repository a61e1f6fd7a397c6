# A 3-master Redis Cluster for storage-redis's cluster tests, on 127.0.0.1:${BECKON_REDIS_CLUSTER_PORTS}
# (default "7101 7102 7103"), no replicas, nothing on disk but the nodes' config files under
# .test-servers/redis-cluster/. A cluster that already answers with cluster_state:ok is used as it
# is; one that does not come up fails the run (the cluster tests are never skipped).

start_redis_cluster() {
  local ports=(${BECKON_REDIS_CLUSTER_PORTS:-7101 7102 7103})
  command -v redis-server >/dev/null || apt_install redis-server
  command -v redis-cli >/dev/null || apt_install redis-tools
  if redis_cluster_ok "${ports[0]}"; then
    log "redis-cluster: cluster_state:ok on 127.0.0.1:${ports[0]}, using it"
    return 0
  fi
  local dir=$BECKON_SERVERS_DIR/redis-cluster p fresh=
  mkdir -p "$dir"
  for p in "${ports[@]}"; do
    if port_open "$p"; then
      log "redis-cluster: something already answers on 127.0.0.1:$p, using it"
      continue
    fi
    mkdir -p "$dir/$p"
    rm -f "$dir/$p/nodes.conf" # a node without its cluster: start it empty, the create below joins it
    log "starting redis-server --cluster-enabled yes on 127.0.0.1:$p"
    spawn "$dir/$p/redis.log" redis-server --bind 127.0.0.1 --port "$p" --cluster-enabled yes \
      --cluster-config-file "$dir/$p/nodes.conf" --cluster-node-timeout 5000 --save "" \
      --appendonly no --dir "$dir/$p" --daemonize no
    fresh=1
  done
  for p in "${ports[@]}"; do wait_port "redis-cluster node" "$p" 30 "$dir/$p/redis.log"; done
  if ! redis_cluster_ok "${ports[0]}"; then
    local nodes=() i
    for p in "${ports[@]}"; do nodes+=("127.0.0.1:$p"); done
    log "redis-cli --cluster create ${nodes[*]}"
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes \
      >"$dir/create.log" 2>&1 || { cat "$dir/create.log" >&2; die "redis-cli --cluster create failed"; }
    for ((i = 0; i < 300; i++)); do
      redis_cluster_ok "${ports[0]}" && break
      sleep 0.1
    done
  fi
  redis_cluster_ok "${ports[0]}" || { cat "$dir/create.log" >&2 2>/dev/null; die "redis-cluster: no cluster_state:ok within 30s"; }
  log "redis-cluster is up (cluster_state:ok) on 127.0.0.1:${ports[*]}"
}

# redis_cluster_ok PORT: the node there answers and its cluster is ok on every slot.
redis_cluster_ok() {
  port_open "$1" || return 1
  redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null | tr -d '\r' | grep -q '^cluster_state:ok$' || return 1
  redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null | tr -d '\r' | grep -q '^cluster_slots_ok:16384$'
}

BECKON_SERVERS+=(redis_cluster)
