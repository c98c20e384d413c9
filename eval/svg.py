"""Small inline SVG charts for the self-contained HTML report (no plotting library)."""

from collections.abc import Sequence
from html import escape

_BAR = "#4c72b0"
_FONT = 'font-family="sans-serif" font-size="12"'


def bar_chart_svg(labels: Sequence[str], values: Sequence[float | None], title: str) -> str:
    """Horizontal bars for fractions in 0..1 (None drawn as "n/a")."""
    label_width, bar_width, row, top = 180, 320, 24, 28
    height = top + row * len(labels) + 8
    width = label_width + bar_width + 70
    parts = [
        f'<svg width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f'<text x="4" y="16" {_FONT} font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" {_FONT} text-anchor="end">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{bar_width}" height="{row - 8}" '
            'fill="#eee"/>'
        )
        if value is None:
            text = "n/a"
        else:
            filled = max(0.0, min(1.0, value)) * bar_width
            parts.append(
                f'<rect x="{label_width}" y="{y + 3}" width="{filled:.1f}" '
                f'height="{row - 8}" fill="{_BAR}"/>'
            )
            text = f"{100 * value:.1f}%"
        parts.append(f'<text x="{label_width + bar_width + 6}" y="{y + 15}" {_FONT}>{text}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram_counts(values: Sequence[float], bins: int) -> tuple[list[int], float, float]:
    """Counts of ``values`` in ``bins`` equal-width bins, with the range they span."""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    counts = [0] * bins
    for value in values:
        counts[min(bins - 1, int((value - low) / span * bins))] += 1
    return counts, low, low + span


def histogram_svg(values: Sequence[float], title: str, unit: str = "ms", bins: int = 20) -> str:
    """Vertical-bar histogram of ``values``; a note instead of bars when there are none."""
    width, height, left, bottom, top = 560, 220, 40, 36, 28
    header = (
        f'<svg width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}">'
        f'<text x="4" y="16" {_FONT} font-weight="bold">{escape(title)}</text>'
    )
    if not values:
        return header + f'<text x="{left}" y="{height // 2}" {_FONT}>no data</text></svg>'
    counts, low, high = histogram_counts(values, bins)
    plot_w, plot_h = width - left - 10, height - top - bottom
    step, peak = plot_w / bins, max(counts)
    parts = [header, f'<text x="4" y="{top + 10}" {_FONT}>{peak}</text>']
    for i, count in enumerate(counts):
        bar_h = plot_h * count / peak
        parts.append(
            f'<rect x="{left + i * step:.1f}" y="{top + plot_h - bar_h:.1f}" '
            f'width="{max(step - 2, 1):.1f}" height="{bar_h:.1f}" fill="{_BAR}">'
            f"<title>{count}</title></rect>"
        )
    axis_y = top + plot_h
    parts.append(
        f'<line x1="{left}" y1="{axis_y}" x2="{left + plot_w}" y2="{axis_y}" stroke="#333"/>'
        f'<text x="{left}" y="{axis_y + 16}" {_FONT}>{low:,.0f} {escape(unit)}</text>'
        f'<text x="{left + plot_w}" y="{axis_y + 16}" {_FONT} text-anchor="end">'
        f"{high:,.0f} {escape(unit)}</text></svg>"
    )
    return "".join(parts)
