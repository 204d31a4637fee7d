"""Reads for disclosure control of the report's staff-written texts (ADR 0015).

Each text (the introduction, the impact, the two examples) is checked against values the
register holds in clear that could identify a setting, a person or a case:

- **setting**: a setting name recorded on any disclosure, matched as the register matches
  settings (`cases.assessment.normalise_setting`: case, accents, punctuation and filler
  words ignored), so "St Mary's" finds "ST MARYS";
- **urn**: an Ofsted URN recorded on any disclosure;
- **local_authority**: a local authority recorded on fewer disclosures received in the
  year than the small-cell threshold;
- **referral_body**: a body in the referral directory that is not a national regulator
  (Ofsted, the CQC, other regulators) nor named only by its kind ("Police", "Local
  authority designated officer (LADO)"): a named LADO or police force points to an area;
- **staff**: a member of staff's first and last name together.

Whistleblowers' names are never in clear (they are sealed, `casefiles`), and nothing sealed
is opened for this check. Setting names and URNs are found with indexed lookups of the
text's own word sequences, so the cost follows the length of the text, not the register.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Q

from whistledesk.accounts.models import User
from whistledesk.cases.assessment import normalise_setting, normalise_urn
from whistledesk.cases.models import BodyKind, Disclosure, ReferralBody
from whistledesk.organisation.models import Organisation
from whistledesk.reports.report import AnnualReport

# The report's staff-written texts, in the order the report prints them.
SECTIONS = {
    "functions": "Introduction (the organisation's functions)",
    "further_action_example": "Example of further action",
    "no_further_action_example": "Example of no further action",
    "impact": "Impact on our functions",
}
KINDS = {
    "setting": "a setting named in the register",
    "urn": "an Ofsted URN in the register",
    "local_authority": "a local authority with few disclosures this year",
    "referral_body": "a referral body that is not a national regulator",
    "staff": "the name of a member of staff",
}
# National regulators, and names that say only what kind of body it is ("Police", the
# directory's starting entries): naming one identifies no area or setting.
GENERIC_BODIES = {BodyKind.OFSTED, BodyKind.CQC, BodyKind.OTHER_REGULATOR}
GENERIC_BODY_NAMES = {label.casefold() for label in BodyKind.labels} | {
    "police",
    "the police",
    "lado",
    "local authority",
    "local authority children's services",
    "local authority designated officer (lado)",
}
# Longest setting name looked for, in words (after filler words are dropped).
MAX_SETTING_WORDS = 12
# Bound parameters per IN (): well under SQLite's limit.
_CHUNK = 500
_URN = re.compile(r"\b(?:[A-Za-z]{2}\s?)?\d{5,8}\b")


@dataclass(frozen=True)
class Finding:
    section: str
    kind: str
    # Identifies what was found across edits: a setting key, a URN, a name folded, an id.
    match: str
    # What the register holds, shown to the manager.
    value: str

    @property
    def key(self) -> str:
        return f"text:{self.section}:{self.kind}:{self.match}"


def report_texts(report: AnnualReport) -> dict[str, str]:
    """The texts as the report prints them (`{year}` in the introduction filled in)."""
    return {
        "functions": report.functions_text.replace("{year}", report.year_label),
        "further_action_example": report.further_action_example,
        "no_further_action_example": report.no_further_action_example,
        "impact": report.impact_text,
    }


def with_text(report: AnnualReport, section: str, text: str) -> AnnualReport:
    """The report with one text replaced (a preview of what is being written)."""
    if section == "functions":
        return dataclasses.replace(report, functions_text=text)
    if section == "impact":
        return dataclasses.replace(report, impact_text=text)
    if section == "further_action_example":
        return dataclasses.replace(report, further_action_example=text)
    return dataclasses.replace(report, no_further_action_example=text)


def _words(text: str) -> list[str]:
    # normalise_setting cuts at 200 characters, so it is applied a word at a time.
    out: list[str] = []
    for token in text.split():
        out += normalise_setting(token).split()
    return out


def _phrases(words: list[str]) -> set[str]:
    return {
        " ".join(words[i : i + n])
        for i in range(len(words))
        for n in range(1, MAX_SETTING_WORDS + 1)
        if i + n <= len(words)
    }


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    items = sorted(values)
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _scope(organisation: Organisation) -> Q:
    return Q(organisation=organisation)


def _settings(organisation: Organisation, text: str) -> dict[str, str]:
    """Setting keys found in `text` -> a name the register records for each."""
    found: dict[str, str] = {}
    for chunk in _chunks(_phrases(_words(text))):
        rows = (
            Disclosure.objects.filter(_scope(organisation), setting_key__in=chunk)
            .values_list("setting_key", "setting_name")
            .order_by("setting_key")
        )
        for key, name in rows:
            found.setdefault(key, name)
    return found


def _urns(organisation: Organisation, text: str) -> set[str]:
    candidates = {normalise_urn(m.group(0)) for m in _URN.finditer(text)}
    # "SC123456" may be recorded as "123456" and the other way round.
    candidates |= {re.sub(r"^[A-Z]+", "", c) for c in candidates}
    found: set[str] = set()
    for chunk in _chunks(c for c in candidates if c):
        found.update(
            Disclosure.objects.filter(_scope(organisation), ofsted_urn__in=chunk)
            .values_list("ofsted_urn", flat=True)
            .distinct()
        )
    return found


def _contains(text: str, name: str) -> bool:
    words = name.split()
    if not words:
        return False
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
    return re.search(pattern, text, flags=re.IGNORECASE) is not None


def _few_local_authorities(
    organisation: Organisation, report: AnnualReport, threshold: int
) -> list[str]:
    """Local authorities on fewer than `threshold` of the year's disclosures: one GROUP BY."""
    return list(
        Disclosure.objects.filter(
            _scope(organisation),
            received_on__gte=report.period_start,
            received_on__lte=report.period_end,
        )
        .exclude(local_authority="")
        .values("local_authority")
        .annotate(n=Count("*"))
        .filter(n__lt=threshold)
        .order_by("local_authority")
        .values_list("local_authority", flat=True)
    )


def text_findings(
    *, organisation: Organisation, report: AnnualReport, texts: dict[str, str], threshold: int
) -> list[Finding]:
    """Every identifying value from the register found in each text, in section order."""
    authorities = _few_local_authorities(organisation, report, threshold)
    bodies = [
        (pk, name)
        for pk, name in ReferralBody.objects.exclude(kind__in=GENERIC_BODIES)
        .order_by("name")
        .values_list("pk", "name")
        if " ".join(name.split()).casefold() not in GENERIC_BODY_NAMES
    ]
    staff = [
        (pk, f"{first.strip()} {last.strip()}")
        for pk, first, last in User.objects.filter(organisation=organisation)
        .exclude(first_name="")
        .exclude(last_name="")
        .order_by("pk")
        .values_list("pk", "first_name", "last_name")
    ]
    findings: list[Finding] = []
    for section, text in texts.items():
        if not text.strip():
            continue
        for key, name in _settings(organisation, text).items():
            findings.append(Finding(section, "setting", key, name))
        for urn in sorted(_urns(organisation, text)):
            findings.append(Finding(section, "urn", urn, urn))
        for authority in authorities:
            if _contains(text, authority):
                findings.append(
                    Finding(section, "local_authority", authority.casefold(), authority)
                )
        for pk, body in bodies:
            if _contains(text, body):
                findings.append(Finding(section, "referral_body", str(pk), body))
        for pk, name in staff:
            if _contains(text, name):
                findings.append(Finding(section, "staff", str(pk), name))
    return findings
