#!/usr/bin/env bash
# Transfer benchmark on the local demo server: time and peak memory of
#   - a SIZE_MB upload with `k2s upload` against the reference's upload.sh flow (curl + jq),
#   - a SIZE_MB download with `k2s download` against curl and, when installed, aria2c -x4,
# once without and once with a per-connection bandwidth cap on the demo server.
# Prints a table. Needs: curl, jq, /usr/bin/time (GNU time); aria2c is optional.
#
# Uncapped cases run RUNS times (default 3) and show the median; capped ones run once (they
# take tens of seconds and vary little). Every run starts after `sync`, so that no tool pays for
# writing back what the previous one wrote.
#
#   scripts/bench-transfer.sh                 # 1 GiB, cap 25 MiB/s per connection
#   SIZE_MB=2048 BW=52428800 RUNS=1 scripts/bench-transfer.sh
#   RUNS=5 CAPPED=0 scripts/bench-transfer.sh      # uncapped only, median of 5
#   K2S=target/release/k2s KEEP=1 scripts/bench-transfer.sh
#   UPLOADS=0 scripts/bench-transfer.sh           # without the upload cases (see below)
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB=${SIZE_MB:-1024}
BW=${BW:-26214400}
RUNS=${RUNS:-3}
TOKEN=demo-partner-token
K2S=${K2S:-target/release/k2s}

for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench: GNU time (/usr/bin/time) is needed" >&2; exit 1; }
if [ ! -x "$K2S" ]; then
  echo "bench: building $K2S" >&2
  cargo build --release --quiet
fi
K2S=$(realpath "$K2S")
HAVE_ARIA=0
command -v aria2c >/dev/null && HAVE_ARIA=1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/k2s-bench.XXXXXX")
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

BIG=$WORK/big.bin
echo "bench: writing a ${SIZE_MB} MiB test file" >&2
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom >"$BIG"
BYTES=$(stat -c %s "$BIG")
RESULTS=$WORK/results.tsv
: >"$RESULTS"

# New content for every upload: otherwise findFile + createFileByHash sends no bytes at all.
fresh_content() {
  head -c 32 /dev/urandom | dd of="$BIG" conv=notrunc status=none
}

start_server() { # $1: extra flags
  local dir=$WORK/demo-data
  rm -rf "$dir"
  # shellcheck disable=SC2086
  "$K2S" demo-server --data-dir "$dir" $1 >"$WORK/server.out" 2>"$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 100); do
    API=$(head -n1 "$WORK/server.out" 2>/dev/null || true)
    if [ -n "$API" ]; then
      K2S_CMD=(env "K2S_ACCESS_TOKEN=$TOKEN" "$K2S" --api-url "$API" --config-dir "$WORK/cfg")
      return 0
    fi
    sleep 0.1
  done
  echo "bench: the demo server did not start" >&2
  cat "$WORK/server.err" >&2
  exit 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# measure LABEL TOOL CMD...: wall time and peak RSS of CMD (and its children), the median of
# $REPEAT runs (1 unless set), each after `$PREP` (a function name, optional) and `sync`.
measure() {
  local label=$1 tool=$2
  shift 2
  local t0 t1 rss secs=() peak=0
  for ((run = 1; run <= ${REPEAT:-1}; run++)); do
    [ -n "${PREP:-}" ] && "$PREP"
    sync
    t0=$(date +%s.%N)
    if ! /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/cmd.out" 2>"$WORK/cmd.err"; then
      echo "bench: $tool failed ($label):" >&2
      tail -n 5 "$WORK/cmd.err" >&2
      printf '%s\t%s\tfailed\t-\t-\t-\n' "$label" "$tool" >>"$RESULTS"
      return 0
    fi
    t1=$(date +%s.%N)
    secs+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')")
    rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$WORK/time.txt")
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  local all median
  all=$(printf '%s ' "${secs[@]}")
  median=$(printf '%s\n' "${secs[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  awk -v l="$label" -v t="$tool" -v s="$median" -v r="$peak" -v n="$BYTES" -v all="${all% }" 'BEGIN {
    printf "%s\t%s\t%.2f\t%.1f\t%.1f\t%s\n", l, t, s, n / 1048576 / s, r / 1024, all }' >>"$RESULTS"
}

# The k2s command line for the running demo server (set by start_server).
K2S_CMD=()

reference_upload() { # the reference's upload.sh, with the demo's URL and token
  cat >"$WORK/upload.sh" <<'EOF'
#!/bin/bash
set -e
cmd=$(curl -s -H 'Content-Type: application/json' -d "{\"access_token\": \"$TOKEN\"}" "$API/getUploadFormData" | jq -r .)
Form_Action=$(echo "$cmd" | jq -r ".form_action")
FileField=$(echo "$cmd" | jq -r ".file_field")
Ajax=$(echo "$cmd" | jq -r ".form_data.ajax")
Params=$(echo "$cmd" | jq -r ".form_data.params")
Sig=$(echo "$cmd" | jq -r ".form_data.signature")
cmd2=$(curl -s -F "$FileField=@$FullFileName" -F "ajax=$Ajax" -F "signature=$Sig" -F "params=$Params" "$Form_Action")
echo "$cmd2" | jq -e '.user_file_id' >/dev/null
EOF
  chmod +x "$WORK/upload.sh"
  TOKEN=$TOKEN API=$API FullFileName=$BIG measure "$1" "upload.sh (curl)" "$WORK/upload.sh"
}

clear_dl() { rm -f "$WORK"/dl/*; }

run_round() { # $1: label suffix, $2: server flags, $3: runs per case
  local sfx=$1
  start_server "$2"
  mkdir -p "$WORK/dl"
  export REPEAT=$3

  PREP=fresh_content measure "upload$sfx" "k2s upload" "${K2S_CMD[@]}" --json upload "$BIG"
  local id
  id=$(jq -r 'select(.state == "done") | .file_id' "$WORK/cmd.out" | head -n1)
  PREP=fresh_content reference_upload "upload$sfx"
  if [ -z "$id" ] || [ "$id" = null ]; then
    echo "bench: no file id from k2s upload; skipping downloads" >&2
    stop_server
    return
  fi

  # Download URLs stay valid for a day on the demo server: one serves every run.
  local url
  url=$("${K2S_CMD[@]}" url "$id")
  PREP=clear_dl measure "download$sfx" "k2s download (<=4 conn)" "${K2S_CMD[@]}" --json download "$id" --dir "$WORK/dl"
  # The same with the size checked but not the md5: what the transfer itself costs.
  PREP=clear_dl measure "download$sfx" "k2s --no-verify-md5" "${K2S_CMD[@]}" --json download "$id" --dir "$WORK/dl" --no-verify-md5
  PREP=clear_dl measure "download$sfx" "curl" curl -s -f -o "$WORK/dl/curl.bin" "$url"
  # k2s checks the md5 of what it downloaded: curl with the same check, for comparison.
  PREP=clear_dl measure "download$sfx" "curl + md5sum" bash -c 'curl -s -f -o "$1" "$2" && md5sum "$1" >/dev/null' _ "$WORK/dl/curl.bin" "$url"
  if [ "$HAVE_ARIA" = 1 ]; then
    PREP=clear_dl measure "download$sfx" "aria2c -x4" aria2c -q -x4 -s4 --allow-overwrite=true -d "$WORK/dl" -o aria.bin "$url"
  fi
  clear_dl
  stop_server
}

run_round "" "" "$RUNS"
# CAPPED=0 skips the capped round (it takes a few minutes and varies little).
if [ "${CAPPED:-1}" != 0 ]; then
  run_round " (cap $((BW / 1048576)) MiB/s/conn)" "--bandwidth $BW" 1
fi

# ---- Upload cases (self-contained): rows in $RESULTS, ratios against their goals in $UPLOAD_NOTES.
#   new content, uncapped: k2s upload against upload.sh              goal <= 1.05
#   content the service has, 16 MiB/s link: against sending it      goal <= 0.1
#   200 files of 1 MiB, `k2s upload DIR`: API calls per file         goal <= 1.05
#     and wall time against the request budget (calls / 5 per s)     goal <= 1.1
#   (the sequential upload.sh loop over the same files, which ignores any rate limit, beside it)
# Calls are counted by the demo server (GET /demo/stats). UPLOADS=0 skips them.
UPLOAD_NOTES=$WORK/upload-notes.txt
: >"$UPLOAD_NOTES"

# The seconds of the last row of $RESULTS with this label and tool.
upload_secs() {
  awk -F'\t' -v l="$1" -v t="$2" '$1 == l && $2 == t { s = $3 } END { print s }' "$RESULTS"
}

# upload_note NAME A B GOAL: the ratio A / B against its goal.
upload_note() {
  awk -v n="$1" -v a="$2" -v b="$3" -v g="$4" 'BEGIN {
    if (a == "" || b == "" || a == "failed" || b == "failed" || b + 0 == 0) { printf "%-56s not measured\n", n; exit }
    r = a / b; printf "%-56s %7.3f  (goal <= %s) %s\n", n, r, g, (r <= g + 0 ? "met" : "MISSED") }' >>"$UPLOAD_NOTES"
}

upload_calls() { curl -s "${API%/api/v2}/demo/stats" | jq -r '.total_calls // 0'; }

upload_cases() {
  local label files=200 before calls secs
  start_server ""
  label="upload new content"
  REPEAT=$RUNS PREP=fresh_content measure "$label" "k2s upload" "${K2S_CMD[@]}" --json upload "$BIG"
  REPEAT=$RUNS PREP=fresh_content reference_upload "$label"
  upload_note "new content, uncapped: k2s / upload.sh" \
    "$(upload_secs "$label" "k2s upload")" "$(upload_secs "$label" "upload.sh (curl)")" 1.05
  stop_server

  start_server "--bandwidth 16777216"
  label="upload (cap 16 MiB/s/conn)"
  fresh_content
  REPEAT=1 measure "$label" "k2s upload, new content" "${K2S_CMD[@]}" --json upload "$BIG"
  REPEAT=1 measure "$label" "k2s upload, known content" "${K2S_CMD[@]}" --json upload "$BIG"
  upload_note "known content, 16 MiB/s: known / new" \
    "$(upload_secs "$label" "k2s upload, known content")" "$(upload_secs "$label" "k2s upload, new content")" 0.1
  stop_server

  rm -rf "$WORK/small" && mkdir -p "$WORK/small"
  head -c $((files * 1048576)) /dev/urandom | split -b 1048576 -d -a 3 - "$WORK/small/f"
  start_server ""
  label="upload $files x 1 MiB"
  before=$(upload_calls)
  BYTES=$((files * 1048576)) REPEAT=1 measure "$label" "k2s upload DIR" "${K2S_CMD[@]}" --json upload "$WORK/small"
  calls=$(($(upload_calls) - before))
  secs=$(upload_secs "$label" "k2s upload DIR")
  upload_note "$files x 1 MiB: API calls per file ($calls calls)" "$calls" "$files" 1.05
  upload_note "$files x 1 MiB: wall time / (calls / 5 per s)" "$secs" "$(awk -v c="$calls" 'BEGIN { print c / 5 }')" 1.1
  printf '#!/bin/bash\nset -e\nfor f in "$SMALL"/*; do FullFileName=$f "$UPLOAD_SH"; done\n' >"$WORK/upload-loop.sh"
  chmod +x "$WORK/upload-loop.sh"
  SMALL=$WORK/small UPLOAD_SH=$WORK/upload.sh TOKEN=$TOKEN API=$API BYTES=$((files * 1048576)) REPEAT=1 \
    measure "$label" "upload.sh loop (no limit)" "$WORK/upload-loop.sh"
  stop_server
  rm -rf "$WORK/small"
}

if [ "${UPLOADS:-1}" != 0 ]; then
  upload_cases
fi
# ---- end of the upload cases

echo
printf '%-30s %-24s %8s %7s %9s  %s\n' "CASE (${SIZE_MB} MiB)" TOOL SECONDS "MiB/s" "RSS MiB" "RUNS (s)"
while IFS=$'\t' read -r label tool secs rate rss all; do
  printf '%-30s %-24s %8s %7s %9s  %s\n' "$label" "$tool" "$secs" "$rate" "$rss" "$all"
done <"$RESULTS"
[ "$HAVE_ARIA" = 1 ] || echo "(aria2c is not installed: its rows are missing)"
if [ -s "$UPLOAD_NOTES" ]; then
  echo
  echo "UPLOAD GOALS (${SIZE_MB} MiB unless said)"
  cat "$UPLOAD_NOTES"
fi
