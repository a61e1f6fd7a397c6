# Redis 7 for storage-redis's tests, on 127.0.0.1:${BECKON_REDIS_PORT:-6379}.
# The binary is installed even when a Redis already answers: the restart test starts a private
# redis-server of its own on a free port.

start_redis() {
  local port=${BECKON_REDIS_PORT:-6379}
  command -v redis-server >/dev/null || apt_install redis-server
  if port_open "$port"; then
    log "redis: something already answers on 127.0.0.1:$port, using it"
    return 0
  fi
  local dir=$BECKON_SERVERS_DIR/redis
  mkdir -p "$dir"
  log "starting redis-server on 127.0.0.1:$port"
  spawn "$dir/redis.log" redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "$dir" --daemonize no
  wait_port redis "$port" 30 "$dir/redis.log"
}

BECKON_SERVERS+=(redis)
