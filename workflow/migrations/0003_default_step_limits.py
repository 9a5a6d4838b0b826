import datetime

from django.db import migrations

# The limits the department set when service-time commitments began; a later change is a new row.
DEFAULTS = [
    ("rating", "town", 10, "镇街初评"),
    ("rating", "dept", 10, "组织部复核"),
    ("loan", "submitted", 7, "银行受理"),
    ("loan", "accepted", 7, "银行审批"),
    ("benefit", "pending", 15, "待遇审核"),
    ("appeal", "received", 3, "诉求首次响应（交办）"),
    ("appeal", "assigned", 15, "诉求办结（交办至办结）"),
]
START = datetime.date(2025, 1, 1)


def create(apps, schema_editor):
    StepLimit = apps.get_model("workflow", "StepLimit")
    for workflow, state, days, note in DEFAULTS:
        StepLimit.objects.get_or_create(workflow=workflow, state=state, effective_from=START,
                                        defaults={"working_days": days, "note": note})


def remove(apps, schema_editor):
    StepLimit = apps.get_model("workflow", "StepLimit")
    for workflow, state, _days, _note in DEFAULTS:
        StepLimit.objects.filter(workflow=workflow, state=state, effective_from=START, set_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("workflow", "0002_step_limits")]
    operations = [migrations.RunPython(create, remove)]
