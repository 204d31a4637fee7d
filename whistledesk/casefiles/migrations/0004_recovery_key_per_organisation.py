"""Each organisation has its own recovery key (ADR 0017): existing keys are the first's."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q


def fill_organisation(apps, schema_editor):
    Organisation = apps.get_model("organisation", "Organisation")
    RecoveryKey = apps.get_model("casefiles", "RecoveryKey")
    first = Organisation.objects.order_by("id").first()
    if first is not None:
        RecoveryKey.objects.filter(organisation__isnull=True).update(organisation=first)


class Migration(migrations.Migration):
    dependencies = [
        ("casefiles", "0003_replies_seen_and_source_email"),
        ("organisation", "0007_tenancy"),
    ]

    operations = [
        migrations.AddField(
            model_name="recoverykey",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisation.organisation",
            ),
        ),
        migrations.RunPython(fill_organisation, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="recoverykey", name="one_active_recovery_key"),
        migrations.AddConstraint(
            model_name="recoverykey",
            constraint=models.UniqueConstraint(
                condition=Q(active=True),
                fields=("organisation",),
                name="one_active_recovery_key_per_organisation",
            ),
        ),
    ]
