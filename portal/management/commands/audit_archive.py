"""`manage.py audit_archive [--before YYYY-MM-DD]`: move the audit log's rows past the retention period
to an archive file whose hashes continue the chain (portal/audit_archive.py)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.audit_archive import audit_archive, retention_days
from portal.errors import DomainError


class Command(BaseCommand):
    help = "把超过保留期（至少六个月）的审计日志移入归档文件；归档文件的校验值与日志的校验链相衔接。"

    def add_arguments(self, parser):
        parser.add_argument("--before", type=datetime.date.fromisoformat,
                            help="归档此日期之前的记录（默认：保留期之前）")

    def handle(self, *args, before=None, **options):
        if before is None:
            moment = timezone.now() - datetime.timedelta(days=retention_days())
        else:
            moment = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
        try:
            record = audit_archive(before=moment)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        if record is None:
            self.stdout.write("没有超过保留期的审计日志，无需归档。")
            return
        self.stdout.write(self.style.SUCCESS(
            f"已归档 {record.rows} 条（编号 {record.first_id}–{record.last_id}）到 {record.file.name}，"
            f"文件 SHA-256 {record.sha256}。"))
