"""Several organisations in one installation (ADR 0017): a slug, a host name, languages."""

from django.db import migrations, models
from django.utils.text import slugify

import whistledesk.organisation.models

RESERVED = {"staff", "api", "admin", "static", "report", "follow-up", "privacy", "cookies"}


def fill_slugs(apps, schema_editor):
    Organisation = apps.get_model("organisation", "Organisation")
    taken: set[str] = set()
    for org in Organisation.objects.order_by("id"):
        base = (slugify(org.short_name or org.name) or "organisation")[:30].strip("-")
        base = base or "organisation"
        if base in RESERVED:
            base = f"{base}-org"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        org.slug = slug
        org.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("organisation", "0006_followup_message_templates")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="slug",
            field=models.CharField(max_length=40, null=True),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="slug",
            field=models.SlugField(
                help_text="Its path in a shared installation, e.g. 'cco' serves /cco/.",
                max_length=40,
                unique=True,
                validators=[whistledesk.organisation.models.validate_slug_not_reserved],
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="host",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Its own host name, e.g. 'whistleblowing.example.org' (blank: none). "
                "It must also be in ALLOWED_HOSTS.",
                max_length=253,
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="languages",
            field=models.CharField(
                default="en",
                help_text="The languages of its public service: 'en', or 'en,cy' to offer "
                "Welsh too.",
                max_length=20,
                validators=[whistledesk.organisation.models.validate_languages],
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("host", ""), _negated=True),
                fields=("host",),
                name="organisation_host_unique",
            ),
        ),
    ]
