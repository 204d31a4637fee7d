"""Drafts belong to the organisation they were started in (ADR 0017).

Draft rows are scratch space that lives a day: rows made before this migration join the
only organisation; with several (or none) they cannot be told apart and are deleted (their
drafts start again, and a sent draft's second "Send" would find nothing to repeat).
"""

import django.db.models.deletion
from django.db import migrations, models


def _backfill(apps, schema_editor):
    Organisation = apps.get_model("organisation", "Organisation")
    orgs = list(Organisation.objects.order_by("id").values_list("pk", flat=True)[:2])
    for name in ("DraftFile", "SentDraft"):
        model = apps.get_model("intake", name)
        if len(orgs) == 1:
            model.objects.filter(organisation__isnull=True).update(organisation_id=orgs[0])
        else:
            model.objects.filter(organisation__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_throttle_counter"),
        ("organisation", "0007_tenancy"),
    ]

    operations = [
        migrations.AddField(
            model_name="draftfile",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisation.organisation",
            ),
        ),
        migrations.AddField(
            model_name="sentdraft",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisation.organisation",
            ),
        ),
        migrations.RunPython(_backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="draftfile",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisation.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="sentdraft",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisation.organisation",
            ),
        ),
    ]
