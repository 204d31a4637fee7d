"""factory_boy factories for the register."""

from __future__ import annotations

import datetime as dt

import factory

from whistledesk.cases.models import Channel, Disclosure
from whistledesk.cases.references import new_reference
from whistledesk.organisation.models import (
    Organisation,
    Outcome,
    QuestionnaireVersion,
    ServiceCategory,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = "Example Regulator"
    short_name = "ER"
    slug = factory.Sequence(lambda n: f"org{n}")
    # Disclosure control off (1 flags no cell), so tests of other things publish their
    # small tables; tests/reports/test_disclosure_control.py sets the product default (3).
    small_cell_threshold = 1

    @factory.post_generation
    def taxonomy(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        for i, label in enumerate(["Schools", "Hospitals", "Other"]):
            ServiceCategory.objects.create(organisation=self, label=label, position=i)
        Outcome.objects.create(organisation=self, label="Referred", position=0, further_action=True)
        Outcome.objects.create(
            organisation=self, label="No action", position=1, further_action=False
        )

    @factory.post_generation
    def questionnaire(self, create: bool, extracted: object, **kwargs: object) -> None:
        # The public form the intake tests were written against: the Children's
        # Commissioner's, as shipped (organisation/configs/childrens_commissioner.toml).
        if not create or extracted is False:
            return
        QuestionnaireVersion.objects.create(
            organisation=self, number=1, document=cco_questionnaire(), source="tests"
        )


def cco_questionnaire() -> dict[str, object]:
    import tomllib
    from pathlib import Path

    import whistledesk.organisation

    path = (
        Path(whistledesk.organisation.__file__).parent / "configs" / "childrens_commissioner.toml"
    )
    return dict(tomllib.loads(path.read_text())["questionnaire"])


class DisclosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disclosure

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.LazyFunction(new_reference)
    received_on = dt.date(2022, 6, 1)
    channel = Channel.EMAIL
    qualifying = True
    anonymous = False
