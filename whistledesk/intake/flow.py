"""The order of the form's pages, which apply to a given set of answers, and which are done.

The flow is data, not views: the views ask "what comes next?" and "what came before?" here,
so a change of answer (say, choosing anonymous after giving a name) re-routes consistently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whistledesk.intake import forms as f


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type[f.StepForm] | None  # None: an information page with a Continue button
    # The answer keys this page writes; the page is done when all the required ones are set.
    keys: tuple[str, ...] = ()


STEPS: tuple[Step, ...] = (
    Step("risk", "Is a child at risk of immediate harm?", f.RiskForm, ("risk",)),
    Step("emergency", "If a child is in danger now", None, ("emergency_seen",)),
    Step("service", "What is your concern about?", f.ServiceForm, ("service",)),
    Step("setting", "Where did it happen?", f.SettingForm, ("setting_name",)),
    Step("what-happened", "What happened?", f.NarrativeForm, ("narrative",)),
    Step("raised-before", "Have you raised this concern before?", f.RaisedForm, ("raised",)),
    Step(
        "raised-details",
        "Who you raised it with",
        f.RaisedDetailsForm,
        ("raised_with", "raised_times"),
    ),
    Step("your-role", "What is your connection to the organisation?", f.RoleForm, ("role",)),
    Step("identity", "Do you want to tell us who you are?", f.IdentityForm, ("identity",)),
    Step("contact", "Your details", f.ContactForm, ("name", "contact_how")),
    Step("files", "Add files", None, ("files_done",)),
)
BY_SLUG = {s.slug: s for s in STEPS}
CHECK = "check"

# Answers that belong to a page which no longer applies are dropped, so that (for example)
# a name typed before choosing "anonymous" is never submitted.
_OWNED_KEYS = {
    "emergency": ("emergency_seen",),
    "raised-details": ("raised_with", "raised_times"),
    "contact": ("name", "email", "phone", "contact_how"),
}


def applies(step: Step, answers: dict[str, Any]) -> bool:
    if step.slug == "emergency":
        return answers.get("risk") == "yes"
    if step.slug == "raised-details":
        return answers.get("raised") == "yes"
    if step.slug == "contact":
        return answers.get("identity") in {"confidential", "open"}
    return True


def is_done(step: Step, answers: dict[str, Any]) -> bool:
    return all(answers.get(k) not in (None, "") for k in step.keys)


def applicable(answers: dict[str, Any]) -> list[Step]:
    return [s for s in STEPS if applies(s, answers)]


def first_incomplete(answers: dict[str, Any]) -> str:
    """The first page still to answer, or CHECK when every page that applies is done."""
    for step in applicable(answers):
        if not is_done(step, answers):
            return step.slug
    return CHECK


def may_visit(slug: str, answers: dict[str, Any]) -> bool:
    """A page may be shown once every applicable page before it is done (no skipping ahead)."""
    if slug == CHECK:
        return first_incomplete(answers) == CHECK
    step = BY_SLUG[slug]
    if not applies(step, answers):
        return False
    for s in applicable(answers):
        if s.slug == slug:
            return True
        if not is_done(s, answers):
            return False
    return False


def after(slug: str, answers: dict[str, Any]) -> str:
    """The page that follows `slug` for these answers (CHECK after the last)."""
    pages = [s.slug for s in applicable(answers)]
    if slug in pages:
        i = pages.index(slug)
        if i + 1 < len(pages):
            return pages[i + 1]
    return CHECK


def before(slug: str, answers: dict[str, Any]) -> str | None:
    """The page before `slug`, or None for the first (the back link goes to the start page)."""
    pages = [s.slug for s in applicable(answers)] + [CHECK]
    if slug not in pages:
        return None
    i = pages.index(slug)
    return pages[i - 1] if i > 0 else None


def prune(answers: dict[str, Any]) -> dict[str, Any]:
    """Drop answers that belong to pages that no longer apply."""
    pruned = dict(answers)
    for slug, keys in _OWNED_KEYS.items():
        if not applies(BY_SLUG[slug], pruned):
            for k in keys:
                pruned.pop(k, None)
    return pruned
