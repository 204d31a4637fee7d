"""Defence in depth: refuse audit details that look like sensitive content.

Audit events are kept for ever and read by auditors who must not see case content, so
`details` may hold only short, non-identifying labels (states, role names, counts, ids).
Callers are expected to get this right; this check catches the slip before it is chained
in permanently. Floats are refused too: PostgreSQL's jsonb may re-print them (1e2 -> 100),
which would change the canonical payload and break verification of an honest event.
"""

from __future__ import annotations

from typing import Any

# Keys (after lower-casing) that name sensitive content outright, or end like one that does.
DENIED_KEYS = frozenset(
    {
        "narrative",
        "story",
        "identity",
        "receipt",
        "receipt_code",
        "email",
        "name",
        "full_name",
        "first_name",
        "last_name",
        "phone",
        "telephone",
        "address",
        "contact",
        "password",
        "passphrase",
        "secret",
        "key",
        "private_key",
        "token",
        "message",
        "body",
        "text",
        "content",
        # casework notes are sealed under the case key (casefiles.notes)
        "summary",
        "reason",
    }
)
DENIED_SUFFIXES = (
    "_email",
    "_name",
    "_phone",
    "_address",
    "_narrative",
    "_identity",
    "_receipt",
    "_password",
    "_secret",
    "_key",
    "_token",
    "_content",
    "_summary",
    "_reason",
)
MAX_STRING = 200
MAX_DEPTH = 3


class AuditDetailsRejected(ValueError):
    """A programming error: the details would put sensitive content in the audit log.

    The message names the offending key but never echoes the value.
    """


def check_details(details: dict[str, Any]) -> None:
    _check_mapping(details, path="details", depth=0)


def _check_mapping(mapping: dict[str, Any], *, path: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise AuditDetailsRejected(f"{path} is nested too deeply")
    for key, value in mapping.items():
        if not isinstance(key, str):
            raise AuditDetailsRejected(f"{path} has a non-string key")
        lowered = key.lower()
        if lowered in DENIED_KEYS or lowered.endswith(DENIED_SUFFIXES):
            raise AuditDetailsRejected(
                f"{path}.{key} looks like sensitive content; audit events must not hold it"
            )
        _check_value(value, path=f"{path}.{key}", depth=depth)


def _check_value(value: Any, *, path: str, depth: int) -> None:
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, float):
        raise AuditDetailsRejected(f"{path} is a float; record it as a string or an integer")
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise AuditDetailsRejected(
                f"{path} is longer than {MAX_STRING} characters; free text does not belong here"
            )
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_value(item, path=f"{path}[{i}]", depth=depth + 1)
        return
    if isinstance(value, dict):
        _check_mapping(value, path=path, depth=depth + 1)
        return
    raise AuditDetailsRejected(f"{path} has an unsupported type {type(value).__name__}")
