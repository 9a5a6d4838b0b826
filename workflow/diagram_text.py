"""The diagram's text (workflow.diagram): how wide a label is, where it wraps, and how it is written as
SVG. The width is estimated, not measured (no font on the server): a CJK character is one em, Latin
narrower, on the generous side so that a label fits the box drawn for it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html import escape

FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
STATE_SIZE, TEXT_SIZE = 14, 12
LINE_MAX = 168  # a box's text wraps at this width (px)
INK, MUTED, HALO = "#212529", "#495057", "#ffffff"


def text_width(text: str, size: float) -> float:
    """An upper estimate of the text's width: a CJK character is one em, Latin narrower."""
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        elif char == " ":
            width += 0.32
        elif char.isupper() or char.isdigit():
            width += 0.66
        else:
            width += 0.56
    return width * size


_TOKENS = re.compile(r"\s+|[0-9A-Za-z'’.,:;!?()\-/]+|.")


def wrap(text: str, size: float, width: float = LINE_MAX) -> list[str]:
    """The text in lines no wider than `width`: Latin breaks between words, CJK between characters."""
    lines, line = [], ""
    for token in _TOKENS.findall(text):
        if line and not token.isspace() and text_width(line + token, size) > width:
            lines.append(line.rstrip())
            line = ""
        if not (token.isspace() and not line):
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def coord(value: float) -> str:
    """A coordinate as written: at most one decimal, no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def svg_text(x: float, y: float, lines: list[str], *, size: float, anchor: str = "middle", fill: str = INK,
          weight: str = "normal", cls: str = "") -> str:
    """`lines` as one <text>, the first line's baseline at `y`."""
    attrs = f'x="{coord(x)}" y="{coord(y)}" font-size="{coord(size)}" text-anchor="{anchor}" fill="{fill}"'
    if weight != "normal":
        attrs += f' font-weight="{weight}"'
    if cls:
        attrs += f' class="{cls}"'
    if len(lines) == 1:
        return f"<text {attrs}>{escape(lines[0])}</text>"
    spans = "".join(f'<tspan x="{coord(x)}" dy="{coord(0 if i == 0 else size * 1.3)}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f"<text {attrs}>{spans}</text>"


@dataclass
class Label:
    """A step's label: its lines, and the point it is anchored at (`anchor`: SVG text-anchor)."""

    lines: list[str]
    x: float = 0.0
    y: float = 0.0  # the middle of the block of lines
    anchor: str = "middle"

    @property
    def width(self) -> float:
        return max(text_width(line, TEXT_SIZE) for line in self.lines)

    @property
    def height(self) -> float:
        return TEXT_SIZE * 1.3 * len(self.lines)

    def svg(self, colour: str) -> str:
        width, height = self.width + 6, self.height + 2
        left = {"start": self.x - 3, "end": self.x - width + 3}.get(self.anchor, self.x - width / 2)
        top = self.y - height / 2
        baseline = top + 1 + TEXT_SIZE * 1.0
        return (f'<rect x="{coord(left)}" y="{coord(top)}" width="{coord(width)}" height="{coord(height)}" rx="3" '
                f'fill="{HALO}" fill-opacity="0.92"/>'
                + svg_text(self.x, baseline, self.lines, size=TEXT_SIZE, anchor=self.anchor, fill=colour,
                        cls="wf-step"))
