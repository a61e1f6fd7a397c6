# Azurite 3.37.0 (table service only) for storage-azure-table's tests, on 127.0.0.1:10002,
# in memory. Tests use the well-known devstoreaccount1 account (BECKON_AZURE_CONNECTION_STRING overrides).

start_azurite() {
  local port=${BECKON_AZURITE_PORT:-10002}
  if port_open "$port"; then
    log "azurite: something already answers on 127.0.0.1:$port, using it"
    return 0
  fi
  command -v node >/dev/null || apt_install nodejs npm
  npm_install azurite@3.37.0
  local logfile=$BECKON_SERVERS_DIR/azurite.log
  log "starting azurite-table on 127.0.0.1:$port (in memory)"
  spawn "$logfile" "$BECKON_SERVERS_DIR/node_modules/.bin/azurite-table" \
    --tableHost 127.0.0.1 --tablePort "$port" --inMemoryPersistence --disableTelemetry --skipApiVersionCheck --loose
  wait_port azurite "$port" 60 "$logfile"
}

BECKON_SERVERS+=(azurite)
