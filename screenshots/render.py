#!/usr/bin/python3
"""Renders a tmux pane capture (`tmux capture-pane -e -p`) to a PNG, cell by cell.

Usage: render.py CAPTURE.txt OUT.png COLUMNS ROWS

Reads the SGR colour and attribute sequences tmux writes, places every character in its
terminal cell (wide characters take two), draws box-drawing lines itself so borders join
without gaps, and uses DejaVu Sans Mono with GNU Unifont for what DejaVu lacks (CJK, emoji).
Needs python3-pil, fonts-dejavu-core and fonts-unifont (make.sh installs them).
"""
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

CELL_W, CELL_H, PAD = 10, 20, 14
FONT_SIZE = 16
BACKGROUND = (24, 26, 33)
FOREGROUND = (214, 218, 226)

# The 16 ANSI colours (a calm dark palette), then the xterm 256-colour cube and greys.
BASE = [
    (40, 42, 54), (224, 95, 95), (120, 200, 120), (222, 190, 100),
    (100, 150, 230), (200, 120, 210), (90, 190, 200), (200, 204, 212),
    (96, 100, 116), (255, 120, 120), (150, 230, 150), (250, 220, 120),
    (130, 175, 255), (230, 150, 240), (120, 220, 230), (245, 247, 250),
]


def palette(index):
    if index < 16:
        return BASE[index]
    if index < 232:
        index -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[index // 36], steps[(index // 6) % 6], steps[index % 6])
    level = 8 + (index - 232) * 10
    return (level, level, level)


FONTS = {
    "mono": ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", FONT_SIZE),
    "bold": ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf", FONT_SIZE),
    "wide": ImageFont.truetype("/usr/share/fonts/opentype/unifont/unifont.otf", 16),
    "upper": ImageFont.truetype("/usr/share/fonts/opentype/unifont/unifont_upper.otf", 16),
}

# Light box drawing: which arms (left, right, up, down) each character has.
BOX = {
    "─": "lr", "│": "ud", "┌": "rd", "┐": "ld", "└": "ru", "┘": "lu",
    "├": "rud", "┤": "lud", "┬": "lrd", "┴": "lru", "┼": "lrud",
}


class Style:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = False
        self.dim = False
        self.underline = False
        self.reverse = False

    def copy(self):
        other = Style()
        other.__dict__.update(self.__dict__)
        return other

    def apply(self, params):
        codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code == 0:
                self.reset()
            elif code == 1:
                self.bold = True
            elif code == 2:
                self.dim = True
            elif code == 4:
                self.underline = True
            elif code == 7:
                self.reverse = True
            elif code == 22:
                self.bold = self.dim = False
            elif code == 24:
                self.underline = False
            elif code == 27:
                self.reverse = False
            elif 30 <= code <= 37:
                self.fg = palette(code - 30)
            elif 90 <= code <= 97:
                self.fg = palette(code - 90 + 8)
            elif 40 <= code <= 47:
                self.bg = palette(code - 40)
            elif 100 <= code <= 107:
                self.bg = palette(code - 100 + 8)
            elif code == 39:
                self.fg = None
            elif code == 49:
                self.bg = None
            elif code in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    colour = palette(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    colour = tuple(codes[i + 2:i + 5])
                    i += 4
                else:
                    colour = None
                if code == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            i += 1

    def colours(self):
        fg = self.fg or FOREGROUND
        bg = self.bg or BACKGROUND
        if self.reverse:
            fg, bg = (self.bg or BACKGROUND), (self.fg or FOREGROUND)
        if self.dim:
            fg = tuple((c + b) // 2 for c, b in zip(fg, bg))
        return fg, bg


def width(character):
    if unicodedata.combining(character) or unicodedata.category(character) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


def cells(text, columns, rows):
    """Yields (x, y, character, width, style) for every visible cell of the capture."""
    style = Style()
    sequence = re.compile(r"\x1b\[([0-9;]*)m|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]")
    for y, line in enumerate(text.split("\n")[:rows]):
        x = 0
        position = 0
        while position < len(line):
            match = sequence.match(line, position)
            if match:
                if match.group(1) is not None:
                    style.apply(match.group(1))
                position = match.end()
                continue
            character = line[position]
            position += 1
            span = width(character)
            if span == 0 or x >= columns:
                continue
            yield x, y, character, span, style.copy()
            x += span
        # tmux ends each line early; the rest of the row keeps the last background.
        if x < columns and style.bg is not None:
            for rest in range(x, columns):
                yield rest, y, " ", 1, style.copy()


def draw_box(draw, character, left, top, colour):
    centre_x = left + CELL_W // 2
    centre_y = top + CELL_H // 2
    arms = BOX[character]
    if "l" in arms:
        draw.line([(left, centre_y), (centre_x, centre_y)], fill=colour)
    if "r" in arms:
        draw.line([(centre_x, centre_y), (left + CELL_W - 1, centre_y)], fill=colour)
    if "u" in arms:
        draw.line([(centre_x, top), (centre_x, centre_y)], fill=colour)
    if "d" in arms:
        draw.line([(centre_x, centre_y), (centre_x, top + CELL_H - 1)], fill=colour)


def render(text, columns, rows, out):
    image = Image.new("RGB", (columns * CELL_W + 2 * PAD, rows * CELL_H + 2 * PAD), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for x, y, character, span, style in cells(text, columns, rows):
        left = PAD + x * CELL_W
        top = PAD + y * CELL_H
        fg, bg = style.colours()
        if bg != BACKGROUND:
            draw.rectangle([left, top, left + span * CELL_W - 1, top + CELL_H - 1], fill=bg)
        if character in BOX:
            draw_box(draw, character, left, top, fg)
        elif character != " ":
            if span == 2 or ord(character) > 0x2FFF:
                font = FONTS["upper"] if ord(character) > 0xFFFF else FONTS["wide"]
                draw.text((left, top + 2), character, font=font, fill=fg)
            else:
                font = FONTS["bold"] if style.bold else FONTS["mono"]
                draw.text((left, top + 1), character, font=font, fill=fg)
        if style.underline:
            draw.line([(left, top + CELL_H - 2), (left + span * CELL_W - 1, top + CELL_H - 2)], fill=fg)
    image.save(out, optimize=True)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8", errors="replace") as capture:
        render(capture.read(), int(sys.argv[3]), int(sys.argv[4]), sys.argv[2])
