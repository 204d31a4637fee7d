"""Who may do what in casework: the one permission table, used by services and views.

Roles come from `accounts.roles.Role`. A user holding several roles may do what any of
them allows. Two rules sit on top of the table, in `can_act_on`:
- a member of staff recorded as having a conflict of interest may neither open nor act on
  the case, whatever their role;
- a caseworker changes only cases assigned to them or not yet assigned (managers any).
"""

from __future__ import annotations

import enum
from typing import Any

from whistledesk.accounts.roles import Role
from whistledesk.core.exceptions import NotPermitted


class Perm(enum.StrEnum):
    VIEW_REGISTER = "view_register"
    VIEW_CASE = "view_case"
    RECORD_DISCLOSURE = "record_disclosure"
    ACKNOWLEDGE = "acknowledge"
    ASSESS = "assess"
    ASSIGN = "assign"
    TAKE_CASE = "take_case"  # assign an unassigned case to oneself
    RECORD_CONFLICT = "record_conflict"
    PROGRESS = "progress"  # move between assessing, action and awaiting reassurance
    REFER = "refer"
    RECORD_ACTION = "record_action"
    RECORD_CONSENT = "record_consent"
    RAISE_CONCERN = "raise_concern"
    CONFIRM_SAFEGUARDING = "confirm_safeguarding"
    CLOSE = "close"
    REOPEN = "reopen"


_I, _C, _S, _M, _A = (
    Role.INTAKE_OFFICER,
    Role.CASEWORKER,
    Role.SAFEGUARDING_LEAD,
    Role.MANAGER,
    Role.AUDITOR,
)

PERMISSIONS: dict[Perm, frozenset[Role]] = {
    Perm.VIEW_REGISTER: frozenset({_I, _C, _S, _M, _A}),
    Perm.VIEW_CASE: frozenset({_I, _C, _S, _M, _A}),
    Perm.RECORD_DISCLOSURE: frozenset({_I, _C, _M}),
    Perm.ACKNOWLEDGE: frozenset({_I, _C, _M}),
    Perm.ASSESS: frozenset({_C, _M}),
    Perm.ASSIGN: frozenset({_M}),
    Perm.TAKE_CASE: frozenset({_C, _M}),
    Perm.RECORD_CONFLICT: frozenset({_M}),
    Perm.PROGRESS: frozenset({_C, _M}),
    Perm.REFER: frozenset({_C, _M}),
    Perm.RECORD_ACTION: frozenset({_C, _M}),
    Perm.RECORD_CONSENT: frozenset({_C, _M}),
    # Anyone who meets the case may spot a risk to a child; only the lead signs it off.
    Perm.RAISE_CONCERN: frozenset({_I, _C, _S, _M}),
    Perm.CONFIRM_SAFEGUARDING: frozenset({_S}),
    Perm.CLOSE: frozenset({_C, _M}),
    Perm.REOPEN: frozenset({_M}),
}

# Changes that a caseworker may make only on their own (or unassigned) cases.
_HANDLER_BOUND = {
    Perm.ASSESS,
    Perm.PROGRESS,
    Perm.REFER,
    Perm.RECORD_ACTION,
    Perm.RECORD_CONSENT,
    Perm.CLOSE,
}

_MESSAGES = {
    Perm.VIEW_REGISTER: "see the register",
    Perm.VIEW_CASE: "open this case",
    Perm.RECORD_DISCLOSURE: "record disclosures",
    Perm.ACKNOWLEDGE: "acknowledge disclosures",
    Perm.ASSESS: "assess disclosures",
    Perm.ASSIGN: "assign cases",
    Perm.TAKE_CASE: "take on cases",
    Perm.RECORD_CONFLICT: "record conflicts of interest",
    Perm.PROGRESS: "move cases on",
    Perm.REFER: "record referrals",
    Perm.RECORD_ACTION: "record actions",
    Perm.RECORD_CONSENT: "record consent",
    Perm.RAISE_CONCERN: "raise safeguarding concerns",
    Perm.CONFIRM_SAFEGUARDING: "confirm safeguarding action (safeguarding leads only)",
    Perm.CLOSE: "close cases",
    Perm.REOPEN: "reopen cases (managers only)",
}


def has_perm(user: Any, perm: Perm) -> bool:
    """Does the user's role allow `perm` at all (ignoring the case-specific rules)?"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return any(user.has_role(role) for role in PERMISSIONS[perm])


def is_excluded(user: Any, disclosure: Any) -> bool:
    return disclosure.conflicts.filter(user_id=user.pk).exists()


def can_act_on(user: Any, perm: Perm, disclosure: Any) -> bool:
    if not has_perm(user, perm) or is_excluded(user, disclosure):
        return False
    if perm in _HANDLER_BOUND and not user.has_role(Role.MANAGER):
        return disclosure.handler_id in (None, user.pk)
    return True


def require(user: Any, perm: Perm, disclosure: Any = None) -> None:
    """Raise NotPermitted with a message the person can act on."""
    if disclosure is not None and has_perm(user, perm) and is_excluded(user, disclosure):
        raise NotPermitted("You are recorded as having a conflict of interest with this case.")
    allowed = has_perm(user, perm) if disclosure is None else can_act_on(user, perm, disclosure)
    if allowed:
        return
    if has_perm(user, perm):
        raise NotPermitted("This case is assigned to another member of staff.")
    raise NotPermitted(f"Your role does not allow you to {_MESSAGES[perm]}.")


def allowed_perms(user: Any, disclosure: Any) -> set[Perm]:
    """Every permission the user holds on this case (one exclusion query, then the table)."""
    if is_excluded(user, disclosure):
        return set()
    out = set()
    for perm in Perm:
        if not has_perm(user, perm):
            continue
        if (
            perm in _HANDLER_BOUND
            and not user.has_role(Role.MANAGER)
            and disclosure.handler_id not in (None, user.pk)
        ):
            continue
        out.add(perm)
    return out
