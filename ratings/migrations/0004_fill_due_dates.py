from django.db import migrations

from workflow.backfill import fill_due_dates


def fill(apps, schema_editor):
    fill_due_dates(apps, app_label="ratings", model="Rating", key="rating", waiting=("town", "dept"))


class Migration(migrations.Migration):
    dependencies = [("ratings", "0003_due_dates"), ("workflow", "0003_default_step_limits")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
