from django.db import migrations

from workflow.backfill import fill_due_dates


def fill(apps, schema_editor):
    fill_due_dates(apps, app_label="liaison", model="Appeal", key="appeal",
                   waiting=("received", "assigned", "in_progress"))


class Migration(migrations.Migration):
    dependencies = [("liaison", "0004_due_dates"), ("workflow", "0003_default_step_limits")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
