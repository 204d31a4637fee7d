"""`whistledesk annual_report [--organisation SLUG] --year YYYY [--format FORMAT]
[--output PATH] [--published] [--language cy]`.

With --language cy, the report in Welsh (only for an organisation that enables Welsh).

With --published, the newest published version of the report, byte for byte as stored,
instead of the live figures.

Prints the statutory annual report for the reporting year starting in YYYY, or writes it
to PATH atomically (a temporary file in the same folder, renamed into place once complete),
so a failed run never leaves half a report behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from whistledesk.organisation import tenancy
from whistledesk.organisation.models import Organisation
from whistledesk.reports.disclosure_check import report_for_publication
from whistledesk.reports.published import published_file, published_latest
from whistledesk.reports.renderers import (
    DOCUMENT_FORMATS,
    PUBLISHED_FORMATS,
    render_bytes,
    render_chunks,
)
from whistledesk.reports.renderers.language import (
    check_language,
    published_key,
    report_in_language,
)
from whistledesk.reports.selectors import ReportError


class Command(BaseCommand):
    help = "Produce the annual report on disclosures for one reporting year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            required=True,
            help="The year in which the reporting period starts (2022 for 2022/23).",
        )
        tenancy.add_organisation_argument(parser)
        parser.add_argument("--format", choices=sorted(PUBLISHED_FORMATS), default="md")
        parser.add_argument("--output", type=Path, help="Write here instead of standard output.")
        parser.add_argument(
            "--published",
            action="store_true",
            help="Give the newest published version instead of the live figures.",
        )
        parser.add_argument(
            "--language",
            choices=["en", "cy"],
            default="en",
            help="The report's language: en (English) or cy (Welsh, for an organisation "
            "that enables it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = tenancy.organisation_from_options(options)
        # Everything below (the renderers' language, the audit) is for that organisation.
        with tenancy.activate(organisation):
            self._handle(organisation, options)

    def _handle(self, organisation: Organisation, options: dict[str, Any]) -> None:
        if options["format"] in DOCUMENT_FORMATS and options["output"] is None:
            raise CommandError(
                f"A {options['format'].upper()} file cannot be shown in a terminal: "
                f"write it to a file with --output, for example --output report.{options['format']}"
            )
        if options["published"]:
            self._published(organisation, options)
            return
        try:
            report = report_for_publication(organisation=organisation, year=options["year"])
            report = report_in_language(
                report, organisation=organisation, language=options["language"]
            )
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        output: Path | None = options["output"]
        if options["format"] in DOCUMENT_FORMATS:
            assert output is not None
            _write_atomically(output, [render_bytes(report, options["format"])])
            self.stderr.write(f"Wrote the {report.year_label} report to {output}")
            return
        chunks = render_chunks(report, options["format"])
        if output is None:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        _write_atomically(output, chunks)
        self.stderr.write(f"Wrote the {report.year_label} report to {output}")

    def _published(self, organisation: Organisation, options: dict[str, Any]) -> None:
        try:
            latest = published_latest(organisation=organisation, year=options["year"])
            language = check_language(organisation, options["language"])
            content = published_file(
                organisation=organisation,
                year=latest.year,
                version=latest.version,
                fmt=published_key(options["format"], language),
            )
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        output: Path | None = options["output"]
        if output is None:
            # Stored bytes, unchanged: straight to the underlying stream, not re-encoded.
            stream = getattr(self.stdout, "_out", self.stdout)
            buffer = getattr(stream, "buffer", None)
            if buffer is not None:
                stream.flush()
                buffer.write(content)
                buffer.flush()
            else:
                stream.write(content.decode("utf-8"))
            return
        _write_atomically(output, [content])
        self.stderr.write(f"Wrote version {latest.version} of the {latest.year} report to {output}")


def _write_atomically(path: Path, chunks: Any) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CommandError(f"Cannot write {path}: the folder {folder} does not exist")
    if path.is_dir():
        raise CommandError(f"Cannot write {path}: it is a folder")
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise CommandError(f"Cannot write in {folder}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600), like every file Whistledesk writes: the
        # person publishing the report decides who else may read it.
        os.replace(tmp_name, path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise CommandError(f"Cannot write {path}: {exc.strerror}") from exc
        raise
