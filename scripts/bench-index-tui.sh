#!/usr/bin/env bash
# The TUI's memory with the account index open (README, "The account index"): the release demo
# server seeded with 500,000 files in 5,000 folders, an index built with `k2s index`, then the
# release TUI in tmux: the finder (Ctrl-p) loads every name and answers a query, the usage view
# (Alt-u), the duplicates view (Alt-d) and the health view (Alt-h) open; then the peak RSS
# (VmHWM) of the TUI process. Prints
#   index-tui<TAB>case<TAB>value<TAB>unit
# K2S_BENCH_FILES=N for another size. Needs tmux and a release build (`cargo build --release`).
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=${K2S_BENCH_FILES:-500000}
BIN=${K2S:-target/release/k2s}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/k2s-bench-index-tui.XXXXXX")
SESSION="k2s-bench-index-tui-$$"
SERVER=""
cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  # The TUI may still be saving its state as its session goes: a second try once it has.
  rm -rf "$WORK" 2>/dev/null || { sleep 1; rm -rf "$WORK"; }
}
trap cleanup EXIT

"$BIN" demo-server --scale-files "$FILES" >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER=$!
for _ in $(seq 600); do
  [ -s "$WORK/server.out" ] && break
  sleep 0.1
done
API=$(head -n1 "$WORK/server.out")
[ -n "$API" ] || { cat "$WORK/server.err" >&2; echo "bench-index-tui: no server" >&2; exit 1; }

export K2S_CONFIG_DIR="$WORK/config" K2S_ACCESS_TOKEN=demo-partner-token
unset K2S_API_URL K2S_PROFILE K2S_LOG
start=$(date +%s.%N)
"$BIN" --api-url "$API" --rate 1000 --json index >"$WORK/index.json"
end=$(date +%s.%N)
printf 'index-tui\tcrawl_seconds_at_1000_rps\t%.1f\ts\n' "$(echo "$end - $start" | bc)"
printf 'index-tui\tcrawl\t%s\tjson\n' "$(tr -d '\n' <"$WORK/index.json")"
size=$(du -k "$K2S_CONFIG_DIR" | tail -1 | cut -f1)
printf 'index-tui\tstate_folder_with_index\t%.1f\tMiB\n' "$(echo "$size / 1024" | bc -l)"

tmux new-session -d -s "$SESSION" -x 160 -y 45 \
  "exec env TERM=xterm-256color K2S_CONFIG_DIR=$K2S_CONFIG_DIR K2S_ACCESS_TOKEN=demo-partner-token $BIN --api-url $API"
PID=$(tmux display -p -t "$SESSION" '#{pane_pid}')
wait_screen() {
  for _ in $(seq 600); do
    tmux capture-pane -p -t "$SESSION" | grep -qF "$1" && return 0
    sleep 0.1
  done
  tmux capture-pane -p -t "$SESSION" >&2
  echo "bench-index-tui: timed out waiting for '$1'" >&2
  exit 1
}
wait_screen "scale"
tmux send-keys -t "$SESSION" C-p
wait_screen "Find in the account"
tmux send-keys -t "$SESSION" "holid"
sleep 5
tmux send-keys -t "$SESSION" Escape
sleep 0.5
for view in M-u M-d M-h; do
  tmux send-keys -t "$SESSION" "$view"
  sleep 6
  tmux send-keys -t "$SESSION" Escape
  sleep 0.5
done
hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$PID/status")
rss=$(awk '/VmRSS/ { print $2 }' "/proc/$PID/status")
printf 'index-tui\tpeak_rss_with_the_index_open\t%.1f\tMiB\n' "$(echo "$hwm / 1024" | bc -l)"
printf 'index-tui\trss_after_the_views\t%.1f\tMiB\n' "$(echo "$rss / 1024" | bc -l)"
