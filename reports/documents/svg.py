"""Small SVG charts drawn on the server for the PDFs (a PDF runs no JavaScript): bars, stacked or side
by side, and a line. Each function returns the markup of one <svg> element, to be placed inline in
the HTML that WeasyPrint lays out; its text uses the document's CJK font."""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PALETTE = ("#b71c1c", "#e57373", "#f9a825", "#1565c0", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e63")
FONT = 'font-family="Noto Sans CJK SC, sans-serif"'


def nice_ceiling(value: float) -> float:
    """The axis' top: 1, 2, 2.5 or 5 times a power of ten, at least `value` (1 for nothing)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _number(value) -> str:
    """1,234 or 1,234.5: no trailing zeros."""
    if isinstance(value, float | Decimal) and value != int(value):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def _empty(width: int, height: int) -> SafeString:
    return mark_safe(  # noqa: S308  (a fixed, translated text, escaped)
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="40" viewBox="0 0 {width} 40">'
        f'{_text(width / 2, 24, _("暂无数据"), size=10, fill="#999")}</svg>')


def _text(x, y, content, *, size=9, anchor="middle", fill="#333", extra="") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" {FONT} '
            f'{extra}>{escape(str(content))}</text>')


def _legend(names, colors, x, y) -> list[str]:
    parts = []
    for index, name in enumerate(names):
        left = x + index * 80
        parts.append(f'<rect x="{left}" y="{y - 8}" width="10" height="10" fill="{colors[index]}"/>')
        parts.append(_text(left + 14, y + 1, name, anchor="start"))
    return parts


def bar_chart(labels: list[str], series: list[tuple[str, list]], *, stacked: bool = False, width: int = 640,
              height: int = 240, colors=PALETTE, unit: str = "") -> SafeString:
    """Vertical bars: one group per label, one bar per series (side by side, or stacked). Values are
    numbers (int, float or Decimal); the axis starts at zero."""
    left, right, top, bottom = 48, 10, 24 if len(series) > 1 else 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(float(values[i]) for _n, values in series) for i in range(len(labels))]
    highest = max(totals if stacked else [float(v) for _n, values in series for v in values] or [0], default=0)
    if highest <= 0:
        return _empty(width, height)
    ceiling = nice_ceiling(highest)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">']
    for tick in range(5):
        value = ceiling * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(_text(left - 4, y + 3, _number(value), anchor="end", size=8, fill="#777"))
    if unit:
        parts.append(_text(4, top - 8 if top > 12 else 10, unit, anchor="start", size=8, fill="#777"))
    slot = plot_w / max(len(labels), 1)
    bar_w = slot * 0.7 / (1 if stacked else max(len(series), 1))
    for i, label in enumerate(labels):
        x0 = left + slot * i + slot * 0.15
        base = top + plot_h
        for s, (_name, values) in enumerate(series):
            value = float(values[i])
            h = plot_h * value / ceiling
            x = x0 if stacked else x0 + s * bar_w
            y = base - h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{colors[s % len(colors)]}"/>')
            if stacked:
                base = y
            elif value and len(series) * len(labels) <= 24:
                parts.append(_text(x + bar_w / 2, y - 2, _number(values[i]), size=7))
        if stacked and totals[i] and len(labels) <= 24:
            parts.append(_text(x0 + bar_w / 2, base - 2, _number(totals[i]), size=7))
        parts.append(_text(left + slot * i + slot / 2, top + plot_h + 12, label, size=8))
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#999"/>')
    if len(series) > 1:
        parts.extend(_legend([n for n, _v in series], colors, left, 12))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above went through escape())


def line_chart(labels: list[str], values: list, *, width: int = 640, height: int = 220, color: str = PALETTE[0],
               unit: str = "") -> SafeString:
    """One line through the values, each point labelled with its value."""
    left, right, top, bottom = 48, 16, 16, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling = nice_ceiling(max((float(v) for v in values), default=0))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">']
    for tick in range(5):
        y = top + plot_h - plot_h * tick / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(_text(left - 4, y + 3, _number(ceiling * tick / 4), anchor="end", size=8, fill="#777"))
    if unit:
        parts.append(_text(4, 10, unit, anchor="start", size=8, fill="#777"))
    step = plot_w / max(len(values) - 1, 1)
    points = [(left + step * i, top + plot_h - plot_h * float(v) / ceiling) for i, v in enumerate(values)]
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
    for index, ((x, y), value, label) in enumerate(zip(points, values, labels, strict=True)):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
        parts.append(_text(x, y - 6, _number(value), size=8))
        # The last label ends at its point, so a long one ("2026（截至12月8日）") is not cut at the edge.
        last = index == len(points) - 1 and len(points) > 1
        parts.append(_text(x + (4 if last else 0), top + plot_h + 14, label, size=8, anchor="end" if last else "middle"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above went through escape())
