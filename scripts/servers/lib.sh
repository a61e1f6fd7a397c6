# Shared helpers for starting the real test servers. Sourced by scripts/test.sh, scripts/bench.sh and
# scripts/servers/start.sh.
# Each module ships the servers its tests need: <module>/src/test/servers/<name>.sh defines
# start_<name> and registers it with: BECKON_SERVERS+=(<name>). load_server_scripts finds them all,
# so a new store adds its script to its own module and no script here changes.
# Rules (see README "Running the tests"):
#  - a server that already answers on its port is used as it is;
#  - otherwise it is installed if missing (Debian packages or npm into .test-servers/) and started
#    on 127.0.0.1 only, detached (setsid, stdin/stdout/stderr redirected) so CI never waits on it;
#  - a server that does not come up fails the run, printing its log. Nothing is ever skipped.

BECKON_ROOT=${BECKON_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BECKON_SERVERS_DIR=${BECKON_SERVERS_DIR:-$BECKON_ROOT/.test-servers}
BECKON_SERVERS=()
mkdir -p "$BECKON_SERVERS_DIR"

log() { printf '[servers] %s\n' "$*" >&2; }
die() { printf '[servers] ERROR: %s\n' "$*" >&2; exit 1; }

# port_open PORT [HOST]: true when something accepts TCP connections there.
port_open() {
  local port=$1 host=${2:-127.0.0.1}
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

# wait_port NAME PORT SECONDS [LOGFILE]: wait until the port answers, else fail with the log.
wait_port() {
  local name=$1 port=$2 secs=$3 logfile=${4:-}
  local i
  for ((i = 0; i < secs * 10; i++)); do
    port_open "$port" && { log "$name is up on 127.0.0.1:$port"; return 0; }
    sleep 0.1
  done
  [ -n "$logfile" ] && [ -f "$logfile" ] && tail -n 50 "$logfile" >&2
  die "$name did not answer on 127.0.0.1:$port within ${secs}s"
}

# apt_install PKG...: install Debian packages that are missing (apt-get update once per run).
BECKON_APT_UPDATED=
apt_install() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  if [ -z "$BECKON_APT_UPDATED" ]; then
    log "apt-get update"
    $sudo apt-get update -qq >/dev/null || die "apt-get update failed"
    BECKON_APT_UPDATED=1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

# npm_install PKG@VERSION: install an npm package into .test-servers/ unless it is there.
npm_install() {
  local spec=$1 name=${1%@*}
  if [ ! -d "$BECKON_SERVERS_DIR/node_modules/$name" ]; then
    command -v npm >/dev/null || apt_install nodejs npm
    log "npm install $spec"
    (cd "$BECKON_SERVERS_DIR" && npm install --no-audit --no-fund --loglevel=error "$spec" >/dev/null) \
      || die "npm install $spec failed"
  fi
}

# spawn LOGFILE CMD...: start a long-running process fully detached from this shell.
spawn() {
  local logfile=$1; shift
  setsid "$@" </dev/null >"$logfile" 2>&1 &
  disown || true
}

# load_server_scripts: source every <module>/src/test/servers/*.sh of the checkout, in path order.
load_server_scripts() {
  local f found=
  for f in "$BECKON_ROOT"/*/src/test/servers/*.sh; do
    [ -f "$f" ] || continue
    # shellcheck source=/dev/null
    source "$f"
    found=1
  done
  [ -n "$found" ] || die "no server scripts under $BECKON_ROOT/*/src/test/servers/"
}

# start_all_servers: start every registered server.
start_all_servers() {
  local s
  for s in "${BECKON_SERVERS[@]}"; do "start_$s"; done
}

# server_dir NAME OSUSER: where a server running as OSUSER keeps its data: .test-servers/NAME, or
# /var/tmp/beckon-test-servers/NAME when OSUSER cannot reach .test-servers (a checkout under /root).
server_dir() {
  local name=$1 osuser=$2
  if [ "$(id -u)" -eq 0 ] && [ "$osuser" != root ] && ! runuser -u "$osuser" -- test -x "$BECKON_SERVERS_DIR"; then
    mkdir -p /var/tmp/beckon-test-servers && chmod 755 /var/tmp/beckon-test-servers
    log "$name: $osuser cannot reach $BECKON_SERVERS_DIR; using /var/tmp/beckon-test-servers/$name"
    echo "/var/tmp/beckon-test-servers/$name"
  else
    echo "$BECKON_SERVERS_DIR/$name"
  fi
}
