"""A mailbox feeds one organisation (WHISTLEDESK_IMAP_ORGANISATION, ADR 0017).

Rows made before this migration take their intake's organisation, or the first
organisation (an installation that had a mailbox had exactly one). The digest becomes
unique per organisation: one email sent to two offices is taken in by each.
"""

import django.db.models.deletion
from django.db import migrations, models


def _backfill(apps, schema_editor):
    Organisation = apps.get_model("organisation", "Organisation")
    MailboxMessage = apps.get_model("mailintake", "MailboxMessage")
    first = Organisation.objects.order_by("id").values_list("pk", flat=True).first()
    for row in MailboxMessage.objects.filter(organisation__isnull=True).select_related(
        "disclosure"
    ):
        org_id = row.disclosure.organisation_id if row.disclosure_id else first
        if org_id is None:
            row.delete()
        else:
            MailboxMessage.objects.filter(pk=row.pk).update(organisation_id=org_id)


class Migration(migrations.Migration):
    dependencies = [
        ("mailintake", "0001_mailbox_message"),
        ("organisation", "0007_tenancy"),
    ]

    operations = [
        migrations.AddField(
            model_name="mailboxmessage",
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
            model_name="mailboxmessage",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisation.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="mailboxmessage",
            name="digest",
            field=models.CharField(max_length=64),
        ),
        migrations.AddConstraint(
            model_name="mailboxmessage",
            constraint=models.UniqueConstraint(
                fields=("organisation", "digest"), name="mailbox_message_org_digest"
            ),
        ),
    ]
