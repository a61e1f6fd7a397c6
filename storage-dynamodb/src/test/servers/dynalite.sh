# dynalite 4.0.0: the DynamoDB API on LevelDB (in memory here), for storage-dynamodb's tests.
# Amazon's DynamoDB Local is not used (licence). dynalite has no TTL (UpdateTimeToLive) and no
# transactions; the store does not need either (see README "DynamoDB").
# Tests connect to http://127.0.0.1:${BECKON_DYNALITE_PORT:-4567} (system property
# beckon.dynamodb.endpoint or env BECKON_DYNAMODB_ENDPOINT override it).

start_dynalite() {
  local port=${BECKON_DYNALITE_PORT:-4567}
  if port_open "$port"; then
    log "dynalite: something already answers on 127.0.0.1:$port, using it"
    return 0
  fi
  npm_install dynalite@4.0.0
  command -v node >/dev/null || apt_install nodejs
  local logfile=$BECKON_SERVERS_DIR/dynalite.log
  # dynalite 4.0.0 rethrows a client's aborted request (ECONNRESET, e.g. after an SDK timeout)
  # as an uncaught exception and the whole server dies; this preload logs those and keeps serving.
  local keepalive=$BECKON_SERVERS_DIR/dynalite-keepalive.js
  cat >"$keepalive" <<'JS'
process.on('uncaughtException', function (err) {
  if (err && err.code === 'ECONNRESET') {
    console.error('dynalite: a client aborted a request (ignored): ' + err.message)
    return
  }
  console.error(err)
  process.exit(1)
})
JS
  log "starting dynalite on 127.0.0.1:$port (in memory)"
  spawn "$logfile" node --require "$keepalive" "$BECKON_SERVERS_DIR/node_modules/dynalite/cli.js" \
    --host 127.0.0.1 --port "$port" --createTableMs 0 --deleteTableMs 0 --updateTableMs 0
  wait_port dynalite "$port" 30 "$logfile"
}

BECKON_SERVERS+=(dynalite)
