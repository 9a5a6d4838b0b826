"""The check that the year's holiday schedule is known (`manage.py check --database default`, and
before every `migrate`)."""

from __future__ import annotations

import datetime

from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.timezone import localdate

from .calendar import package_knows_year


def years_to_check(today: datetime.date) -> list[int]:
    """This year, and from 1 December the next one too: its schedule is due by then."""
    return [today.year, today.year + 1] if today.month == 12 else [today.year]


def years_without_schedule(today: datetime.date, *, using: str = DEFAULT_DB_ALIAS) -> list[int]:
    """The years to check that neither the chinese-calendar package nor any override covers."""
    from .models import WorkdayOverride

    missing = [year for year in years_to_check(today) if not package_knows_year(year)]
    if not missing:
        return []
    if WorkdayOverride._meta.db_table not in connections[using].introspection.table_names():
        return missing  # before the first migrate: no overrides yet
    entered = set(WorkdayOverride.objects.using(using).filter(date__year__in=missing)
                  .values_list("date__year", flat=True).distinct())
    return [year for year in missing if year not in entered]


# A database check, as Django runs those: only when databases are named (migrate names its own), so a
# plain `check --deploy` stays a check of the code and settings.
@checks.register(checks.Tags.database)
def check_holiday_schedule(app_configs=None, databases=None, **kwargs):
    if not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    return [
        checks.Warning(
            f"{year} 年的节假日安排未知：已安装的 chinese-calendar 没有该年数据，也没有录入工作日调整，"
            f"办理时限暂按周一至周五计算。 / The {year} holiday schedule is unknown: the installed "
            "chinese-calendar has no data for it and no workday overrides are entered, so service-time "
            "limits count Monday to Friday only.",
            hint="组织部按国务院办公厅放假通知在管理后台“工作日调整”中录入放假日和调休上班日，或升级 "
                 "chinese-calendar。 / Enter the State Council's holidays and make-up working days under "
                 "Workday overrides in the admin site, or upgrade chinese-calendar.",
            id="workflow.W001",
        )
        for year in years_without_schedule(localdate())
    ]
