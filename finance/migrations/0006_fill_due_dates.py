from django.db import migrations

from workflow.backfill import fill_due_dates


def fill(apps, schema_editor):
    fill_due_dates(apps, app_label="finance", model="LoanApplication", key="loan", waiting=("submitted", "accepted"))


class Migration(migrations.Migration):
    dependencies = [("finance", "0005_due_dates"), ("workflow", "0003_default_step_limits")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
