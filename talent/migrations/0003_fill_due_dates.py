from django.db import migrations

from workflow.backfill import fill_due_dates


def fill(apps, schema_editor):
    fill_due_dates(apps, app_label="talent", model="BenefitApplication", key="benefit", waiting=("pending",))


class Migration(migrations.Migration):
    dependencies = [("talent", "0002_due_dates"), ("workflow", "0003_default_step_limits")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
