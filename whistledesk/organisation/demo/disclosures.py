"""Demo disclosures for the Children's Commissioner (configs/childrens_commissioner.toml), as CSV.

- 2022/23: 26 disclosures with exactly the breakdown by service and by action of the
  Commissioner's published report for 1 April 2022 to 31 March 2023; none anonymous; by
  channel 3 letters, the rest by email, the advice helpline and tribunal claims.
- 2021/22: 17 disclosures. The report gives only that total: the breakdown here is
  ILLUSTRATIVE, invented for the demo (including the 3 anonymous ones).

Everything is fixed (references, dates, order), so loading twice gives the same register.
Summaries are generic and identify nobody. The CSV goes through the ordinary importer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from whistledesk.cases.importing import COLUMNS

SERVICES = {
    "CH": "Children's Homes",
    "LA": "Local Authority Children's Services.",
    "HE": "Health service or setting",
    "SC": "School",
    "SL": "Supported living provider",
    "EY": "Early years provider",
    "OT": "other",
}
OUTCOMES = {
    "F": "All concerns were sent to the appropriate bodies including the local authority, "
    "police and Ofsted",
    "N": "Not taken forward: closed through lack of engagement/ information from the "
    "whistle-blower or matter already been investigated",
}
CHANNELS = {"L": "letter", "E": "email", "H": "helpline", "T": "tribunal"}
CONCERNS = {
    "CH": "Concerns about staffing levels and supervision in a children's home.",
    "LA": "Concerns that high caseloads in a children's services team left children "
    "without safe care.",
    "HE": "Concerns about the safety of care for children in a health setting.",
    "SC": "Concerns about how a school responded to safeguarding worries.",
    "SL": "Concerns about the safety and supervision of young people in supported accommodation.",
    "EY": "Concerns about care standards at an early years setting.",
    "OT": "Concerns about the welfare of children in a setting that works with them.",
}
FOLLOW_UP = {
    "F": "Passed to the local authority and the regulator; reassurance sought.",
    "N": "Not taken forward: the matter had already been investigated.",
}

# (service, outcome, channel, anonymous) in date order.
YEAR_2022 = [
    ("LA", "F", "E", False), ("SL", "F", "H", False), ("SC", "F", "E", False),
    ("OT", "N", "L", False), ("HE", "F", "E", False), ("SL", "F", "E", False),
    ("EY", "N", "E", False), ("LA", "F", "H", False), ("CH", "F", "L", False),
    ("SC", "N", "E", False), ("SL", "N", "H", False), ("OT", "F", "E", False),
    ("LA", "F", "T", False), ("HE", "N", "H", False), ("SL", "F", "E", False),
    ("SC", "F", "H", False), ("OT", "F", "E", False), ("LA", "N", "E", False),
    ("SL", "F", "T", False), ("EY", "F", "H", False), ("OT", "N", "E", False),
    ("HE", "F", "L", False), ("SC", "F", "E", False), ("SL", "N", "H", False),
    ("LA", "F", "T", False), ("OT", "F", "H", False),
]  # fmt: skip
# Illustrative only: see the module docstring.
YEAR_2021 = [
    ("SC", "F", "E", False), ("LA", "F", "E", True), ("CH", "F", "L", False),
    ("SL", "N", "H", False), ("HE", "F", "E", False), ("LA", "N", "T", False),
    ("OT", "F", "E", True), ("SC", "F", "H", False), ("EY", "F", "E", False),
    ("LA", "F", "E", False), ("SL", "F", "H", False), ("OT", "N", "E", False),
    ("HE", "F", "L", False), ("SC", "N", "E", True), ("LA", "F", "T", False),
    ("CH", "F", "E", False), ("OT", "F", "H", False),
]  # fmt: skip
YEARS = {2021: YEAR_2021, 2022: YEAR_2022}


def _dates(year: int, count: int) -> list[dt.date]:
    """`count` dates spread over the reporting year, from 1 April to 31 March inclusive."""
    start = dt.date(year, 4, 1)
    last = (dt.date(year + 1, 4, 1) - start).days - 1
    return [start + dt.timedelta(days=round(i * last / (count - 1))) for i in range(count)]


def demo_references() -> list[str]:
    return [
        f"CCO-{year % 100:02d}{(year + 1) % 100:02d}-{n:03d}"
        for year, rows in YEARS.items()
        for n in range(1, len(rows) + 1)
    ]


def demo_csv() -> str:
    """The demo disclosures in the importer's CSV format."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    references = iter(demo_references())
    for year, rows in YEARS.items():
        for day, (service, outcome, channel, anonymous) in zip(
            _dates(year, len(rows)), rows, strict=True
        ):
            nursery = year == 2022 and service == "EY" and outcome == "N"
            summary = (
                "Concerns about an early years setting that had already been passed to the "
                "regulator; the setting had closed."
                if nursery
                else f"{CONCERNS[service]} {FOLLOW_UP[outcome]}"
            )
            writer.writerow(
                [
                    next(references),
                    day.isoformat(),
                    CHANNELS[channel],
                    SERVICES[service],
                    OUTCOMES[outcome],
                    "yes",
                    "yes" if anonymous else "no",
                    summary,
                ]
            )
    return out.getvalue()
