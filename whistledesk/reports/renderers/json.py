"""The report as JSON: exactly the keys of `AnnualReport.as_dict`, in that order."""

from __future__ import annotations

import json
from collections.abc import Iterator

from whistledesk.reports.report import AnnualReport


def render(report: AnnualReport) -> Iterator[str]:
    yield json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
