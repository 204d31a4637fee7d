"""Disclosure control of the annual report's tables: small cells and the decisions on them.

Pure functions over the report and the stored decisions (ADR 0015); nothing here reads the
database. A cell is *flagged* when it counts some disclosures but fewer than the
organisation's threshold (`Organisation.small_cell_threshold`, 3 unless set). For each
flagged cell a manager decides:

- **suppress**: the count is replaced by "[c]" in every format. One hidden cell in a table
  whose total is published could be worked out by subtraction, so the smallest other
  non-zero cell of that table is hidden too (secondary suppression). When there is no such
  cell, suppressing cannot hide it and the warning stays open.
- **merge**: the row is added to the table's "other" row (a row labelled "other", in any
  case, or else a new "Other" row at the end). That row is then checked like any cell.
- **publish**: the number is published as it is, with a written reason.

Controlled tables: by service, by action and by channel. Not controlled: the statutory
figures the Regulations require (received, qualifying, further action and the rest), the
derived rows "Not yet categorised" and "Awaiting decision" (they describe the office's own
backlog, not a kind of setting or a route someone used), and the received-by-year totals.

A decision whose cell is no longer flagged (the figures changed) applies to nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from whistledesk.reports.report import AnnualReport, Row, ServiceRow

SUPPRESS, MERGE, PUBLISH, ACCEPT = "suppress", "merge", "publish", "accept"
CELL_ACTIONS = (SUPPRESS, MERGE, PUBLISH)
OTHER_LABEL = "Other"
TABLES = {
    "service": "Disclosures by service",
    "outcome": "Disclosures by action taken",
    "channel": "Disclosures by channel",
}
NOT_HIDDEN = (
    "Suppressing this cell alone does not hide it: it can be worked out from the table's "
    "total. Merge it into “other”, or publish it as it is with a reason."
)


@dataclass(frozen=True)
class Decision:
    """A stored decision on one warning, as the check and the published record use it."""

    action: str
    reason: str = ""
    decided_by: str = ""
    decided_at: str = ""  # ISO 8601


def cell_key(table: str, label: str) -> str:
    return f"cell:{table}:{label}"


@dataclass(frozen=True)
class CellWarning:
    table: str
    label: str
    count: int
    decision: Decision | None
    # The "other" row itself cannot be merged into "other".
    can_merge: bool = True
    # Why the decision taken does not resolve the warning ("" when it does).
    problem: str = ""

    @property
    def key(self) -> str:
        return cell_key(self.table, self.label)

    @property
    def table_title(self) -> str:
        return TABLES[self.table]

    @property
    def resolved(self) -> bool:
        d = self.decision
        if d is None or self.problem:
            return False
        if d.action == MERGE:
            return self.can_merge
        if d.action == PUBLISH:
            return bool(d.reason.strip())
        return d.action == SUPPRESS

    def describe(self) -> str:
        return f"{self.table_title}: {self.label} ({self.count:,})"


@dataclass(frozen=True)
class ControlledTables:
    report: AnnualReport  # the tables as they will be published
    cells: tuple[CellWarning, ...]
    # Cells hidden only so that a suppressed cell cannot be worked out: (table, label).
    secondary: tuple[tuple[str, str], ...]


def _is_other(row: Row) -> bool:
    return row.label.strip().casefold() == "other"


def _control_table(
    table: str, rows: tuple[Row, ...], *, threshold: int, decisions: Mapping[str, Decision]
) -> tuple[tuple[Row, ...], list[CellWarning], list[tuple[str, str]]]:
    def small(n: int) -> bool:
        return 0 < n < threshold

    def decision(label: str) -> Decision | None:
        return decisions.get(cell_key(table, label))

    def action(label: str) -> str:
        d = decision(label)
        return d.action if d else ""

    other = next((r for r in rows if _is_other(r)), None)
    merged = [r for r in rows if r is not other and small(r.count) and action(r.label) == MERGE]
    kept = [r for r in rows if r not in merged]
    if merged:
        extra = sum(r.count for r in merged)
        if other is not None:
            kept = [
                dataclasses.replace(r, count=r.count + extra) if r is other else r for r in kept
            ]
        elif table == "service":
            kept.append(ServiceRow(OTHER_LABEL, extra, phrase="other settings"))
        else:
            kept.append(Row(OTHER_LABEL, extra))
    warnings = [
        CellWarning(table, r.label, r.count, decision(r.label))
        for r in rows
        if r is not other and small(r.count)
    ]
    after = next((r for r in kept if _is_other(r)), None)
    if after is not None and small(after.count):
        warnings.append(CellWarning(table, after.label, after.count, decision(after.label), False))

    hidden = {w.label for w in warnings if w.decision and w.decision.action == SUPPRESS}
    secondary: list[tuple[str, str]] = []
    if len(hidden) == 1:
        # Every table's total is published (the qualifying figure), so one hidden cell is
        # the total less the others: hide the smallest other non-zero cell with it.
        candidates = [r for r in kept if r.count and r.label not in hidden]
        if candidates:
            smallest = min(candidates, key=lambda r: r.count)
            hidden.add(smallest.label)
            secondary.append((table, smallest.label))
        else:
            (only,) = [w for w in warnings if w.label in hidden]
            warnings[warnings.index(only)] = dataclasses.replace(only, problem=NOT_HIDDEN)
    published = tuple(
        dataclasses.replace(r, count=0, suppressed=True) if r.label in hidden else r for r in kept
    )
    return published, warnings, secondary


def control_tables(
    report: AnnualReport, *, threshold: int, decisions: Mapping[str, Decision]
) -> ControlledTables:
    """The report with every decision applied, and the cell warnings with their decisions."""
    cells: list[CellWarning] = []
    secondary: list[tuple[str, str]] = []
    tables: dict[str, tuple[Row, ...]] = {}
    for table, rows in (
        ("service", report.by_service),
        ("outcome", report.by_outcome),
        ("channel", report.by_channel),
    ):
        tables[table], warnings, hidden = _control_table(
            table, rows, threshold=threshold, decisions=decisions
        )
        cells += warnings
        secondary += hidden
    controlled = dataclasses.replace(
        report,
        by_service=tables["service"],  # type: ignore[arg-type]
        by_outcome=tables["outcome"],
        by_channel=tables["channel"],
    )
    return ControlledTables(controlled, tuple(cells), tuple(secondary))


def decision_record(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return dataclasses.asdict(decision)
