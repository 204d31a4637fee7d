"""Each queued email names the organisation it is for (ADR 0017): only its managers see it
fail or send it again. Rows queued before this migration join the only organisation."""

import django.db.models.deletion
from django.db import migrations, models


def _backfill(apps, schema_editor):
    Organisation = apps.get_model("organisation", "Organisation")
    OutboundEmail = apps.get_model("notifications", "OutboundEmail")
    orgs = list(Organisation.objects.order_by("id").values_list("pk", flat=True)[:2])
    if len(orgs) == 1:
        OutboundEmail.objects.filter(organisation__isnull=True).update(organisation_id=orgs[0])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_deadline_alert_kinds"),
        ("organisation", "0007_tenancy"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisation.organisation",
            ),
        ),
        migrations.RunPython(_backfill, migrations.RunPython.noop),
    ]
