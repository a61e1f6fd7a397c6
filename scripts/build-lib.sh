# Shared by the scripts that run Beckon from source (demo.sh, beckon, bench.sh): one Maven call,
# through the wrapper (a fresh machine needs only a JDK), with plain output (no ANSI colours).
# Sourced; defines BECKON_ROOT, mvn_build and stale.
BECKON_ROOT=${BECKON_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

# mvn_build ARGS...: the Maven wrapper in batch mode, no transfer progress, no colours.
mvn_build() {
  (cd "$BECKON_ROOT" && ./mvnw -B -ntp -Dstyle.color=never "$@")
}

# stale FILE: true when FILE is missing or older than any pom or main source/resource file.
stale() {
  [ ! -f "$1" ] && return 0
  [ -n "$(find "$BECKON_ROOT/pom.xml" "$BECKON_ROOT"/*/pom.xml "$BECKON_ROOT"/*/src/main -newer "$1" -print -quit 2>/dev/null)" ]
}
