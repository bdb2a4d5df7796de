"""A well's time series as SVG drawn on the server: no chart library, no script, works offline and in print."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape, quoteattr

W, H = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 28, 34

Point = tuple[dt.date, float, bool]  # date, value, below detection


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def svg(
    title: str,
    unit: str,
    points: list[Point],
    background: list[Point],
    limit_max: float | None,
    limit_min: float | None,
    labels: dict[str, str],
) -> str:
    """A line chart of `points` (and the background well's, dashed), with the limit lines in red."""
    everything = points + background
    dates = [p[0] for p in everything]
    values = [p[1] for p in everything] + [v for v in (limit_max, limit_min) if v is not None]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
        f'role="img" aria-label={quoteattr(title)} font-family="sans-serif" font-size="11">',
        f'<rect width="{W}" height="{H}" fill="#fff"/>',
        f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}'
        f"{escape(' (' + unit + ')') if unit else ''}</text>",
    ]
    if not points:
        out.append(f'<text x="{W / 2}" y="{H / 2}" text-anchor="middle" fill="#777">{escape(labels["empty"])}</text>')
        return "".join(out) + "</svg>"
    d0, d1 = min(dates), max(dates)
    span = max((d1 - d0).days, 1)
    lo = min(0.0, *values)
    hi = max(values) * 1.15 or 1.0
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(d: dt.date) -> float:
        return LEFT + pw * ((d - d0).days / span) if d1 != d0 else LEFT + pw / 2

    def y(v: float) -> float:
        return TOP + ph * (1 - (v - lo) / (hi - lo))

    out.append(f'<line x1="{LEFT}" y1="{TOP + ph}" x2="{LEFT + pw}" y2="{TOP + ph}" stroke="#999"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + ph}" stroke="#999"/>')
    for i in range(5):
        v = lo + (hi - lo) * i / 4
        out.append(f'<text x="{LEFT - 4}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#555">{_fmt(v)}</text>')
        out.append(f'<line x1="{LEFT}" y1="{y(v):.1f}" x2="{LEFT + pw}" y2="{y(v):.1f}" stroke="#eee"/>')
    for d in sorted({d0, d1, *[p[0] for p in points][:: max(1, len(points) // 4)]}):
        out.append(f'<text x="{x(d):.1f}" y="{H - 14}" text-anchor="middle" fill="#555">{d.isoformat()}</text>')
    for limit in (limit_max, limit_min):
        if limit is not None:
            out.append(
                f'<line class="limit" x1="{LEFT}" y1="{y(limit):.1f}" x2="{LEFT + pw}" y2="{y(limit):.1f}" '
                'stroke="#c62828" stroke-width="1.5" stroke-dasharray="6 3"/>'
                f'<text x="{LEFT + pw - 2}" y="{y(limit) - 4:.1f}" text-anchor="end" fill="#c62828">'
                f"{escape(labels['limit'])} {_fmt(limit)}</text>"
            )
    for series, colour, dash, cls in ((background, "#757575", "3 3", "background"), (points, "#1565c0", "", "well")):
        if not series:
            continue
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(d):.1f},{y(v):.1f}" for i, (d, v, _) in enumerate(series))
        out.append(
            f'<path class="{cls}" d="{path}" fill="none" stroke="{colour}" stroke-width="1.8"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
        )
        for d, v, below in series:
            over = (
                cls == "well"
                and not below
                and ((limit_max is not None and v > limit_max) or (limit_min is not None and v < limit_min))
            )
            fill = "#fff" if below else ("#c62828" if over else colour)
            tip = escape(f"{d.isoformat()}: {'<' if below else ''}{_fmt(v)}")
            out.append(
                f'<circle class="{cls}-point{" over" if over else ""}" cx="{x(d):.1f}" cy="{y(v):.1f}" r="3" '
                f'fill="{fill}" stroke="{colour}"><title>{tip}</title></circle>'
            )
    legend_y = H - 2
    out.append(
        f'<text x="{LEFT}" y="{legend_y}" fill="#1565c0">● {escape(labels["well"])}</text>'
        f'<text x="{LEFT + 160}" y="{legend_y}" fill="#757575">┄ {escape(labels["background"])}</text>'
        f'<text x="{LEFT + 320}" y="{legend_y}" fill="#555">○ {escape(labels["below"])}</text>'
    )
    return "".join(out) + "</svg>"
