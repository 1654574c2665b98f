"""Small charts as inline SVG (no JavaScript, nothing to load): progress over the network's meetings."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from kbo_cli.domain.brief import Point

GREEN, GREY, INK = "#3a8d3a", "#c9d3df", "#1f4e79"


def course(points: Sequence[Point], *, width: int = 640, height: int = 170) -> str:
    """A line chart of progress (0-100 %) over the points' days, each point labelled with its percentage."""
    left, right, top, bottom = 36, 16, 12, 34
    inner_w, inner_h = width - left - right, height - top - bottom
    known = [p for p in points if p.percent is not None]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" class="chart">'
    ]
    for level in (0, 25, 50, 75, 100):
        y = top + inner_h * (1 - level / 100)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GREY}" '
            f'stroke-width="0.6"/><text x="{left - 6}" y="{y + 3:.1f}" font-size="9" text-anchor="end" '
            f'fill="#666">{level}%</text>'
        )
    if not points:
        return "".join(parts) + "</svg>"
    step = inner_w / max(len(points) - 1, 1)
    xy = [
        (left + (i * step if len(points) > 1 else inner_w / 2), top + inner_h * (1 - (p.percent or 0) / 100))
        for i, p in enumerate(points)
    ]
    if len(known) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for (x, y), p in zip(xy, points, strict=True) if p.percent is not None)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{GREEN}" stroke-width="2.2"/>')
    for i, ((x, y), p) in enumerate(zip(xy, points, strict=True)):
        # the first and last labels end at the chart's edges rather than past them ("3 ธ.ค. 256" was cut)
        anchor = "middle" if len(points) == 1 or 0 < i < len(points) - 1 else "start" if i == 0 else "end"
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 16}" font-size="9" text-anchor="{anchor}" '
            f'fill="#444">{escape(p.label)}</text>'
        )
        if p.percent is not None:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.2" fill="{INK}"/><text x="{x:.1f}" '
                f'y="{y - 7:.1f}" font-size="10" text-anchor="{anchor}" fill="{INK}">{p.percent:.1f}%</text>'
            )
    return "".join(parts) + "</svg>"


def spark(points: Sequence[Point], *, width: int = 46, height: int = 16) -> str:
    """A small line of a group's progress over the meetings, for a table cell."""
    known = [(i, p.percent) for i, p in enumerate(points) if p.percent is not None]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" class="spark"><line x1="0" y1="{height - 1}" x2="{width}" y2="{height - 1}" '
        f'stroke="{GREY}" stroke-width="1"/>'
    ]
    if known:
        step = (width - 6) / max(len(points) - 1, 1)
        xy = [(3 + i * step, (height - 3) * (1 - value / 100) + 1.5) for i, value in known]
        if len(xy) > 1:
            parts.append(
                f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in xy)}" fill="none" '
                f'stroke="{GREEN}" stroke-width="1.6"/>'
            )
        x, y = xy[-1]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{INK}"/>')
    return "".join(parts) + "</svg>"
