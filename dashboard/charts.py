"""Charts drawn on the server as small inline SVG (no JavaScript, no external files).

Only presentation attributes are used (no `style`), so the strict Content-Security-Policy
holds; every label is escaped.
"""
from __future__ import annotations

import math
from typing import List, Optional, Sequence, Tuple

from markupsafe import Markup, escape

PALETTE = ("#1f6f43", "#e0a100", "#c0392b", "#7f8c8d", "#2c6fbb", "#8e44ad")
FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def _nice_step(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^k (at least 1: counts are whole) that is >= value."""
    if value <= 1:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _axis(maximum: float) -> Tuple[float, float]:
    """(step, top) of a y axis with at most five whole gridlines above zero."""
    step = _nice_step(maximum / 4)
    return step, step * max(1, math.ceil(maximum / step))


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def stacked_bars(categories: Sequence[str], series: Sequence[Tuple[str, Sequence[float]]], title: str,
                 width: int = 760, height: int = 240, colors: Sequence[str] = PALETTE) -> Markup:
    """Vertical bars, one per category, stacked by series; a legend above."""
    left, right, top, bottom = 40, 10, 34, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(categories))
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    slot = plot_w / n
    bar = max(1.0, slot * 0.7)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="{width}" role="img" aria-label="{escape(title)}" {FONT}>', f"<title>{escape(title)}</title>"]
    x, y = left, 6
    for index, (name, _) in enumerate(series):  # legend, wrapped onto more rows when needed
        item = 24 + 6.2 * len(name)
        if x + item > width - right and x > left:
            x, y = left, y + 15
        color = colors[index % len(colors)]
        parts.append(f'<rect x="{x:.0f}" y="{y}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{x + 14:.0f}" y="{y + 9}" fill="#333">{escape(name)}</text>')
        x += item
    top = max(top, y + 24)
    plot_h = height - top - bottom
    step, y_max = _axis(max(totals, default=0))
    for tick in range(int(round(y_max / step)) + 1):  # grid and y axis labels
        value = step * tick
        y = top + plot_h - plot_h * value / y_max
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{_num(value)}</text>')
    label_every = max(1, math.ceil(n / 12))
    for i, category in enumerate(categories):
        x0 = left + slot * i + (slot - bar) / 2
        y = top + plot_h
        for index, (name, values) in enumerate(series):
            value = values[i]
            if value <= 0:
                continue
            h = plot_h * value / y_max
            y -= h
            parts.append(f'<rect x="{x0:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{colors[index % len(colors)]}"><title>{escape(category)} · {escape(name)}: '
                         f'{_num(value)}</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text x="{x0 + bar / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
                         f'fill="#555">{escape(category)}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#999"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def share_bars(rows: Sequence[Tuple[str, Optional[float], str]], title: str, width: int = 760,
               good: str = PALETTE[0], bad: str = PALETTE[2]) -> Markup:
    """Horizontal 0-100% bars: (label, share or None, annotation) per row."""
    row_h, left, right, top = 22, 190, 120, 24
    height = top + row_h * max(1, len(rows)) + 8
    plot_w = width - left - right
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="{width}" role="img" aria-label="{escape(title)}" {FONT}>', f"<title>{escape(title)}</title>"]
    for tick in (0, 0.5, 1):
        x = left + plot_w * tick
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 4}" stroke="#ddd"/>'
                     f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" fill="#555">{int(tick * 100)}%</text>')
    for i, (name, share, note) in enumerate(rows):
        y = top + row_h * i
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" fill="#333">{escape(name)}</text>')
        if share is not None:
            w = plot_w * max(0.0, min(1.0, share))
            parts.append(f'<rect x="{left}" y="{y + 3}" width="{plot_w:.1f}" height="14" fill="{bad}" opacity="0.25"/>'
                         f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="14" fill="{good}">'
                         f'<title>{escape(name)}: {share * 100:.0f}%</title></rect>')
        parts.append(f'<text x="{left + plot_w + 6}" y="{y + 14}" fill="#333">{escape(note)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def short_day(day) -> str:
    return f"{day.day}/{day.month}"


def series_from(days: Sequence, attribute: str, keys: Sequence[str], names: Sequence[str]) -> List[Tuple[str, List[float]]]:
    """[(name, [count per bucket])] for a mapping attribute (outcomes, opened, resolved) of KPI day figures or
    of their weeks or months."""
    return [(name, [float(getattr(d, attribute).get(key, 0)) for d in days]) for key, name in zip(keys, names)]


def heatmap(rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float]], title: str,
            width: int = 1100, color: str = PALETTE[0]) -> Markup:
    """A grid of cells whose shade grows with the value (rows x columns), each row's total on the right."""
    left, right, top, bottom = 70, 56, 8, 22
    cell_w = (width - left - right) / max(1, len(columns))
    cell_h = 24
    height = top + cell_h * len(rows) + bottom
    peak = max((v for row in values for v in row), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="{width}" role="img" aria-label="{escape(title)}" {FONT}>', f"<title>{escape(title)}</title>"]
    for i, (name, row) in enumerate(zip(rows, values)):
        y = top + cell_h * i
        parts.append(f'<text x="{left - 6}" y="{y + 16}" text-anchor="end" fill="#333">{escape(name)}</text>')
        for j, value in enumerate(row):
            x = left + cell_w * j
            shade = 0.08 + 0.92 * value / peak if value else 0
            fill = color if value else "#f3f5f4"
            parts.append(f'<rect x="{x + 1:.1f}" y="{y + 1}" width="{cell_w - 2:.1f}" height="{cell_h - 2}" fill="{fill}" '
                         f'fill-opacity="{shade:.2f}"><title>{escape(name)} {escape(columns[j])}: {_num(value)}</title></rect>')
            if value:
                ink = "#fff" if shade > 0.55 else "#1d2b24"
                parts.append(f'<text x="{x + cell_w / 2:.1f}" y="{y + 16}" text-anchor="middle" fill="{ink}">{_num(value)}</text>')
        parts.append(f'<text x="{width - right + 8}" y="{y + 16}" fill="#333">{_num(sum(row))}</text>')
    for j, name in enumerate(columns):
        parts.append(f'<text x="{left + cell_w * j + cell_w / 2:.1f}" y="{height - 6}" text-anchor="middle" '
                     f'fill="#555">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_hbars(rows: Sequence[Tuple[str, Sequence[float]]], names: Sequence[str], title: str, width: int = 760,
                  colors: Sequence[str] = (PALETTE[2], PALETTE[0], PALETTE[3])) -> Markup:
    """Horizontal bars, one per row, stacked by series (`names`), on a common count scale; a legend above."""
    row_h, left, right, top = 24, 210, 50, 26
    height = top + row_h * max(1, len(rows)) + 6
    plot_w = width - left - right
    peak = max((sum(values) for _, values in rows), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="{width}" role="img" aria-label="{escape(title)}" {FONT}>', f"<title>{escape(title)}</title>"]
    x = left
    for index, name in enumerate(names):
        parts.append(f'<rect x="{x:.0f}" y="6" width="10" height="10" fill="{colors[index % len(colors)]}"/>'
                     f'<text x="{x + 14:.0f}" y="15" fill="#333">{escape(name)}</text>')
        x += 24 + 6.2 * len(name)
    for i, (label, values) in enumerate(rows):
        y = top + row_h * i
        parts.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" fill="#333">{escape(label)}</text>')
        x0 = float(left)
        for index, value in enumerate(values):
            if value <= 0:
                continue
            w = plot_w * value / peak
            parts.append(f'<rect x="{x0:.1f}" y="{y + 3}" width="{w:.1f}" height="16" fill="{colors[index % len(colors)]}">'
                         f'<title>{escape(label)} · {escape(names[index])}: {_num(value)}</title></rect>')
            x0 += w
        parts.append(f'<text x="{x0 + 6:.1f}" y="{y + 15}" fill="#333">{_num(sum(values))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
