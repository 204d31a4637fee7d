"""The order of the form's pages, which apply to a given set of answers, and which are done.

The pages come from the organisation's questionnaire (organisation/questionnaire.py), the
version the draft started with. The views ask "what comes next?" and "what came before?"
here, so a change of answer (say, choosing anonymous after giving a name) re-routes
consistently. Answers on a page that no longer applies are dropped (`prune`), so that a
name typed before choosing "anonymous" is never submitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from whistledesk.organisation.questionnaire import Page, Questionnaire

CHECK = "check"
CONTACT = "contact"
FILES = "files"
IDENTIFIED = {"confidential", "open"}


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    kind: str  # questions, info, identity, contact, files
    page: Page | None
    # The answer keys that must be set for the page to be done.
    keys: tuple[str, ...] = ()
    # Every key the page writes: dropped when the page no longer applies.
    owned: tuple[str, ...] = ()
    # Keys a Continue on the page records (information pages, pages of optional questions).
    markers: tuple[str, ...] = ()


def _marker(slug: str) -> str:
    return f"{slug.replace('-', '_')}_seen"


def _steps(questionnaire: Questionnaire) -> tuple[Step, ...]:
    # The fixed titles are in the active language: a Flow is built for one request.
    steps: list[Step] = []
    for page in questionnaire.pages:
        if page.kind == "questions":
            required = tuple(q.id for q in page.questions if q.required)
            markers = () if required else (_marker(page.slug),)
            steps.append(
                Step(
                    page.slug,
                    page.heading,
                    "questions",
                    page,
                    keys=required or markers,
                    owned=tuple(q.id for q in page.questions) + markers,
                    markers=markers,
                )
            )
        elif page.kind == "info":
            marker = (_marker(page.slug),)
            steps.append(Step(page.slug, page.title, "info", page, marker, marker, marker))
        elif page.kind == "identity":
            steps.append(
                Step(
                    page.slug,
                    _("Do you want to tell us who you are?"),
                    "identity",
                    page,
                    ("identity",),
                    ("identity",),
                )
            )
            steps.append(
                Step(
                    CONTACT,
                    _("Your details"),
                    "contact",
                    None,
                    ("name", "contact_how"),
                    ("name", "email", "phone", "contact_how"),
                )
            )
        elif page.kind == "files":
            steps.append(Step(FILES, _("Add files"), "files", page, ("files_done",)))
    return tuple(steps)


def _matches(value: Any, wanted: tuple[str, ...]) -> bool:
    if isinstance(value, list):
        return any(v in wanted for v in value)
    return value in wanted


class Flow:
    """The pages of one questionnaire version. `services` maps a service answer to its label."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        *,
        services: Mapping[str, str],
        service_words: Mapping[str, str] | None = None,
    ) -> None:
        self.questionnaire = questionnaire
        self.steps = _steps(questionnaire)
        self.by_slug = {s.slug: s for s in self.steps}
        self.services = services
        # The labels shown for a service answer in the page's language (`services` stays
        # English: pages shown for some services name them in English).
        self.service_words = service_words if service_words is not None else services
        service = questionnaire.service
        self._service_id = service.id if service else ""

    def applies(self, step: Step, answers: dict[str, Any]) -> bool:
        if step.kind == "contact":
            return answers.get("identity") in IDENTIFIED
        page = step.page
        if page is None:
            return True
        if page.show_if is not None and not _matches(
            answers.get(page.show_if.question), page.show_if.any_of
        ):
            return False
        if page.services:
            label = self.services.get(str(answers.get(self._service_id, "")), "")
            return label in page.services
        return True

    @staticmethod
    def is_done(step: Step, answers: dict[str, Any]) -> bool:
        return all(answers.get(k) not in (None, "", []) for k in step.keys)

    def applicable(self, answers: dict[str, Any]) -> list[Step]:
        return [s for s in self.steps if self.applies(s, answers)]

    def first_incomplete(self, answers: dict[str, Any]) -> str:
        """The first page still to answer, or CHECK when every page that applies is done."""
        for step in self.applicable(answers):
            if not self.is_done(step, answers):
                return step.slug
        return CHECK

    def may_visit(self, slug: str, answers: dict[str, Any]) -> bool:
        """A page may be shown once every applicable page before it is done (no skipping)."""
        if slug == CHECK:
            return self.first_incomplete(answers) == CHECK
        step = self.by_slug.get(slug)
        if step is None or not self.applies(step, answers):
            return False
        for s in self.applicable(answers):
            if s.slug == slug:
                return True
            if not self.is_done(s, answers):
                return False
        return False

    def after(self, slug: str, answers: dict[str, Any]) -> str:
        """The page that follows `slug` for these answers (CHECK after the last)."""
        pages = [s.slug for s in self.applicable(answers)]
        if slug in pages:
            i = pages.index(slug)
            if i + 1 < len(pages):
                return pages[i + 1]
        return CHECK

    def before(self, slug: str, answers: dict[str, Any]) -> str | None:
        """The page before `slug`, or None for the first (the back link goes to the start)."""
        pages = [s.slug for s in self.applicable(answers)] + [CHECK]
        if slug not in pages:
            return None
        i = pages.index(slug)
        return pages[i - 1] if i > 0 else None

    def prune(self, answers: dict[str, Any]) -> dict[str, Any]:
        """Drop answers that belong to pages that no longer apply, in order (cascading)."""
        pruned = dict(answers)
        for step in self.steps:
            if not self.applies(step, pruned):
                for k in step.owned:
                    pruned.pop(k, None)
        return pruned

    def is_urgent(self, answers: dict[str, Any]) -> bool:
        """An answer the questionnaire marks urgent (someone at immediate risk, ADR 0007)."""
        pruned = self.prune(answers)
        return any(
            q.urgent_when and pruned.get(q.id) in q.urgent_when
            for q in self.questionnaire.questions()
        )

    def has_urgent_question(self) -> bool:
        return any(q.urgent_when for q in self.questionnaire.questions())
