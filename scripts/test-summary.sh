#!/usr/bin/env bash
# Prints tests run / failed / errors / skipped per module from the Surefire reports, and exits
# non-zero when any test was skipped: a skipped test is never counted as passing.
set -euo pipefail
cd "$(dirname "$0")/.."
total_skipped=0
printf '%-28s %7s %7s %7s %7s\n' module tests failed errors skipped
for dir in */target/surefire-reports */target/failsafe-reports; do
  [ -d "$dir" ] || continue
  module=${dir%%/*}; case "$dir" in *failsafe*) module="$module (jar)" ;; esac
  # counted from the <testcase> elements: Surefire writes tests="0" on the <testsuite> of a class
  # whose tests are all in @Nested classes (the contract kit's)
  read -r t f e s < <(cat "$dir"/TEST-*.xml 2>/dev/null | grep -o '<testcase \|<failure\b\|<error\b\|<skipped\b' \
    | awk '{
        if ($0 ~ /^<testcase/) t++; else if ($0 ~ /^<failure/) f++;
        else if ($0 ~ /^<error/) e++; else if ($0 ~ /^<skipped/) s++;
      } END { print t+0, f+0, e+0, s+0 }')
  printf '%-28s %7s %7s %7s %7s\n' "$module" "$t" "$f" "$e" "$s"
  total_skipped=$((total_skipped + s))
done
csv=coverage/target/site/jacoco-aggregate/jacoco.csv
if [ -f "$csv" ]; then
  # JaCoCo's aggregate over the reactor: every module's tests count for every module's code
  echo
  # (the CLI, beckon-cli, is listed but is not library code: it stays out of the total)
  # the CLI and the examples are tested as child processes, which JaCoCo does not follow: they
  # are listed, but the total is the libraries' (core, testkit, the stores)
  awk -F, 'NR > 1 {
      g = $1; sub(/.*\//, "", g)
      bm[g] += $6; bc[g] += $7; lm[g] += $8; lc[g] += $9
      if (g != "beckon-examples" && g != "beckon-cli") { BM += $6; BC += $7; LM += $8; LC += $9 }
    }
    function pct(c, m) { return (c + m) ? sprintf("%.1f%%", 100 * c / (c + m)) : "-" }
    END {
      printf "1 %-33s %8s %8s\n", "coverage", "lines", "branches"
      for (g in lm) printf "2 %-33s %8s %8s\n", g, pct(lc[g], lm[g]), pct(bc[g], bm[g])
      printf "3 %-33s %8s %8s\n", "libraries (core, testkit, stores)", pct(LC, LM), pct(BC, BM)
    }' "$csv" | sort -k1,1n -k2,2 | cut -d' ' -f2-
fi
if [ "$total_skipped" -gt 0 ]; then
  echo "FAILED: $total_skipped test(s) were skipped; Beckon counts a skipped test as a failure" >&2
  exit 1
fi
