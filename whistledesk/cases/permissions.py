"""The one authority over who may see or do what with a case.

Organisations first (ADR 0017): a member of staff works for one organisation and may do
nothing at all with another organisation's case. `refusal`/`require`/`can_act_on` answer
such a case exactly as a missing one (`NOT_FOUND`, `CaseNotFound`: views show their 404),
so nobody learns that a reference exists elsewhere; `register_visible` and
`allowed_cases` keep only the user's organisation's cases. An account with no organisation
sees no case.

Every staff page, file download, reply, API endpoint, admin view and service asks here
(`require`, `refusal`, `can_act_on`, `allowed_perms`); nothing else decides. Holding a case
key is necessary to open sealed content, never sufficient: the sealed-storage services
(`casefiles.services`, `casefiles.notes`) ask this module before they unseal anything, so
a person who still holds a key grant (after a reassignment, a conflict or a role change)
is refused anyway.

A user holding several roles may do what any of them allows. Each role allows a
permission on a *scope* of cases:
- ANY: every case;
- HANDLER: only the case they are the handler of (a role change or a reassignment ends it);
- UNASSIGNED: only a case with no handler yet (triage).
On top of the table: a member of staff recorded as having a conflict of interest with a
case may do nothing with it (not even see its register entry), and an inactive account
may do nothing at all.

The decided matrix (also in docs/adr/0002, "Who may open a case"). I intake officer,
C caseworker, S safeguarding lead, M manager, A auditor; "-" everyone else (custodians):

| decision                                       | I          | C          | S   | M   | A   |
|------------------------------------------------|------------|------------|-----|-----|-----|
| see the register entry and case page           | any        | any        | any | any | any |
| open sealed content (narrative, messages, notes) | unassigned | handler  | any | any | -   |
| download files                                 | unassigned | handler    | any | any | -   |
| message the whistleblower                      | unassigned | handler    | -   | any | -   |
| see identity (with the identity key, ADR 0004) | unassigned | handler    | any | any | -   |
| ask a custodian for the identity               | -          | handler    | -   | any | -   |
| acknowledge                                    | unassigned | handler    | -   | any | -   |
| take an unassigned case                        | -          | unassigned | -   | unassigned | - |
| assess, move on, refer, actions, consent, close | -         | handler    | -   | any | -   |
| raise a safeguarding concern                   | unassigned | handler    | any | any | -   |
| confirm safeguarding action                    | -          | -          | any | -   | -   |
| assign, record a conflict, reopen              | -          | -          | -   | any | -   |
| extend the feedback deadline (with a reason)   | -          | handler    | -   | any | -   |
| set a reminder on the case (for oneself)       | unassigned | handler    | any | any | -   |
| publish the annual report (no case involved)   | -          | -          | -   | yes | -   |
| signpost to another prescribed person          | -          | handler    | -   | any | -   |
| word the signposting message (no case)         | -          | -          | -   | yes | -   |
| management information and the register export | -          | -          | -   | yes | yes |
| word the follow-up messages (no case involved) | -          | -          | -   | yes | -   |

"Message the whistleblower" also covers issuing a receipt to someone who phoned or wrote,
sharing call notes with them and sending follow-up messages by letter or email.

Custodians decide identity requests (whistledesk.identity), which needs no case content.
"""

from __future__ import annotations

import enum
import operator
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from whistledesk.accounts.roles import Role
from whistledesk.core.exceptions import NotPermitted

if TYPE_CHECKING:
    from django.db.models import QuerySet


class Perm(enum.StrEnum):
    VIEW_REGISTER = "view_register"
    VIEW_CASE = "view_case"  # the case's register entry and casework page
    OPEN_CONTENT = "open_content"  # narrative, documents, messages, casework notes
    DOWNLOAD_FILES = "download_files"
    MESSAGE_SOURCE = "message_source"  # write to the whistleblower's inbox
    SEE_IDENTITY = "see_identity"  # and then only with the identity key (ADR 0004)
    REQUEST_IDENTITY = "request_identity"
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
    PUBLISH_REPORT = "publish_report"  # the annual report; concerns no single case
    SIGNPOST = "signpost"  # out of remit: point the whistleblower to another prescribed person
    CONFIGURE_SIGNPOSTING = "configure_signposting"  # the message's wording; no single case
    # Figures over the register and its clear-field export (reports.management_info); no content.
    MANAGEMENT_INFO = "management_info"
    EDIT_QUESTIONNAIRE = "edit_questionnaire"  # the public form; concerns no single case
    EDIT_FOLLOWUP_WORDING = "edit_followup_wording"  # the organisation's message templates
    EXTEND_FEEDBACK = "extend_feedback"  # justified extension to 6 months (Art 11(2)(d))
    SET_REMINDER = "set_reminder"  # a dated reminder with a sealed note, for oneself


class Scope(enum.Enum):
    ANY = "any"
    HANDLER = "handler"
    UNASSIGNED = "unassigned"


_I, _C, _S, _M, _A = (
    Role.INTAKE_OFFICER,
    Role.CASEWORKER,
    Role.SAFEGUARDING_LEAD,
    Role.MANAGER,
    Role.AUDITOR,
)
ANY, HANDLER, UNASSIGNED = Scope.ANY, Scope.HANDLER, Scope.UNASSIGNED

_CASEWORK = {_C: HANDLER, _M: ANY}  # the handler's work; managers step in on any case
_CONTENT = {_I: UNASSIGNED, _C: HANDLER, _S: ANY, _M: ANY}

POLICY: dict[Perm, dict[Role, Scope]] = {
    Perm.VIEW_REGISTER: {_I: ANY, _C: ANY, _S: ANY, _M: ANY, _A: ANY},
    Perm.VIEW_CASE: {_I: ANY, _C: ANY, _S: ANY, _M: ANY, _A: ANY},
    Perm.OPEN_CONTENT: _CONTENT,
    Perm.DOWNLOAD_FILES: _CONTENT,
    Perm.MESSAGE_SOURCE: {_I: UNASSIGNED, _C: HANDLER, _M: ANY},
    Perm.SEE_IDENTITY: _CONTENT,
    Perm.REQUEST_IDENTITY: _CASEWORK,
    Perm.RECORD_DISCLOSURE: {_I: ANY, _C: ANY, _M: ANY},
    Perm.ACKNOWLEDGE: {_I: UNASSIGNED, _C: HANDLER, _M: ANY},
    Perm.ASSESS: _CASEWORK,
    Perm.ASSIGN: {_M: ANY},
    Perm.TAKE_CASE: {_C: UNASSIGNED, _M: UNASSIGNED},
    Perm.RECORD_CONFLICT: {_M: ANY},
    Perm.PROGRESS: _CASEWORK,
    Perm.REFER: _CASEWORK,
    Perm.RECORD_ACTION: _CASEWORK,
    Perm.RECORD_CONSENT: _CASEWORK,
    # Anyone who may read the case may spot a risk to a child; only a lead signs it off.
    Perm.RAISE_CONCERN: _CONTENT,
    Perm.CONFIRM_SAFEGUARDING: {_S: ANY},
    Perm.CLOSE: _CASEWORK,
    Perm.REOPEN: {_M: ANY},
    Perm.PUBLISH_REPORT: {_M: ANY},
    Perm.SIGNPOST: _CASEWORK,
    Perm.CONFIGURE_SIGNPOSTING: {_M: ANY},
    Perm.MANAGEMENT_INFO: {_M: ANY, _A: ANY},
    Perm.EDIT_QUESTIONNAIRE: {_M: ANY},
    Perm.EDIT_FOLLOWUP_WORDING: {_M: ANY},
    Perm.EXTEND_FEEDBACK: _CASEWORK,
    # Its note is sealed under the case key: those who may read the case's content.
    Perm.SET_REMINDER: _CONTENT,
}

_MESSAGES = {
    Perm.VIEW_REGISTER: "see the register",
    Perm.VIEW_CASE: "open this case",
    Perm.OPEN_CONTENT: "read this case's content",
    Perm.DOWNLOAD_FILES: "download this case's files",
    Perm.MESSAGE_SOURCE: "write to the whistleblower",
    Perm.SEE_IDENTITY: "see the whistleblower's identity",
    Perm.REQUEST_IDENTITY: "ask to see the whistleblower's identity",
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
    Perm.PUBLISH_REPORT: "publish the annual report (managers only)",
    Perm.SIGNPOST: "signpost whistleblowers to another prescribed person",
    Perm.CONFIGURE_SIGNPOSTING: "change the signposting message (managers only)",
    Perm.MANAGEMENT_INFO: "see management information (managers and auditors only)",
    Perm.EDIT_QUESTIONNAIRE: "change the public form (managers only)",
    Perm.EDIT_FOLLOWUP_WORDING: "change the messages to whistleblowers (managers only)",
    Perm.EXTEND_FEEDBACK: "extend the feedback deadline",
    Perm.SET_REMINDER: "set reminders on this case",
}

CONFLICT_MESSAGE = "You are recorded as having a conflict of interest with this case."
# Another organisation's case is refused in the words of a missing one (views answer 404).
NOT_FOUND = "No case has this reference."


class CaseNotFound(NotPermitted):
    """The case is another organisation's: to be shown exactly as a case that does not exist."""


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _scopes(user: Any, perm: Perm) -> set[Scope]:
    return {scope for role, scope in POLICY[perm].items() if user.has_role(role)}


def _in_scope(scope: Scope, user: Any, disclosure: Any) -> bool:
    if scope is ANY:
        return True
    if scope is HANDLER:
        return bool(disclosure.handler_id is not None and disclosure.handler_id == user.pk)
    return disclosure.handler_id is None


def has_perm(user: Any, perm: Perm) -> bool:
    """Does the user's role allow `perm` on some case (ignoring which case)?"""
    return _active(user) and bool(_scopes(user, perm))


def is_excluded(user: Any, disclosure: Any) -> bool:
    return disclosure.conflicts.filter(user_id=user.pk).exists()


def same_organisation(user: Any, disclosure: Any) -> bool:
    """Is the case the user's own organisation's? (No organisation: no case is.)"""
    org_id = getattr(user, "organisation_id", None)
    return org_id is not None and disclosure.organisation_id == org_id


def _refusal(user: Any, perm: Perm, disclosure: Any, *, excluded: bool | None) -> str | None:
    if not _active(user):
        return "Sign in as an active member of staff."  # the same for any case, or none
    if disclosure is not None and not same_organisation(user, disclosure):
        return NOT_FOUND  # before the role: not even whether it would allow this
    scopes = _scopes(user, perm)
    if not scopes:
        return f"Your role does not allow you to {_MESSAGES[perm]}."
    if disclosure is None:
        return None
    if excluded if excluded is not None else is_excluded(user, disclosure):
        return CONFLICT_MESSAGE
    if any(_in_scope(scope, user, disclosure) for scope in scopes):
        return None
    if disclosure.handler_id is None:
        return f"Take this case first: only its handler or a manager can {_MESSAGES[perm]}."
    if HANDLER in scopes:
        return "This case is assigned to another member of staff."
    return f"This case has a handler now: only they or a manager can {_MESSAGES[perm]}."


def refusal(user: Any, perm: Perm, disclosure: Any = None) -> str | None:
    """Why `user` may not do `perm` (on `disclosure`), in words they can act on; None if
    they may. Without a disclosure, whether their role allows it on some case."""
    return _refusal(user, perm, disclosure, excluded=None)


def organisation_cases(user: Any, cases: QuerySet[Any]) -> QuerySet[Any]:
    """The cases of `cases` that are the user's organisation's (none without one): what any
    list of cases starts from, before the role and conflicts narrow it."""
    org_id = getattr(user, "organisation_id", None)
    return cases.none() if org_id is None else cases.filter(organisation_id=org_id)


def register_visible(user: Any, cases: QuerySet[Any]) -> QuerySet[Any]:
    """The cases of `cases` whose register entry `user` may see: VIEW_REGISTER as a query,
    for the register lists (page and API): the user's organisation's only. A conflict hides
    the row too, not only the page."""
    if not has_perm(user, Perm.VIEW_REGISTER):
        return cases.none()
    return organisation_cases(user, cases).exclude(conflicts__user_id=user.pk)


def allowed_cases(user: Any, perm: Perm, cases: QuerySet[Any]) -> QuerySet[Any]:
    """The cases of `cases` on which `user` may do `perm`: the table above as a query, so a
    list (e.g. "Replies waiting", OPEN_CONTENT) holds exactly the cases `refusal` allows,
    the user's organisation's only."""
    if not has_perm(user, perm):
        return cases.none()
    cases = organisation_cases(user, cases)
    scopes = _scopes(user, perm)
    if ANY not in scopes:
        parts = {HANDLER: Q(handler_id=user.pk), UNASSIGNED: Q(handler__isnull=True)}
        cases = cases.filter(reduce(operator.or_, (parts[s] for s in scopes)))
    return cases.exclude(conflicts__user_id=user.pk)


def can_act_on(user: Any, perm: Perm, disclosure: Any) -> bool:
    return refusal(user, perm, disclosure) is None


def require(user: Any, perm: Perm, disclosure: Any = None) -> None:
    """Raise NotPermitted with a message the person can act on (CaseNotFound for another
    organisation's case: show it as a missing one)."""
    message = refusal(user, perm, disclosure)
    if message == NOT_FOUND:
        raise CaseNotFound(message)
    if message is not None:
        raise NotPermitted(message)


def allowed_perms(user: Any, disclosure: Any) -> set[Perm]:
    """Every permission the user holds on this case (one exclusion query, then the table)."""
    if not _active(user) or not same_organisation(user, disclosure):
        return set()
    excluded = is_excluded(user, disclosure)
    return {p for p in Perm if _refusal(user, p, disclosure, excluded=excluded) is None}
