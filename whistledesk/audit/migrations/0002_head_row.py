"""Create the single head row up front, so the first two appends never race to create it."""

from django.db import migrations

GENESIS_HASH = "0" * 64


def create_head(apps, schema_editor):
    AuditHead = apps.get_model("audit", "AuditHead")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, hash_ = last if last else (0, GENESIS_HASH)
    AuditHead.objects.get_or_create(id=1, defaults={"last_seq": seq, "last_hash": hash_})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
