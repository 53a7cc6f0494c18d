#!/usr/bin/env bash
# Make PNG screenshots of the real binary on the demo server into screenshots/.
# Usage: scripts/screenshots.sh            (needs tmux, python3; installs Pillow/fonttools/wcwidth
#                                          with pip and the fonts with apt-get when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
COLS=${COLS:-130}
ROWS=${ROWS:-34}
out=screenshots
mkdir -p "$out"

command -v tmux >/dev/null || { apt-get update -qq && apt-get install -y -qq tmux; }
python3 -c 'import PIL, fontTools, wcwidth' 2>/dev/null || pip install -q pillow fonttools wcwidth
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || apt-get install -y -qq fonts-dejavu-core fonts-wqy-zenhei fonts-symbola

cargo build --release --quiet
bin=$PWD/target/release/k2s
cfg=$(mktemp -d)
session=k2s-shots-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$cfg"' EXIT

mkdir -p "$cfg/downloads"
printf 'download_dir = "%s"\n' "$cfg/downloads" > "$cfg/config.toml"
tmux new-session -d -s "$session" -x "$COLS" -y "$ROWS" \
  "cd $cfg && env TERM=xterm-256color K2S_CONFIG_DIR=$cfg $bin --demo"
sleep 2

keys() { for k in "$@"; do tmux send-keys -t "$session" "$k"; sleep 0.4; done; sleep 1; }
shot() {
  tmux capture-pane -e -p -t "$session" > "$cfg/$1.ansi"
  python3 scripts/ansi2png.py "$cfg/$1.ansi" "$out/$1.png" "$COLS" "$ROWS"
  echo "wrote $out/$1.png"
}

# Main view: inside /Movies with a video under the cursor.
keys j j j l j
shot main
keys i
shot details
keys i
keys '?'
shot help
keys Escape
keys d
shot dialog
keys Escape
keys M
sleep 1
shot metadata
keys M
keys j j w
keys k k w
sleep 2
keys C-t
sleep 1
shot transfers
keys Enter
shot transfer-details
keys Escape
keys Escape

# The account index: the finder builds it (Enter), then finds as you type; the views on it.
keys C-p Enter
sleep 2
keys b u n n y
shot finder
keys Escape
keys h
keys M-u
shot usage
keys Escape
keys M-h
shot health
keys Escape

# The link checker: a pasted post, every link's state.
keys C-k
tmux set-buffer -b post "[url=https://k2s.cc/file/video00000001/bunny.mp4]Bunny[/url] https://keep2share.cc/file/deadkept00001 https://k2s.cc/file/blocked000001 <a href=\"https://k2s.cc/file/premium000001\">p</a> https://k2s.cc/file/private000001"
tmux paste-buffer -p -b post -t "$session"
keys Enter
sleep 2
shot links
keys Escape
tmux send-keys -t "$session" q 2>/dev/null || true
