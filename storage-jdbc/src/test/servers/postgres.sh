# PostgreSQL for storage-jdbc's tests. Tests connect to jdbc:postgresql://127.0.0.1:5432/test as
# user postgres without a password (override: -Dbeckon.postgres.url/.user/.password or
# BECKON_POSTGRES_URL/_USER/_PASSWORD). A server already answering on the port is used as it is
# (database `test` is created in it when missing); otherwise the Debian package is installed if
# needed and a private cluster (trust auth, 127.0.0.1 only, fsync off) runs from .test-servers/postgres.

# pg_as CMD...: run a PostgreSQL binary as the postgres OS user when we are root (initdb refuses root).
pg_as() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# pg_ensure_test_db PORT: create database `test` unless it exists (needs psql and trust/peer access).
pg_ensure_test_db() {
  local port=$1 user=${BECKON_POSTGRES_USER:-postgres} exists
  command -v psql >/dev/null || { log "postgres: no psql here; assuming database 'test' exists"; return 0; }
  if exists=$(PGPASSWORD=${BECKON_POSTGRES_PASSWORD:-} PGCONNECT_TIMEOUT=10 psql -h 127.0.0.1 -p "$port" -U "$user" \
      -d postgres -w -Atc "SELECT 1 FROM pg_database WHERE datname = 'test'" 2>/dev/null); then
    if [ "$exists" != 1 ]; then
      log "postgres: creating database test"
      PGPASSWORD=${BECKON_POSTGRES_PASSWORD:-} psql -h 127.0.0.1 -p "$port" -U "$user" -d postgres -w -qc 'CREATE DATABASE test' \
        || die "postgres: could not create database test"
    fi
  else
    log "postgres: cannot log in as '$user' over TCP without a password (a Debian cluster wants one);"
    log "postgres: set BECKON_POSTGRES_USER/BECKON_POSTGRES_PASSWORD (and BECKON_POSTGRES_URL) for the tests"
  fi
}

start_postgres() {
  local port=${BECKON_POSTGRES_PORT:-5432}
  if port_open "$port"; then
    log "postgres: something already answers on 127.0.0.1:$port, using it"
    pg_ensure_test_db "$port"
    return 0
  fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    apt_install postgresql
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if port_open "$port"; then   # apt started the Debian cluster (systemd hosts)
      log "postgres: the package started its own cluster on 127.0.0.1:$port, using it"
      pg_ensure_test_db "$port"
      return 0
    fi
  fi
  local dir
  dir=$(server_dir postgres postgres)
  local logfile=$dir/postgres.log
  mkdir -p "$dir/sock"
  [ "$(id -u)" -eq 0 ] && chown -R postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    log "postgres: initdb in $dir/data"
    pg_as "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { tail -n 30 "$dir/initdb.log" >&2; die "postgres: initdb failed"; }
  fi
  log "starting postgres on 127.0.0.1:$port (data in $dir/data)"
  # pg_ctl -w waits until the server accepts connections; the server's output goes to -l, and it
  # inherits no descriptor of ours (setsid, stdin/stdout/stderr redirected).
  pg_as setsid "$bin/pg_ctl" -D "$dir/data" -l "$logfile" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off -c full_page_writes=off" start \
    </dev/null >>"$dir/pg_ctl.log" 2>&1 || { tail -n 30 "$logfile" >&2; die "postgres: pg_ctl start failed"; }
  wait_port postgres "$port" 30 "$logfile"
  pg_ensure_test_db "$port"
}

BECKON_SERVERS+=(postgres)
