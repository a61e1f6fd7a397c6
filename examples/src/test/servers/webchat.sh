# Microsoft Web Chat in a real browser, for examples' WebChatBrowserTest (and the browser demo's
# webchat.js): not a server that listens, but three pieces fetched into .test-servers/ when missing,
# like the other servers (a piece that cannot be had fails the run; nothing is skipped):
#  - botframework-webchat 4.18.1 dist/webchat.js, from the npm registry's tarball with curl (no
#    Node needed), checked against the registry's integrity hash (sha512, pinned below);
#  - Debian's chromium (/usr/bin/chromium), headless;
#  - npm playwright-core 1.65.1, which drives it (the test's drive.js runs on Node).
# scripts/demo.sh --browser calls only fetch_webchat: the demo needs Java and webchat.js, no Node.

BECKON_WEBCHAT_VERSION=4.18.1
# the registry's dist.integrity: sha512-7jpEUJ7olT62Xm+8eh7BhhIcXVfU2xD4pZDaeBt8K4XcNy6K/83UGIxE9BFkXmHMZ4hDEVOzs5cre07GWuaXzg==
BECKON_WEBCHAT_SHA512=ee3a44509ee8953eb65e6fbc7a1ec186121c5d57d4db10f8a590da781b7c2b85dc372e8affcdd4188c44f411645e61cc6788431153b3b3972b7b4ec65ae697ce

# fetch_webchat: .test-servers/webchat/4.18.1/webchat.js, unless it is there.
fetch_webchat() {
  local dir=$BECKON_SERVERS_DIR/webchat/$BECKON_WEBCHAT_VERSION
  [ -s "$dir/webchat.js" ] && return 0
  command -v curl >/dev/null || apt_install curl ca-certificates
  mkdir -p "$dir"
  local tgz=$dir/botframework-webchat.tgz.part
  local url=https://registry.npmjs.org/botframework-webchat/-/botframework-webchat-$BECKON_WEBCHAT_VERSION.tgz
  log "fetching $url"
  curl -fsSL --max-time 300 -o "$tgz" "$url" || { rm -f "$tgz"; die "cannot fetch $url"; }
  local got
  got=$(sha512sum "$tgz" | cut -d' ' -f1)
  if [ "$got" != "$BECKON_WEBCHAT_SHA512" ]; then
    rm -f "$tgz"
    die "botframework-webchat-$BECKON_WEBCHAT_VERSION.tgz does not match the registry's integrity hash (sha512 $got)"
  fi
  tar -xzf "$tgz" -C "$dir" --strip-components=2 package/dist/webchat.js package/dist/webchat.js.LICENSE.txt \
    || { rm -f "$tgz"; die "cannot unpack dist/webchat.js"; }
  rm -f "$tgz"
  log "webchat.js $BECKON_WEBCHAT_VERSION is in $dir"
}

start_webchat() {
  fetch_webchat
  [ -x /usr/bin/chromium ] || apt_install chromium
  command -v node >/dev/null || apt_install nodejs npm
  npm_install playwright-core@1.65.1
  log "webchat: chromium $(/usr/bin/chromium --version 2>/dev/null | cut -d' ' -f2), playwright-core, webchat.js $BECKON_WEBCHAT_VERSION ready"
}

BECKON_SERVERS+=(webchat)
