import datetime

from django.db import migrations

# The department's commitment on a follow-up (回访整改): 10 working days from its opening to its
# closing; the two open states share this one clock (quality.workflows). A later change is a new row.
START = datetime.date(2025, 1, 1)


def create(apps, schema_editor):
    StepLimit = apps.get_model("workflow", "StepLimit")
    StepLimit.objects.get_or_create(workflow="followup", state="open", effective_from=START,
                                    defaults={"working_days": 10, "note": "回访整改办结"})


def remove(apps, schema_editor):
    StepLimit = apps.get_model("workflow", "StepLimit")
    StepLimit.objects.filter(workflow="followup", state="open", effective_from=START, set_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial"), ("workflow", "0003_default_step_limits")]
    operations = [migrations.RunPython(create, remove)]
