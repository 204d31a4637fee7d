"""The Welsh catalogue (whistledesk/locale/cy): complete for every public string, not fuzzy,
the committed .mo is the compiled .po, and `makemessages` finds nothing new.

Staff-only strings may be in the catalogue untranslated ("English first"); which entries are
public is read from their `#:` source references.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "whistledesk"
PO = PACKAGE / "locale" / "cy" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
WELSH_PLURALS = (
    "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"
)
# Sources a whistleblower's pages, errors and emails come from.
PUBLIC_SOURCES = ("intake/", "core/", "notifications/messages.py", "casefiles/attachments.py")
STAFF_ONLY_SOURCES = (
    "core/templates/whistledesk/staff_base.html",
    "core/templates/whistledesk/error_staff.html",
)


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    fuzzy: bool = False
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def public(self) -> bool:
        return any(
            r.startswith(PUBLIC_SOURCES) and not r.startswith(STAFF_ONLY_SOURCES) for r in self.refs
        )


def _unquote(text: str) -> str:
    out = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), out)


def parse_po(text: str) -> list[Entry]:
    """A small .po reader: enough for GNU gettext's own output."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry = Entry()
        target: tuple[str, int] | None = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
                continue
            if line.startswith("#:"):
                entry.refs += [r.rsplit(":", 1)[0] for r in line[2:].split()]
            elif line.startswith("#,"):
                entry.fuzzy = entry.fuzzy or "fuzzy" in line
            elif line.startswith("#"):
                continue
            elif line.startswith("msgctxt "):
                entry.msgctxt, target = _unquote(line[8:]), ("msgctxt", 0)
            elif line.startswith("msgid_plural "):
                entry.plural, target = _unquote(line[13:]), ("plural", 0)
            elif line.startswith("msgid "):
                entry.msgid, target = _unquote(line[6:]), ("msgid", 0)
            elif line.startswith("msgstr["):
                index = int(line[7 : line.index("]")])
                entry.msgstr.append(_unquote(line[line.index("]") + 2 :]))
                target = ("msgstr", index)
            elif line.startswith("msgstr "):
                entry.msgstr.append(_unquote(line[7:]))
                target = ("msgstr", 0)
            elif line.startswith('"') and target:
                more = _unquote(line)
                kind, index = target
                if kind == "msgstr":
                    entry.msgstr[-1] += more
                elif kind == "msgctxt":
                    entry.msgctxt = (entry.msgctxt or "") + more
                elif kind == "plural":
                    entry.plural = (entry.plural or "") + more
                else:
                    entry.msgid += more
        entries.append(entry)
    return entries


def _messages(entries: list[Entry]) -> dict[tuple[str | None, str], Entry]:
    return {e.key: e for e in entries if e.msgid and not e.obsolete}


def test_the_header_has_welsh_plural_forms() -> None:
    header = next(e for e in parse_po(PO.read_text(encoding="utf-8")) if e.msgid == "")
    assert f"Plural-Forms: {WELSH_PLURALS}" in header.msgstr[0]
    assert "Language: cy" in header.msgstr[0]
    assert not header.fuzzy


def test_every_public_string_is_translated_and_none_is_fuzzy() -> None:
    entries = _messages(parse_po(PO.read_text(encoding="utf-8")))
    public = [e for e in entries.values() if e.public]
    assert len(public) > 200  # the whole public service, not a sample
    untranslated = [e.msgid for e in public if not e.msgstr or not all(e.msgstr)]
    fuzzy = [e.msgid for e in entries.values() if e.fuzzy]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy
    plurals = [e for e in public if e.plural]
    assert plurals and all(len(e.msgstr) == 6 for e in plurals)
    # Placeholders survive translation (a dropped one would lose a number or a link)
    for e in public:
        wanted = _placeholders(e.plural or e.msgid)
        for text in e.msgstr:
            assert _placeholders(text) == wanted, (e.msgid, text)


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)s|\{\w+(?::[^}]*)?\}", text))


def test_the_committed_mo_is_the_compiled_po(tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt is missing: run `make system-deps` (apt-get install gettext)")
    compiled = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 - fixed arguments
        [msgfmt, "--check", "-o", str(compiled), str(PO)], check=True, capture_output=True
    )
    with compiled.open("rb") as fresh, MO.open("rb") as committed:
        assert gettext.GNUTranslations(fresh)._catalog == (  # type: ignore[attr-defined]
            gettext.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
        ), "the committed django.mo is stale: run msgfmt -o django.mo django.po"


def test_makemessages_finds_no_string_the_catalogue_lacks(
    tmp_path: Path, settings: Any, monkeypatch: Any
) -> None:
    from django.core.management import call_command

    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: run `make system-deps` (apt-get install gettext)")
    # Given a copy of the package without its catalogue (makemessages writes beside sources)
    tree = tmp_path / "whistledesk"
    shutil.copytree(
        PACKAGE,
        tree,
        ignore=shutil.ignore_patterns("locale", "__pycache__", "frontend", "static", "*.pyc"),
    )
    out = tmp_path / "out"
    (out / "cy" / "LC_MESSAGES").mkdir(parents=True)
    settings.LOCALE_PATHS = [out]
    monkeypatch.chdir(tree)
    # When makemessages collects every marked string
    call_command("makemessages", locale=["cy"], verbosity=0, no_wrap=True)
    fresh = _messages(parse_po((out / "cy" / "LC_MESSAGES" / "django.po").read_text("utf-8")))
    committed = _messages(parse_po(PO.read_text(encoding="utf-8")))
    # Then every one has its entry, and the catalogue keeps no string the code dropped
    assert sorted(k[1] for k in fresh.keys() - committed.keys()) == []
    assert sorted(k[1] for k in committed.keys() - fresh.keys()) == []
    # ...and an entry's plural is the code's plural
    for key, entry in fresh.items():
        assert committed[key].plural == entry.plural, key


def test_parse_po_reads_wrapped_fuzzy_and_plural_entries() -> None:
    # The checks above are only worth something if the reader sees what GNU gettext writes.
    entries = parse_po(
        '#: intake/a.py:1\n#, fuzzy\nmsgid ""\n"Two "\n"lines"\nmsgstr "Dwy linell"\n\n'
        '#: accounts/b.html:2\nmsgctxt "c"\nmsgid "One"\nmsgid_plural "Many"\n'
        'msgstr[0] ""\nmsgstr[1] "Llawer"\n'
    )
    first, second = entries
    assert (first.msgid, first.fuzzy, first.public, first.msgstr) == (
        "Two lines",
        True,
        True,
        ["Dwy linell"],
    )
    assert (second.msgctxt, second.plural, second.public, second.msgstr) == (
        "c",
        "Many",
        False,
        ["", "Llawer"],
    )
