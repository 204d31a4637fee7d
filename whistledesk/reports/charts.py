"""Charts of the annual report: by service, by action, year on year.

Drawn on the server by matplotlib (SVG for the page and the PDF, PNG for the Word
document); no JavaScript. Each chart has a text alternative that states every value, and
each is shown beside a table of the same data, so nothing is only in the picture.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from whistledesk.reports.report import SUPPRESSED_NOTE, AnnualReport, Row

BRAND = "#3d2a6b"  # frontend/scss/whistledesk.scss, the organisation's brand colour
TEXT = "#0b0c0c"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    rows: tuple[Row, ...]

    @property
    def heading(self) -> str:
        return self.title[:1].upper() + self.title[1:]

    @property
    def alt(self) -> str:
        """The text alternative: what the chart shows, every bar with its value."""
        values = "; ".join(f"{r.label}: {r.display}" for r in self.rows)
        note = f" {_(SUPPRESSED_NOTE)}" if any(r.suppressed for r in self.rows) else ""
        sentence = _("Bar chart, %(title)s. %(values)s.") % {"title": self.title, "values": values}
        return sentence + note


def report_charts(report: AnnualReport) -> list[Chart]:
    return [
        Chart(
            "service",
            _("qualifying disclosures by service, %(year)s") % {"year": report.year_label},
            report.service_table,
        ),
        Chart(
            "action",
            _("qualifying disclosures by action taken, %(year)s") % {"year": report.year_label},
            report.outcome_table,
        ),
        Chart("years", _("disclosures received by reporting year"), report.received_by_year),
    ]


def _wrap(label: str, width: int = 38) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3]) + ("…" if len(lines) > 3 else "")


def _figure(chart: Chart) -> object:
    # The object-oriented API, not pyplot: no global state, safe in a web worker.
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rows = chart.rows or (Row(_("No disclosures"), 0),)
    horizontal = chart.key != "years"
    lines = sum(_wrap(r.label).count("\n") + 1 for r in rows)
    height = 1.2 + 0.32 * lines if horizontal else 3.2
    figure = Figure(figsize=(7.0, max(height, 2.0)), dpi=100)
    axes = figure.add_subplot()
    labels = [_wrap(r.label) for r in rows]
    counts = [r.count for r in rows]
    if horizontal:
        bars = axes.barh(labels[::-1], counts[::-1], color=BRAND)
        axes.set_xlabel(_("Number of disclosures"), color=TEXT)
    else:
        bars = axes.bar(labels, counts, color=BRAND)
        axes.set_ylabel(_("Disclosures received"), color=TEXT)
    shown = [r.display for r in rows]
    axes.bar_label(bars, labels=shown[::-1] if horizontal else shown)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=TEXT, labelsize=9)
    axes.set_title(chart.heading, color=TEXT, loc="left")
    (axes.xaxis if horizontal else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
    figure.tight_layout()
    return figure


def chart_svg(chart: Chart) -> str:
    """The chart as an SVG document with a <title> and <desc> (its text alternative)."""
    from django.utils.html import escape

    out = io.StringIO()
    _figure(chart).savefig(out, format="svg", metadata={"Date": None})  # type: ignore[attr-defined]
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    accessible = f'<svg role="img" aria-labelledby="chart-{chart.key}-title chart-{chart.key}-desc"'
    svg = re.sub(r"^<svg", accessible, svg, count=1)
    head_end = svg.index(">") + 1
    return (
        svg[:head_end]
        + f'<title id="chart-{chart.key}-title">{escape(chart.heading)}</title>'
        + f'<desc id="chart-{chart.key}-desc">{escape(chart.alt)}</desc>'
        + svg[head_end:]
    )


def chart_png(chart: Chart) -> bytes:
    out = io.BytesIO()
    _figure(chart).savefig(out, format="png", dpi=150)  # type: ignore[attr-defined]
    return out.getvalue()


def chart_data_uri(chart: Chart) -> str:
    """The SVG as a data: address, for the PDF (WeasyPrint draws it as vectors)."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(chart_svg(chart).encode()).decode()
