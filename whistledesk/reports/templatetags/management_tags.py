"""How the management information page writes its figures: "3 of 4 (75%)", "12.5"."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(name="of")
def part_of(part: int, whole: int) -> str:
    """'3 of 4 (75%)'; 'none due' when nothing is counted yet."""
    if not whole:
        return "none due"
    return f"{part:,} of {whole:,} ({round(100 * part / whole)}%)"


@register.filter
def figure(value: float | None) -> str:
    """A median or percentile: one decimal place, none when whole; a dash for no figure."""
    if value is None:
        return "–"
    return f"{value:,.1f}".removesuffix(".0")


@register.filter
def can_see_management_info(user: object) -> bool:
    """For the staff menu; the pages ask cases.permissions themselves."""
    from whistledesk.cases.permissions import Perm, has_perm

    return has_perm(user, Perm.MANAGEMENT_INFO)
