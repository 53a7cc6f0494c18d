#!/usr/bin/env bash
# TUI benchmark: a folder of 50,000 files on the local demo server, opened in the real binary
# in a pseudo-terminal (the ignored test `bench_fifty_thousand_files` of tests/tui_e2e.rs,
# release build). Runs it RUNS times (default 3) and prints the median of each figure as
#   tui<TAB>case<TAB>value<TAB>unit
# for peak RSS (VmHWM of the TUI process), time to the first rows and time to fully listed.
# The test's whole output goes to stderr.
#
#   scripts/bench-tui.sh
#   RUNS=5 scripts/bench-tui.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}

cargo test --release --quiet --test tui_e2e --no-run >&2
OUT=$(mktemp "${TMPDIR:-/tmp}/k2s-bench-tui.XXXXXX")
trap 'rm -f "$OUT"' EXIT

for _ in $(seq "$RUNS"); do
  cargo test --release --quiet --test tui_e2e -- --ignored --nocapture --exact \
    bench_fifty_thousand_files >>"$OUT" 2>&1 || { cat "$OUT" >&2; echo "bench-tui: the bench failed" >&2; exit 1; }
done
cat "$OUT" >&2

# The median of the figure after `label:` over the runs.
median() {
  grep -F "$1" "$OUT" | sed 's/.*: *//' | awk '{ print $1 }' | sort -n |
    awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "?" }'
}

rss_kib=$(median "peak memory (VmHWM):")
first=$(median "time to first rows:")
full=$(median "time to fully listed:")
awk -v k="$rss_kib" 'BEGIN { if (k == "?") print "tui\tpeak_rss_50k_files\t?\tMiB"; else printf "tui\tpeak_rss_50k_files\t%.1f\tMiB\n", k / 1024 }'
printf 'tui\tfirst_rows_50k_files\t%s\tms\n' "$first"
printf 'tui\tfully_listed_50k_files\t%s\tms\n' "$full"
