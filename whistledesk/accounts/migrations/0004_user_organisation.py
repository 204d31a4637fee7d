"""Each staff account belongs to one organisation; usernames are unique within it (ADR 0017)."""

import django.contrib.auth.validators
import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models

import whistledesk.accounts.models


def place_existing_accounts(apps, schema_editor):
    # Until now an installation served one organisation: its accounts are that organisation's.
    Organisation = apps.get_model("organisation", "Organisation")
    User = apps.get_model("accounts", "User")
    first = Organisation.objects.order_by("id").first()
    if first is not None:
        User.objects.filter(organisation__isnull=True).update(organisation=first)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_keys"),
        ("organisation", "0007_tenancy"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[("objects", whistledesk.accounts.models._UserManager())],
        ),
        migrations.AddField(
            model_name="user",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="staff",
                to="organisation.organisation",
            ),
        ),
        migrations.RunPython(place_existing_accounts, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username",
            field=models.CharField(
                help_text="150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                max_length=150,
                validators=[django.contrib.auth.validators.UnicodeUsernameValidator()],
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                models.F("organisation"),
                django.db.models.functions.text.Lower("username"),
                name="user_username_unique_in_organisation",
            ),
        ),
    ]
