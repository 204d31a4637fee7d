"""Renderers for the annual report: Markdown, a standalone HTML document, JSON and CSV
(text, yielded in chunks so large outputs can be streamed), and a tagged PDF and a Word
document (files, rendered whole: `render_bytes`).

Each renders in the report's language (`AnnualReport.language`: the fixed sentences through
gettext, the organisation's texts already in it, renderers/language.py). JSON keys, CSV
column names and the CSV's table and summary names are identifiers and stay English in
every language; the labels in their rows are the report's own (Welsh in the Welsh report).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils import translation

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
    # Streamed: the language is switched around each chunk's making, not around the call.
    chunks = FORMATS[fmt].render(report)
    while True:
        with translation.override(report.language):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def render_text(report: AnnualReport, fmt: str) -> str:
    return "".join(render_chunks(report, fmt))


@dataclass(frozen=True)
class BinaryFormat:
    content_type: str
    render: Callable[[AnnualReport], bytes]


def _pdf(report: AnnualReport) -> bytes:
    from whistledesk.reports.renderers.pdf import render_pdf

    return render_pdf(report)


def _docx(report: AnnualReport) -> bytes:
    from whistledesk.reports.renderers.docx import render_docx

    return render_docx(report)


DOCUMENT_FORMATS: dict[str, BinaryFormat] = {
    "pdf": BinaryFormat("application/pdf", _pdf),
    "docx": BinaryFormat(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _docx
    ),
}
# Every format the product renders, as files: what publishing stores (ADR 0008).
PUBLISHED_FORMATS: tuple[str, ...] = (*FORMATS, *DOCUMENT_FORMATS)


def content_type(fmt: str) -> str:
    if fmt in DOCUMENT_FORMATS:
        return DOCUMENT_FORMATS[fmt].content_type
    return FORMATS[fmt].content_type


def render_bytes(report: AnnualReport, fmt: str) -> bytes:
    """The file for `fmt`, exactly as a download or `annual_report --output` writes it."""
    if fmt in DOCUMENT_FORMATS:
        with translation.override(report.language):
            return DOCUMENT_FORMATS[fmt].render(report)
    return render_text(report, fmt).encode("utf-8")
