from django.db import migrations, models


class Migration(migrations.Migration):
    """Whom an escalation went to, worded when shown (in the reader's language) instead of stored as
    Chinese text: its kind, and the bank's short name for the kinds that name one."""

    dependencies = [("workflow", "0005_steprecord")]

    operations = [
        migrations.AddField(
            model_name="escalation", name="to_kind",
            field=models.CharField(
                choices=[("department", "组织部（两新工委）"), ("department_heads", "组织部（两新工委）科室负责人"),
                         ("department_no_heads", "组织部（两新工委）（未设科室负责人）"),
                         ("bank_heads", "银行信贷负责人"),
                         ("bank_no_heads", "组织部（两新工委）（该行未设信贷负责人）")],
                default="department", max_length=20, verbose_name="督办对象"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="escalation", name="unit",
            field=models.CharField(blank=True, default="", max_length=60, verbose_name="银行"),
            preserve_default=False,
        ),
        migrations.RemoveField(model_name="escalation", name="to"),
    ]
