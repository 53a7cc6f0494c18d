#!/usr/bin/env python3
"""Render a terminal capture with SGR colours (`tmux capture-pane -e -p`) to a PNG.

Usage: ansi2png.py IN.ansi OUT.png [COLS ROWS]
Needs Pillow, fonttools and wcwidth (pip), DejaVu Sans Mono, and for CJK/emoji WenQuanYi Zen Hei and
Symbola (Debian: fonts-dejavu-core fonts-wqy-zenhei fonts-symbola).
"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont
from fontTools.ttLib import TTCollection, TTFont
from wcwidth import wcwidth

FONT_SIZE = 16
CELL_W, CELL_H = 10, 20
FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
BASE16 = [
    (0x1d, 0x1f, 0x21), (0xcc, 0x33, 0x33), (0x33, 0xaa, 0x55), (0xcc, 0xaa, 0x33),
    (0x33, 0x77, 0xcc), (0xaa, 0x55, 0xbb), (0x33, 0xaa, 0xbb), (0xc5, 0xc8, 0xc6),
    (0x66, 0x66, 0x66), (0xff, 0x55, 0x55), (0x55, 0xdd, 0x77), (0xff, 0xdd, 0x55),
    (0x66, 0x99, 0xff), (0xdd, 0x77, 0xee), (0x55, 0xdd, 0xee), (0xff, 0xff, 0xff),
]
DEFAULT_FG, DEFAULT_BG = (0xd0, 0xd0, 0xd0), (0x18, 0x1a, 0x1f)


def xterm256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


CMAPS = {}


def load_fonts():
    fonts = []
    for path in FONTS + [BOLD]:
        try:
            font = ImageFont.truetype(path, FONT_SIZE)
        except OSError:
            continue
        tt = TTCollection(path).fonts[0] if path.endswith(".ttc") else TTFont(path)
        CMAPS[id(font)] = set(tt.getBestCmap() or {})
        fonts.append(font)
    return fonts[:-1], fonts[-1]


def has_glyph(font, ch):
    return ord(ch) in CMAPS.get(id(font), ())


def apply_sgr(params, st):
    ps = [int(p) if p else 0 for p in params.split(";")] if params else [0]
    i = 0
    while i < len(ps):
        p = ps[i]
        if p == 0:
            st.update(fg=None, bg=None, bold=False, rev=False, dim=False, ul=False)
        elif p == 1:
            st["bold"] = True
        elif p == 2:
            st["dim"] = True
        elif p == 4:
            st["ul"] = True
        elif p == 7:
            st["rev"] = True
        elif p == 22:
            st["bold"] = st["dim"] = False
        elif p == 24:
            st["ul"] = False
        elif p == 27:
            st["rev"] = False
        elif 30 <= p <= 37:
            st["fg"] = BASE16[p - 30]
        elif 90 <= p <= 97:
            st["fg"] = BASE16[p - 90 + 8]
        elif 40 <= p <= 47:
            st["bg"] = BASE16[p - 40]
        elif 100 <= p <= 107:
            st["bg"] = BASE16[p - 100 + 8]
        elif p == 39:
            st["fg"] = None
        elif p == 49:
            st["bg"] = None
        elif p in (38, 48) and i + 1 < len(ps):
            key = "fg" if p == 38 else "bg"
            if ps[i + 1] == 5 and i + 2 < len(ps):
                st[key] = xterm256(ps[i + 2])
                i += 2
            elif ps[i + 1] == 2 and i + 4 < len(ps):
                st[key] = tuple(ps[i + 2:i + 5])
                i += 4
        i += 1


def main():
    src, out = sys.argv[1], sys.argv[2]
    text = open(src, encoding="utf-8", errors="replace").read().rstrip("\n").split("\n")
    cols = int(sys.argv[3]) if len(sys.argv) > 3 else 120
    rows = int(sys.argv[4]) if len(sys.argv) > 4 else len(text)
    fonts, bold_font = load_fonts()
    img = Image.new("RGB", (cols * CELL_W + 16, rows * CELL_H + 16), DEFAULT_BG)
    draw = ImageDraw.Draw(img)
    st = dict(fg=None, bg=None, bold=False, rev=False, dim=False, ul=False)
    token = re.compile(r"\x1b\[([0-9;]*)m|\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|(.)", re.S)
    for y, line in enumerate(text[:rows]):
        x = 0
        for m in token.finditer(line):
            if m.group(1) is not None:
                apply_sgr(m.group(1), st)
                continue
            ch = m.group(2)
            if ch is None:
                continue
            w = wcwidth(ch)
            if w < 0:
                continue
            if w == 0:
                continue
            fg = st["fg"] or DEFAULT_FG
            bg = st["bg"] or DEFAULT_BG
            if st["rev"]:
                fg, bg = bg, fg
            if st["dim"]:
                fg = tuple(int(c * 0.6 + b * 0.4) for c, b in zip(fg, bg))
            px, py = 8 + x * CELL_W, 8 + y * CELL_H
            draw.rectangle([px, py, px + w * CELL_W - 1, py + CELL_H - 1], fill=bg)
            if not ch.isspace():
                font = bold_font if st["bold"] and has_glyph(bold_font, ch) else None
                if font is None:
                    font = next((f for f in fonts if has_glyph(f, ch)), fonts[0])
                draw.text((px, py + 1), ch, font=font, fill=fg)
            if st["ul"]:
                draw.line([px, py + CELL_H - 2, px + w * CELL_W - 1, py + CELL_H - 2], fill=fg)
            x += w
            if x >= cols:
                break
    img.save(out)


if __name__ == "__main__":
    main()
