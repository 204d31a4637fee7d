"""Read and check the prescribed persons file (TOML) before anything is stored.

The whole file is checked first and refused whole. Every problem names the entry (its
position, its key when it has one, and the line where its `[[body]]` starts), so the person
can find it. Format: see data/prescribed_persons.toml.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from whistledesk.core.exceptions import DomainError
from whistledesk.signposting.models import MAX_KEY, MAX_MATTERS, MAX_NAME, MAX_NOTE, MAX_PHONE

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "prescribed_persons.toml"

_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ]{5,}[0-9]$")
# field -> (required, maximum length)
_FIELDS: dict[str, tuple[bool, int]] = {
    "key": (True, MAX_KEY),
    "name": (True, MAX_NAME),
    "matters": (True, MAX_MATTERS),
    "website": (True, 200),
    "email": (False, 254),
    "phone": (False, MAX_PHONE),
    "note": (False, MAX_NOTE),
}
_DIRECTORY_FIELDS = {"last_checked", "source"}
MAX_FILE_BYTES = 1_000_000


class DirectoryFileError(DomainError):
    """The file is unusable; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class BodyEntry:
    key: str
    name: str
    matters: str
    website: str
    email: str = ""
    phone: str = ""
    note: str = ""


@dataclass(frozen=True)
class DirectoryFile:
    last_checked: dt.date
    source: str
    bodies: list[BodyEntry]
    sha256: str


def _entry_lines(text: str) -> list[int]:
    """The line number of each `[[body]]` header, in order (tomllib gives no positions)."""
    return [
        n
        for n, line in enumerate(text.splitlines(), start=1)
        if re.match(r"^\s*\[\[\s*body\s*\]\]", line)
    ]


def _check_body(raw: Any, where: str, problems: list[str]) -> BodyEntry | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a table of keys")
        return None
    before = len(problems)
    for unknown in sorted(set(raw) - set(_FIELDS)):
        problems.append(f"{where}: unknown key '{unknown}' (allowed: {', '.join(_FIELDS)})")
    values: dict[str, str] = {}
    for name, (required, limit) in _FIELDS.items():
        value = raw.get(name, "")
        if not isinstance(value, str):
            problems.append(f"{where}: {name} must be text in quotes")
            continue
        value = value.strip()
        if required and not value:
            problems.append(f"{where}: {name} is missing")
        elif len(value) > limit:
            problems.append(f"{where}: {name} is {len(value)} characters; at most {limit}")
        values[name] = value
    if values.get("key") and not _KEY.match(values["key"]):
        problems.append(
            f"{where}: key '{values['key']}' must be lower-case letters, digits and hyphens"
        )
    if values.get("website"):
        try:
            URLValidator(schemes=["https"])(values["website"])
        except ValidationError:
            problems.append(f"{where}: website must be a full https:// address")
    if values.get("email"):
        try:
            EmailValidator()(values["email"])
        except ValidationError:
            problems.append(f"{where}: email '{values['email']}' is not an email address")
    if values.get("phone") and not _PHONE.match(values["phone"]):
        problems.append(f"{where}: phone must be digits and spaces, e.g. 020 7946 0000")
    if len(problems) > before:
        return None
    return BodyEntry(**values)


def parse_directory(text: str) -> DirectoryFile:
    """Check the whole file; DirectoryFileError lists every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DirectoryFileError([f"not valid TOML: {exc}"]) from None
    problems: list[str] = []
    for unknown in sorted(set(data) - {"directory", "body"}):
        problems.append(f"unknown table '{unknown}' (allowed: [directory], [[body]])")
    directory = data.get("directory")
    last_checked: dt.date | None = None
    source = ""
    if not isinstance(directory, dict):
        problems.append("[directory] is missing: give last_checked (a date) and source")
    else:
        for unknown in sorted(set(directory) - _DIRECTORY_FIELDS):
            problems.append(f"[directory]: unknown key '{unknown}'")
        checked = directory.get("last_checked")
        if isinstance(checked, dt.date) and not isinstance(checked, dt.datetime):
            last_checked = checked
        else:
            problems.append("[directory]: last_checked must be a date, e.g. 2026-11-30")
        source = directory.get("source", "")
        if not isinstance(source, str) or not source.strip():
            problems.append("[directory]: source is missing (say where the entries come from)")
            source = ""
    raw_bodies = data.get("body", [])
    if not isinstance(raw_bodies, list) or not raw_bodies:
        problems.append("no [[body]] entries: the directory needs at least one")
        raw_bodies = []
    lines = _entry_lines(text)
    bodies: list[BodyEntry] = []
    seen_keys: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for i, raw in enumerate(raw_bodies):
        line = f"line {lines[i]}, " if i < len(lines) else ""
        label = raw.get("key") if isinstance(raw, dict) else None
        where = f"{line}entry {i + 1}" + (f" ({label})" if isinstance(label, str) else "")
        entry = _check_body(raw, where, problems)
        if entry is None:
            continue
        if entry.key in seen_keys:
            problems.append(f"{where}: key '{entry.key}' is already used by {seen_keys[entry.key]}")
        elif entry.name.casefold() in seen_names:
            problems.append(f"{where}: name is already used by {seen_names[entry.name.casefold()]}")
        else:
            seen_keys[entry.key] = where
            seen_names[entry.name.casefold()] = where
            bodies.append(entry)
    if problems or last_checked is None:
        raise DirectoryFileError(problems)
    return DirectoryFile(
        last_checked=last_checked,
        source=source.strip(),
        bodies=bodies,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def read_directory(path: str | Path) -> DirectoryFile:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DirectoryFileError([f"cannot read the file: {exc.strerror}"]) from None
    if len(data) > MAX_FILE_BYTES:
        raise DirectoryFileError([f"the file is larger than {MAX_FILE_BYTES:,} bytes"])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DirectoryFileError(["the file is not UTF-8 text"]) from None
    return parse_directory(text)
