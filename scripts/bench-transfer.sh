#!/usr/bin/env bash
# Transfer benchmark on the local demo server. In one run it measures every row of the
# performance table (issue 13) and prints them as
#   case | k2s | reference tool | ratio | goal | met?
# after a table of every measurement (wall time, speed, peak RSS, each run).
#
#   - download, uncapped, md5 verified: `k2s download` against curl + md5sum (goal <= 0.65x);
#   - download, BW per connection (default 16 MiB/s, the demo's `--bandwidth`): `k2s download`
#     (no flag: it opens connections as they help) against `aria2c -x16 -s16` (goal <= 1.0x);
#   - upload of new content: `k2s upload` against the reference's upload.sh flow (curl + jq),
#     uncapped and capped (the capped one runs once);
#   - peak RSS of a RSS_MB (default 2 GiB) upload and download (goal <= 40 MiB);
#   - the TUI rows, from scripts/bench-tui.sh when it exists (lines `tui<TAB>case<TAB>value<TAB>unit`).
# Times are medians of RUNS runs (default 3). Every run starts after `sync`, so that no tool pays
# for writing back what the previous one wrote.
#
#   scripts/bench-transfer.sh                        # 1 GiB, 16 MiB/s per connection
#   SIZE_MB=256 RUNS=5 scripts/bench-transfer.sh
#   CAPPED=0 RSS_MB=0 scripts/bench-transfer.sh      # uncapped only, no 2 GiB memory case
#   K2S=target/release/k2s KEEP=1 scripts/bench-transfer.sh
#   UPLOADS=0 scripts/bench-transfer.sh             # without the known-content and 200-file upload cases
#   ONLY=download SIZE_MB=512 scripts/bench-transfer.sh  # the uncapped download cases only
#   ONLY=upload SIZE_MB=512 scripts/bench-transfer.sh    # the uncapped upload cases only
# Needs: curl, jq, /usr/bin/time (GNU time), aria2c (its rows are skipped without it).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB=${SIZE_MB:-1024}
BW=${BW:-16777216}
RUNS=${RUNS:-3}
RSS_MB=${RSS_MB:-2048}
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
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

BIG=$WORK/big.bin
echo "bench: writing a ${SIZE_MB} MiB test file" >&2
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom >"$BIG"
BYTES=$(stat -c %s "$BIG")
# Every measurement: label, tool, median s, MiB/s, peak RSS MiB, all runs.
RESULTS=$WORK/results.tsv
# The summary: case, k2s, reference, ratio, goal, met.
TABLE=$WORK/table.tsv
: >"$RESULTS"
: >"$TABLE"

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
  local t0 t1 rss secs=() peak=0 bytes=${MEASURE_BYTES:-$BYTES}
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
  awk -v l="$label" -v t="$tool" -v s="$median" -v r="$peak" -v n="$bytes" -v all="${all% }" 'BEGIN {
    printf "%s\t%s\t%.2f\t%.1f\t%.1f\t%s\n", l, t, s, n / 1048576 / s, r / 1024, all }' >>"$RESULTS"
}

# result LABEL TOOL COLUMN: one field of a measurement (3 = seconds, 5 = RSS MiB); "-" if none.
result() {
  awk -F'\t' -v l="$1" -v t="$2" -v c="$3" '$1 == l && $2 == t { v = $c } END { print (v == "" ? "-" : v) }' "$RESULTS"
}

# ratio_row CASE LABEL K2S_TOOL REF_LABEL REF_TOOL GOAL: a table row comparing two times.
ratio_row() {
  local case=$1 label=$2 tool=$3 rlabel=$4 rtool=$5 goal=$6 k r
  k=$(result "$label" "$tool" 3)
  r=$(result "$rlabel" "$rtool" 3)
  awk -v c="$case" -v k="$k" -v r="$r" -v rt="$rtool" -v g="$goal" 'BEGIN {
    if (k !~ /^[0-9.]+$/ || r !~ /^[0-9.]+$/ || r + 0 == 0) {
      printf "%s\t%s s\t%s %s s\t-\t<= %sx\tnot measured\n", c, k, rt, r, g; exit }
    q = k / r
    printf "%s\t%.2f s\t%s %.2f s\t%.2fx\t<= %sx\t%s\n", c, k, rt, r, q, g, (q <= g ? "yes" : "NO") }' >>"$TABLE"
}

# value_row CASE VALUE REFERENCE GOAL MET: a table row for a figure without a ratio.
value_row() {
  printf '%s\t%s\t%s\t-\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$TABLE"
}

# The k2s command line for the running demo server (set by start_server).
K2S_CMD=()

reference_upload() { # $1: label; the reference's upload.sh, with the demo's URL and token
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

# ---- upload cases: k2s upload and upload.sh of new content; sets FILE_ID ----
upload_cases() { # $1: label suffix
  local sfx=$1
  PREP=fresh_content measure "upload$sfx" "k2s upload" "${K2S_CMD[@]}" --json upload "$BIG"
  FILE_ID=$(jq -r 'select(.state == "done") | .file_id' "$WORK/cmd.out" | head -n1)
  PREP=fresh_content reference_upload "upload$sfx"
}

# ---- download cases: FILE_ID with k2s, curl, curl + md5sum, aria2c ----
download_cases() { # $1: label suffix; $2: "capped" for the capped round
  local sfx=$1 url
  # Download URLs stay valid for a day on the demo server: one serves every run.
  url=$("${K2S_CMD[@]}" url "$FILE_ID")
  mkdir -p "$WORK/dl"
  PREP=clear_dl measure "download$sfx" "k2s download" "${K2S_CMD[@]}" --json download "$FILE_ID" --dir "$WORK/dl"
  if [ "$2" = capped ]; then
    if [ "$HAVE_ARIA" = 1 ]; then
      PREP=clear_dl measure "download$sfx" "aria2c -x16 -s16" aria2c -q -x16 -s16 --allow-overwrite=true -d "$WORK/dl" -o aria.bin "$url"
    fi
    # One connection, for scale (CURL_CAPPED=1: it takes SIZE_MB / cap seconds).
    if [ "${CURL_CAPPED:-0}" = 1 ]; then
      PREP=clear_dl measure "download$sfx" "curl" curl -s -f -o "$WORK/dl/curl.bin" "$url"
    fi
  else
    # The same with the size checked but not the md5: what the transfer itself costs.
    PREP=clear_dl measure "download$sfx" "k2s --no-verify-md5" "${K2S_CMD[@]}" --json download "$FILE_ID" --dir "$WORK/dl" --no-verify-md5
    PREP=clear_dl measure "download$sfx" "curl" curl -s -f -o "$WORK/dl/curl.bin" "$url"
    # k2s checks the md5 of what it downloaded: curl with the same check, for comparison.
    PREP=clear_dl measure "download$sfx" "curl + md5sum" bash -c 'curl -s -f -o "$1" "$2" && md5sum "$1" >/dev/null' _ "$WORK/dl/curl.bin" "$url"
    if [ "$HAVE_ARIA" = 1 ]; then
      PREP=clear_dl measure "download$sfx" "aria2c -x16 -s16" aria2c -q -x16 -s16 --allow-overwrite=true -d "$WORK/dl" -o aria.bin "$url"
    fi
  fi
  clear_dl
}

# ---- peak memory: a RSS_MB upload and download with k2s ----
rss_cases() {
  local file=$WORK/rss.bin id
  echo "bench: writing a ${RSS_MB} MiB file for the memory case" >&2
  head -c $((RSS_MB * 1024 * 1024)) /dev/urandom >"$file"
  mkdir -p "$WORK/dl"
  REPEAT=1 MEASURE_BYTES=$((RSS_MB * 1048576)) measure "rss" "k2s upload" "${K2S_CMD[@]}" --json upload "$file"
  id=$(jq -r 'select(.state == "done") | .file_id' "$WORK/cmd.out" | head -n1)
  rm -f "$file"
  if [ -n "$id" ] && [ "$id" != null ]; then
    REPEAT=1 MEASURE_BYTES=$((RSS_MB * 1048576)) measure "rss" "k2s download" "${K2S_CMD[@]}" --json download "$id" --dir "$WORK/dl"
  fi
  clear_dl
}

# ---- TUI cases: scripts/bench-tui.sh, when there, prints `tui<TAB>case<TAB>value<TAB>unit` ----
tui_goal() { # $1: case name; the goal of the table's row for it
  case "$1" in
    *rss* | *RSS* | *memory*) echo "<= 64 MiB" ;;
    *first*) echo "< 150 ms" ;;
    *full* | *listed* | *all*) echo "< 1000 ms" ;;
    *) echo "-" ;;
  esac
}

tui_met() { # $1: value, $2: unit, $3: goal text
  awk -v v="$1" -v u="$2" -v g="$3" 'BEGIN {
    n = split(g, p, " "); if (n < 3) { print "-"; exit }
    lim = p[2] + 0; gu = p[3]; x = v + 0
    if (u == "s" && gu == "ms") x *= 1000
    if (u == "KiB" && gu == "MiB") x /= 1024
    if (p[1] == "<=") print (x <= lim ? "yes" : "NO"); else print (x < lim ? "yes" : "NO") }'
}

tui_cases() {
  if [ ! -x scripts/bench-tui.sh ]; then
    value_row "TUI rows" "-" "-" "-" "not measured (no scripts/bench-tui.sh)"
    return
  fi
  local tag case value unit goal
  K2S=$K2S scripts/bench-tui.sh >"$WORK/tui.out" 2>"$WORK/tui.err" || echo "bench: bench-tui.sh failed" >&2
  while IFS=$'\t' read -r tag case value unit; do
    [ "$tag" = tui ] || continue
    goal=$(tui_goal "$case")
    value_row "TUI, $case" "$value $unit" "-" "$goal" "$(tui_met "$value" "$unit" "$goal")"
  done <"$WORK/tui.out"
}

# ONLY=download: the uncapped download cases only (one k2s upload provides the file).
# ONLY=upload: the uncapped upload cases only.
if [ -n "${ONLY:-}" ]; then
  CAPPED=0 RSS_MB=0 UPLOADS=0
fi

# ---- the rounds ----
FILE_ID=
start_server ""
if [ "${ONLY:-}" = download ]; then
  REPEAT=1 measure "upload" "k2s upload" "${K2S_CMD[@]}" --json upload "$BIG"
  FILE_ID=$(jq -r 'select(.state == "done") | .file_id' "$WORK/cmd.out" | head -n1)
else
  REPEAT=$RUNS upload_cases ""
fi
if [ "${ONLY:-}" = upload ]; then
  :
elif [ -n "$FILE_ID" ] && [ "$FILE_ID" != null ]; then
  REPEAT=$RUNS download_cases "" uncapped
else
  echo "bench: no file id from k2s upload; skipping the uncapped downloads" >&2
fi
[ "$RSS_MB" -gt 0 ] && rss_cases
stop_server

CAP="cap $((BW / 1048576)) MiB/s/conn"
# CAPPED=0 skips the capped round (the capped upload alone takes SIZE_MB / cap seconds, twice).
if [ "${CAPPED:-1}" != 0 ]; then
  FILE_ID=
  start_server "--bandwidth $BW"
  REPEAT=1 upload_cases " ($CAP)"
  if [ -n "$FILE_ID" ] && [ "$FILE_ID" != null ]; then
    REPEAT=$RUNS download_cases " ($CAP)" capped
  fi
  stop_server
fi


# ---- more upload cases: content the service has, and 200 small files ----
#   content the service has, BW link: k2s upload of it against sending new content  goal <= 0.1
#   200 files of 1 MiB, `k2s upload DIR`: API calls per file                        goal <= 1.05
#     and wall time against the request budget (calls / 5 per s)                    goal <= 1.1
#   (the sequential upload.sh loop over the same files, which ignores any rate limit, beside it)
# Calls are counted by the demo server (GET /demo/stats). UPLOADS=0 skips them.
upload_calls() { curl -s "${API%/api/v2}/demo/stats" | jq -r '.total_calls // 0'; }

# quotient_row CASE A B GOAL SHOWN: a table row for A / B against GOAL.
quotient_row() {
  awk -v c="$1" -v a="$2" -v b="$3" -v g="$4" -v shown="$5" 'BEGIN {
    if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) {
      printf "%s\t%s\t-\t-\t<= %s\tnot measured\n", c, shown, g; exit }
    q = a / b
    printf "%s\t%s\t-\t%.3f\t<= %s\t%s\n", c, shown, q, g, (q <= g ? "yes" : "NO") }' >>"$TABLE"
}

upload_more_cases() {
  local label files=200 before calls secs known new
  start_server "--bandwidth $BW"
  label="upload ($CAP), known content"
  fresh_content
  REPEAT=1 measure "$label" "k2s upload, new content" "${K2S_CMD[@]}" --json upload "$BIG"
  REPEAT=1 measure "$label" "k2s upload, known content" "${K2S_CMD[@]}" --json upload "$BIG"
  known=$(result "$label" "k2s upload, known content" 3)
  new=$(result "$label" "k2s upload, new content" 3)
  quotient_row "upload of content the service has, $((BW / 1048576)) MiB/s link" "$known" "$new" 0.1 \
    "$known s (new content $new s)"
  stop_server

  rm -rf "$WORK/small" && mkdir -p "$WORK/small"
  head -c $((files * 1048576)) /dev/urandom | split -b 1048576 -d -a 3 - "$WORK/small/f"
  start_server ""
  label="upload $files x 1 MiB"
  before=$(upload_calls)
  MEASURE_BYTES=$((files * 1048576)) REPEAT=1 measure "$label" "k2s upload DIR" "${K2S_CMD[@]}" --json upload "$WORK/small"
  calls=$(($(upload_calls) - before))
  secs=$(result "$label" "k2s upload DIR" 3)
  quotient_row "$files files of 1 MiB: API calls per file" "$calls" "$files" 1.05 "$calls calls"
  quotient_row "$files files of 1 MiB: wall time / (calls / 5 per s)" "$secs" \
    "$(awk -v c="$calls" 'BEGIN { print c / 5 }')" 1.1 "$secs s"
  printf '#!/bin/bash\nset -e\nfor f in "$SMALL"/*; do FullFileName=$f "$UPLOAD_SH"; done\n' >"$WORK/upload-loop.sh"
  chmod +x "$WORK/upload-loop.sh"
  SMALL=$WORK/small UPLOAD_SH=$WORK/upload.sh TOKEN=$TOKEN API=$API MEASURE_BYTES=$((files * 1048576)) REPEAT=1 \
    measure "$label" "upload.sh loop (no limit)" "$WORK/upload-loop.sh"
  value_row "$files files of 1 MiB: the upload.sh loop, for reference" \
    "$(result "$label" "upload.sh loop (no limit)" 3) s" "-" "-" "-"
  stop_server
  rm -rf "$WORK/small"
}

if [ "${UPLOADS:-1}" != 0 ]; then
  upload_more_cases
fi

# ---- the summary ----
ratio_row "download, $((BW / 1048576)) MiB/s per connection" "download ($CAP)" "k2s download" \
  "download ($CAP)" "aria2c -x16 -s16" 1.0
ratio_row "download, uncapped, md5 verified" "download" "k2s download" "download" "curl + md5sum" 0.65
ratio_row "upload of new content, uncapped" "upload" "k2s upload" "upload" "upload.sh (curl)" 1.05
ratio_row "upload of new content, $((BW / 1048576)) MiB/s link" "upload ($CAP)" "k2s upload" \
  "upload ($CAP)" "upload.sh (curl)" 1.05
if [ "$RSS_MB" -gt 0 ]; then
  up=$(result rss "k2s upload" 5)
  down=$(result rss "k2s download" 5)
  met=$(awk -v a="$up" -v b="$down" 'BEGIN { if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/) print "not measured"; else print (a <= 40 && b <= 40 ? "yes" : "NO") }')
  value_row "peak RSS, $RSS_MB MiB upload / download" "$up / $down MiB" "-" "<= 40 MiB" "$met"
fi
[ -n "${ONLY:-}" ] || tui_cases

echo
printf '%-34s %-20s %8s %7s %9s  %s\n' "MEASUREMENT (${SIZE_MB} MiB)" TOOL SECONDS "MiB/s" "RSS MiB" "RUNS (s)"
while IFS=$'\t' read -r label tool secs rate rss all; do
  printf '%-34s %-20s %8s %7s %9s  %s\n' "$label" "$tool" "$secs" "$rate" "$rss" "$all"
done <"$RESULTS"
[ "$HAVE_ARIA" = 1 ] || echo "(aria2c is not installed: its rows are missing)"

echo
echo "case | k2s | reference tool | ratio | goal | met?"
echo "---|---|---|---|---|---"
while IFS=$'\t' read -r case k ref ratio goal met; do
  echo "$case | $k | $ref | $ratio | $goal | $met"
done <"$TABLE"
