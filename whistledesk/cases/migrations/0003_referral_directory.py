"""A starting directory of bodies, editable in the admin."""

from django.db import migrations

BODIES = [
    ("Local authority children's services", "la_childrens_services", 28),
    ("Local authority designated officer (LADO)", "lado", 28),
    ("Police", "police", 28),
    ("Ofsted", "ofsted", 42),
    ("Care Quality Commission", "cqc", 42),
]


def add_bodies(apps, schema_editor):
    ReferralBody = apps.get_model("cases", "ReferralBody")
    for name, kind, days in BODIES:
        ReferralBody.objects.get_or_create(
            name=name, defaults={"kind": kind, "reassurance_days": days}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_casework")]

    operations = [migrations.RunPython(add_bodies, migrations.RunPython.noop)]
