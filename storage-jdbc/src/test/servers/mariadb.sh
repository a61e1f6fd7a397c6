# MariaDB for storage-jdbc's tests. Tests connect to jdbc:mariadb://127.0.0.1:3306/test as user
# `test` without a password (override: -Dbeckon.mariadb.url/.user/.password or
# BECKON_MARIADB_URL/_USER/_PASSWORD). A server already answering on the port is used; database
# `test` and user 'test'@'127.0.0.1' are created in it when missing, through the local socket as
# root (or root over TCP without a password). Otherwise the Debian package is installed if needed
# and a private server (127.0.0.1 only) runs from .test-servers/mariadb.

# mariadb_ensure_test_user PORT [SOCKET]: make sure 'test'@'127.0.0.1' can use database test.
mariadb_ensure_test_user() {
  local port=$1 sock=${2:-} client
  client=$(command -v mariadb || command -v mysql || true)
  [ -n "$client" ] || { log "mariadb: no mariadb client here; assuming user 'test' exists"; return 0; }
  if [ -n "${BECKON_MARIADB_USER:-}" ] && [ "$BECKON_MARIADB_USER" != test ]; then
    return 0   # the tests use someone else's account
  fi
  if "$client" --connect-timeout=10 -h 127.0.0.1 -P "$port" -u test -e 'SELECT 1' test >/dev/null 2>&1; then
    return 0
  fi
  local sql="CREATE DATABASE IF NOT EXISTS test; CREATE USER IF NOT EXISTS 'test'@'127.0.0.1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON test.* TO 'test'@'127.0.0.1';"
  local how
  for how in socket-given socket-default tcp-root; do
    case $how in
      socket-given) [ -n "$sock" ] || continue
        "$client" --protocol=socket -S "$sock" -u root -e "$sql" >/dev/null 2>&1 && break
        "$client" --protocol=socket -S "$sock" -u "$(id -un)" -e "$sql" >/dev/null 2>&1 && break ;;
      socket-default) "$client" --protocol=socket -u root -e "$sql" >/dev/null 2>&1 && break ;;
      tcp-root) "$client" --connect-timeout=10 -h 127.0.0.1 -P "$port" -u root -e "$sql" >/dev/null 2>&1 && break ;;
    esac
    how=
  done
  if [ -n "$how" ]; then
    log "mariadb: created database test and user 'test'@'127.0.0.1' ($how)"
  else
    log "mariadb: could not create user 'test'@'127.0.0.1' (no root access through the socket or TCP);"
    log "mariadb: set BECKON_MARIADB_USER/BECKON_MARIADB_PASSWORD (and BECKON_MARIADB_URL) for the tests"
  fi
}

start_mariadb() {
  local port=${BECKON_MARIADB_PORT:-3306}
  if port_open "$port"; then
    log "mariadb: something already answers on 127.0.0.1:$port, using it"
    mariadb_ensure_test_user "$port"
    return 0
  fi
  if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then
    apt_install mariadb-server
    if port_open "$port"; then   # apt started the packaged service (systemd hosts)
      log "mariadb: the package started its own server on 127.0.0.1:$port, using it"
      mariadb_ensure_test_user "$port"
      return 0
    fi
  fi
  local daemon
  daemon=$(command -v mariadbd || echo /usr/sbin/mariadbd)
  local user
  user=$(id -un)
  [ "$(id -u)" -eq 0 ] && user=mysql
  local dir
  dir=$(server_dir mariadb "$user")
  local logfile=$dir/mariadb.log
  local sock=$dir/mariadb.sock
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$user" "$dir"
  if [ ! -d "$dir/data/mysql" ]; then
    log "mariadb: mariadb-install-db in $dir/data"
    mariadb-install-db --no-defaults --user="$user" --datadir="$dir/data" \
      --auth-root-authentication-method=socket --skip-test-db >"$dir/install-db.log" 2>&1 \
      || { tail -n 30 "$dir/install-db.log" >&2; die "mariadb: mariadb-install-db failed"; }
  fi
  log "starting mariadb on 127.0.0.1:$port (data in $dir/data)"
  # mariadbd writes its own pid file as $user: the directory is theirs, the file is not pre-created
  spawn "$logfile" "$daemon" --no-defaults --user="$user" --datadir="$dir/data" --port="$port" \
    --bind-address=127.0.0.1 --socket="$sock" --pid-file="$dir/mariadbd.pid" \
    --innodb-flush-log-at-trx-commit=2 --skip-log-bin
  wait_port mariadb "$port" 60 "$logfile"
  mariadb_ensure_test_user "$port" "$sock"
}

BECKON_SERVERS+=(mariadb)
