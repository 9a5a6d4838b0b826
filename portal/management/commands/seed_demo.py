import argparse
import time

from django.core.management.base import BaseCommand, CommandError

from portal.demo import (
    DEFAULT_SEED,
    DEMO_PASSWORD,
    SCALES,
    DemoDataRefused,
    demo_accounts_table,
    demo_second_factor_note,
    seed_demo,
    summary_table,
)


class Command(BaseCommand):
    help = (
        "生成确定性的演示数据（虚构的县级市“星湖市”：镇街、村社区、园区、银行保险、120 个金融服务站、"
        "市场主体与人员、各角色演示账号），全部在一个事务中完成。"
        "只写入空库：登记数据（区划、机构、服务站、企业、人员）已存在时报错退出；"
        "加 --if-empty 则跳过生成、只打印演示账号（适合容器启动脚本反复执行）。"
        "没有 --force：演示数据使用固定的区划代码和用户名，与已有数据合并会冲突，清库请用 `manage.py flush`。"
        " / Fill an EMPTY database with deterministic demo data in one transaction. Refuses a database "
        "that already has registry data; with --if-empty it skips quietly and only prints the accounts. "
        "There is deliberately no --force: wipe with `manage.py flush` or use a fresh database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=sorted(SCALES), default="city",
            help="city（默认）：约 3,000 家市场主体；province：100,000 家，镇街村社区相应增加。",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）。")
        parser.add_argument(
            "--if-empty", action="store_true", help="库中已有登记数据时什么也不做（仍打印演示账号）。"
        )
        # For the test suite: a smaller run of the same world (stations, banks and accounts unchanged).
        parser.add_argument("--enterprises", type=int, default=None, help=argparse.SUPPRESS)

    def handle(self, *args, scale, seed, if_empty, enterprises, **options):
        if enterprises is not None and enterprises < 1:
            raise CommandError("--enterprises must be at least 1")
        started = time.monotonic()
        self.stdout.write(f"生成演示数据：规模 {scale}，种子 {seed}")
        try:
            ctx = seed_demo(scale=scale, seed=seed, enterprises=enterprises, if_empty=if_empty, log=self.stdout.write)
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
        if ctx is not None:
            self.stdout.write(self.style.SUCCESS(f"完成，用时 {time.monotonic() - started:.1f} 秒。"))
            self.stdout.write(summary_table(ctx.summary))
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        self.stdout.write(demo_accounts_table())
        note = demo_second_factor_note()
        if note:
            self.stdout.write("")
            self.stdout.write(note)
