"""The /stats chart worker: `python -m bot.admin.chart` reads a chart spec (JSON) on stdin and
writes a PNG on stdout, then exits.

matplotlib costs 0.6–0.8 s and ~55 MB that would stay in the bot after its first chart; in a
short-lived process both are gone when the picture is done. The spec is built and translated by
bot/admin/stats.py `chart_spec`; this module knows nothing of the bot.
Phone-sized: 1080 px wide, one panel under the other, large type, whole numbers on count axes.
"""

from __future__ import annotations

import io
import json
import sys
from typing import Any

WIDTH_IN, DPI = 10.8, 100  # 1080 px
BASE_PT, TITLE_PT = 20, 24
BAR_IN, PANEL_EXTRA_IN, STACKED_IN = 0.95, 1.3, 5.0
COLORS = ("#3b6ea5", "#4c9a2a", "#b03a2e", "#8e44ad", "#d68910", "#17a589", "#7f8c8d", "#c0392b")
MAX_LABEL = 60


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _height(panel: dict[str, Any]) -> float:
    if panel["kind"] == "stacked":
        return STACKED_IN + 0.5 * len(panel["series"])
    return PANEL_EXTRA_IN + BAR_IN * max(1, len(panel["labels"]))


def _barh(ax: Any, panel: dict[str, Any], index: int) -> None:
    """Bars across the whole width, each named above itself (long names need no margin)."""
    labels = [_short(str(label)) for label in panel["labels"]] or ["—"]
    values = [int(v) for v in panel["values"]] or [0]
    rows = list(range(len(values)))
    colors = [COLORS[(index + i) % len(COLORS)] for i in rows]
    bars = ax.barh(rows, values, height=0.5, color=colors)
    for row, label in zip(rows, labels, strict=True):
        ax.text(0, row - 0.3, label, fontsize=BASE_PT, va="bottom", ha="left")
    ax.set_ylim(len(values) - 0.5, -0.9)  # the first bar on top, room for its name
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.bar_label(bars, padding=6, fontsize=BASE_PT)
    ax.set_xlim(0, max(max(values), 1) * 1.15)  # room for the figures after the bars


def _stacked(ax: Any, panel: dict[str, Any]) -> None:
    """Stacks per week. With "small": n, a value given as text ("< 5") is drawn as a hatched
    block of half that height, labelled with the text: the exact count is not in the picture."""
    weeks = [str(w) for w in panel["labels"]]
    bottom = [0.0] * len(weeks)
    small = float(panel.get("small", 0)) / 2
    for i, series in enumerate(panel["series"]):
        raw = list(series["values"])
        hidden = [isinstance(v, str) for v in raw]
        values = [small if h else float(v) for v, h in zip(raw, hidden, strict=True)]
        bars = ax.bar(
            weeks, values, bottom=bottom, label=_short(str(series["name"])), color=COLORS[i % 8]
        )
        for bar, is_hidden, text in zip(bars, hidden, raw, strict=True):
            if is_hidden:
                bar.set_hatch("//")
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    str(text),
                    ha="center",
                    va="center",
                    fontsize=BASE_PT - 6,
                )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylim(0, max(max(bottom, default=0), 1) * 1.1)
    handles, names = ax.get_legend_handles_labels()
    ax.legend(  # top to bottom as the stacks are
        handles[::-1],
        names[::-1],
        fontsize=BASE_PT - 2,
        loc="upper left",
        bbox_to_anchor=(0, -0.12),
        frameon=False,
    )
    ax.tick_params(axis="x", labelsize=BASE_PT - 4)


def draw(spec: dict[str, Any]) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    panels = spec["panels"]
    heights = [_height(panel) for panel in panels]
    fig = Figure(figsize=(WIDTH_IN, sum(heights)), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=heights)
    for index, (panel, row) in enumerate(zip(panels, axes, strict=True)):
        ax = row[0]
        if panel["kind"] == "stacked":
            _stacked(ax, panel)
            ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        else:
            _barh(ax, panel, index)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.set_title(str(panel["title"]), fontsize=TITLE_PT, loc="left", fontweight="bold")
        ax.tick_params(labelsize=BASE_PT)
        ax.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def main() -> int:
    spec = json.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(draw(spec))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
