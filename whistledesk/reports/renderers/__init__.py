"""Renderers for the annual report: Markdown, a standalone HTML document, JSON and CSV.

Each takes an `AnnualReport` and yields text in chunks, so large outputs can be streamed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from whistledesk.reports.renderers import csv, html, json, markdown
from whistledesk.reports.report import AnnualReport


@dataclass(frozen=True)
class Format:
    content_type: str
    render: Callable[[AnnualReport], Iterator[str]]


FORMATS: dict[str, Format] = {
    "md": Format("text/markdown; charset=utf-8", markdown.render),
    "html": Format("text/html; charset=utf-8", html.render),
    "json": Format("application/json", json.render),
    "csv": Format("text/csv; charset=utf-8", csv.render),
}


def render_chunks(report: AnnualReport, fmt: str) -> Iterator[str]:
    return FORMATS[fmt].render(report)


def render_text(report: AnnualReport, fmt: str) -> str:
    return "".join(render_chunks(report, fmt))
