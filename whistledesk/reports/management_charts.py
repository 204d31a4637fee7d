"""Trend charts of the management information, drawn as reports/charts.py draws the annual
report's: matplotlib on the server, SVG with a <title> and a <desc> that states every
value, shown beside a table of the same figures (so nothing is only in the picture)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from whistledesk.reports.charts import BRAND, TEXT
from whistledesk.reports.management_info import TrendRow


@dataclass(frozen=True)
class TrendChart:
    key: str
    title: str
    unit: str  # the axis label
    points: tuple[tuple[str, float | None], ...]  # (year label, value or None: no figure)
    percent: bool = False

    def _text(self, value: float | None) -> str:
        if value is None:
            return "no figure"
        return f"{value:.0f}%" if self.percent else f"{value:,.1f}".removesuffix(".0")

    @property
    def heading(self) -> str:
        return self.title[:1].upper() + self.title[1:]

    @property
    def alt(self) -> str:
        values = "; ".join(f"{label}: {self._text(v)}" for label, v in self.points)
        return f"Bar chart, {self.title}. {values}."


def share(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def trend_charts(rows: tuple[TrendRow, ...]) -> list[TrendChart]:
    return [
        TrendChart(
            "received",
            "disclosures received by reporting year",
            "Disclosures received",
            tuple((r.label, float(r.received)) for r in rows),
        ),
        TrendChart(
            "acknowledged",
            "share acknowledged within 7 days, by reporting year",
            "Acknowledged within 7 days (%)",
            tuple((r.label, share(r.ack_on_time, r.ack_due)) for r in rows),
            percent=True,
        ),
        TrendChart(
            "feedback",
            "share given feedback within 3 months, by reporting year",
            "Feedback within 3 months (%)",
            tuple((r.label, share(r.feedback_on_time, r.feedback_due)) for r in rows),
            percent=True,
        ),
        TrendChart(
            "close",
            "median days to close, by reporting year received",
            "Median days to close",
            tuple((r.label, r.median_days_to_close) for r in rows),
        ),
    ]


def trend_chart_svg(chart: TrendChart) -> str:
    from django.utils.html import escape
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.0, 3.2), dpi=100)
    axes = figure.add_subplot()
    labels = [label for label, _ in chart.points] or ["No years"]
    values = [v or 0.0 for _, v in chart.points] or [0.0]
    bars = axes.bar(labels, values, color=BRAND)
    axes.bar_label(bars, labels=[chart._text(v) for _, v in chart.points] or ["no figure"])
    axes.set_ylabel(chart.unit, color=TEXT)
    if chart.percent:
        axes.set_ylim(0, 110)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=TEXT, labelsize=9)
    axes.set_title(chart.heading, color=TEXT, loc="left")
    figure.tight_layout()
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    ids = f"chart-{chart.key}-title chart-{chart.key}-desc"
    svg = re.sub(r"^<svg", f'<svg role="img" aria-labelledby="{ids}"', svg, count=1)
    head_end = svg.index(">") + 1
    return (
        svg[:head_end]
        + f'<title id="chart-{chart.key}-title">{escape(chart.heading)}</title>'
        + f'<desc id="chart-{chart.key}-desc">{escape(chart.alt)}</desc>'
        + svg[head_end:]
    )
