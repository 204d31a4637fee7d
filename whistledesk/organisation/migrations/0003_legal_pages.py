# The organisation's public legal pages: privacy notice, accessibility statement, policy text.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0002_report_wording'),
    ]

    operations = [
        migrations.AddField(
            model_name='organisation',
            name='accessibility_enforcement',
            field=models.CharField(choices=[('ehrc', 'Equality and Human Rights Commission (England, Scotland, Wales)'), ('ecni', 'Equality Commission for Northern Ireland')], default='ehrc', max_length=10),
        ),
        migrations.AddField(
            model_name='organisation',
            name='accessibility_method',
            field=models.TextField(blank=True, help_text='How and by whom the service was tested (Markdown).'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='accessibility_prepared_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='organisation',
            name='accessibility_problems',
            field=models.TextField(blank=True, help_text='Content that is not accessible, and why (Markdown).'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='accessibility_reviewed_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='organisation',
            name='accessibility_status',
            field=models.CharField(choices=[('full', 'Fully compliant'), ('partial', 'Partially compliant'), ('not', 'Not compliant')], default='partial', max_length=10),
        ),
        migrations.AddField(
            model_name='organisation',
            name='contact_email',
            field=models.EmailField(blank=True, help_text='For privacy and accessibility requests about this service.', max_length=254),
        ),
        migrations.AddField(
            model_name='organisation',
            name='controller_address',
            field=models.TextField(blank=True, help_text="The controller's postal address."),
        ),
        migrations.AddField(
            model_name='organisation',
            name='controller_name',
            field=models.CharField(blank=True, help_text='The data controller (blank: the name above).', max_length=200),
        ),
        migrations.AddField(
            model_name='organisation',
            name='dpo_email',
            field=models.EmailField(blank=True, help_text="The data protection officer's email.", max_length=254),
        ),
        migrations.AddField(
            model_name='organisation',
            name='ico_registration',
            field=models.CharField(blank=True, help_text='Registration number with the ICO.', max_length=20),
        ),
        migrations.AddField(
            model_name='organisation',
            name='policy_text',
            field=models.TextField(blank=True, help_text='The whistleblowing policy, shown as a page (Markdown). Blank: a summary of how disclosures are handled, with a link to the policy address if one is given.'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='privacy_lawful_basis',
            field=models.TextField(blank=True, help_text='The lawful basis for processing (Markdown; blank: the default).'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='privacy_more',
            field=models.TextField(blank=True, help_text='Anything else for the privacy notice (Markdown).'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='privacy_recipients',
            field=models.TextField(blank=True, help_text='Who receives the information, and any transfer outside the UK (Markdown; blank: the default).'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='privacy_retention',
            field=models.TextField(blank=True, help_text='How long information is kept (Markdown; blank: from the retention policies).'),
        ),
    ]
