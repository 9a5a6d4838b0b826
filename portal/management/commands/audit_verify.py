"""`manage.py audit_verify`: check the audit log's hash chain from its first row to its last."""

import time

from django.core.management.base import BaseCommand, CommandError

from portal.audit import audit_chain_break
from portal.audit_archive import archive_problems

WHY = {
    "prev": "它记录的前一条校验值与前一条记录不符：其前有记录被删除或插入",
    "content": "它的内容与校验值不符：该记录写入后被修改",
}


class Command(BaseCommand):
    help = "校验审计日志的哈希链：逐条重算校验值，发现被修改、删除或插入的记录时以非零状态退出并指出第一条。"

    def handle(self, *args, **options):
        started = time.monotonic()
        problems = archive_problems()
        if problems:
            raise CommandError("审计日志归档校验失败：" + "；".join(problems))
        checked, row, why = audit_chain_break()
        seconds = time.monotonic() - started
        if row is not None:
            raise CommandError(
                f"审计日志校验失败：第 {checked + 1} 条（编号 {row.pk}，{row.at:%Y-%m-%d %H:%M:%S}，"
                f"{row.action}）{WHY[why]}。此前的 {checked} 条完好。"
            )
        self.stdout.write(self.style.SUCCESS(f"审计日志完好：{checked} 条记录的校验链一致（用时 {seconds:.1f} 秒）。"))
