"""Running the demo steps: all of them in one transaction, on an empty registry only."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.module_loading import autodiscover_modules

from portal.audit import audit_record
from portal.models import Enterprise, Institution, Park, Person, Region, ServiceStation

from .accounts import DEMO_USERNAMES
from .context import SeedContext, registered_steps, run_steps, scale_for

DEFAULT_SEED = 2026
REGISTRY_MODELS = (Region, Park, Institution, ServiceStation, Enterprise, Person)
# Any fixed number will do; it only has to be the same for every seeding process.
ADVISORY_LOCK_KEY = 510799_2026


class DemoDataRefused(Exception):
    """The database already holds data the demo would clash with."""


def registry_is_empty() -> bool:
    return not any(model.objects.exists() for model in REGISTRY_MODELS)


def existing_demo_usernames() -> list[str]:
    return sorted(get_user_model().objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))


def discover_steps():
    """Portal's steps, then those each installed app's `demo` module registers, in INSTALLED_APPS order."""
    autodiscover_modules("demo")
    return registered_steps()


def seed_demo(
    *, scale: str = "city", seed: int = DEFAULT_SEED, enterprises: int | None = None, if_empty: bool = False,
    log: Callable[[str], None] = print,
) -> SeedContext | None:
    """Fill an empty database with the demo world. Returns the context, or None when `if_empty` and
    the registry already has data. Raises DemoDataRefused when the database is not empty.

    All or nothing: the steps run in one transaction. Two processes started at once (say, two web
    containers running `seed_demo --if-empty`) take turns on an advisory lock, and the second finds
    the data of the first.
    """
    steps = discover_steps()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        if not registry_is_empty():
            if if_empty:
                log("登记数据已存在，未生成演示数据（--if-empty）。")
                return None
            raise DemoDataRefused(
                "数据库中已有登记数据（区划、机构、服务站、企业或人员），演示数据只写入空库。"
                "请换一个空数据库，或先 `manage.py flush` 清空；在启动脚本中请用 --if-empty。"
            )
        taken = existing_demo_usernames()
        if taken:
            raise DemoDataRefused(f"演示账号的用户名已被占用：{', '.join(taken)}。")
        ctx = SeedContext(seed=seed, scale=scale_for(scale, enterprises=enterprises), log=log)
        run_steps(ctx, steps)
        # One row for the whole run: the rows themselves are bulk inserts, not service writes.
        audit_record(
            actor=None, action="demo.seed", object_type="demo", object_repr=f"演示数据（{ctx.scale.name}）",
            after={"scale": ctx.scale.name, "seed": seed, "enterprises": ctx.scale.enterprises,
                   "steps": [s.name for s in steps]},
            note="manage.py seed_demo",
        )
    return ctx
