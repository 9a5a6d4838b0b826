"""Deterministic demo data: the fictional county-level city 星湖市 and everything in it.

`manage.py seed_demo` runs the registered steps in order inside one transaction. Portal registers
its own steps here; a later app adds its own from a `demo` module of its package, which the command
imports (like admin.py), e.g. `ratings/demo.py`:

    from portal.demo import SeedContext, register_step

    @register_step(name="ratings.cycles", label="评星定级")
    def seed_ratings(ctx: SeedContext) -> None:
        rng = ctx.rng                  # this step's own generator, seeded from --seed and the name
        for enterprise in ctx.enterprises: ...
        ctx.extra["ratings"] = {...}   # for the steps after it
        ctx.count("星级党组织", n)      # a line of the summary

Steps run in INSTALLED_APPS order (portal, ratings, finance, insurance, talent, liaison), or right
after a named step with `after="portal.enterprises"`.
"""

from . import accounts, enterprises, institutions, regions, stations
from .accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_accounts_table,
    demo_second_factor_note,
    summary_table,
)
from .context import DEMO_TODAY, SCALES, Scale, SeedContext, Step, register_step, registered_steps
from .runner import DEFAULT_SEED, DemoDataRefused, registry_is_empty, seed_demo

register_step(regions.seed_regions, name="portal.regions", label="行政区划与工业园区")
register_step(institutions.seed_institutions, name="portal.institutions", label="银行、保险公司及网点")
register_step(stations.seed_stations, name="portal.stations", label="金融服务站")
register_step(enterprises.seed_enterprises, name="portal.enterprises", label="市场主体与人员")
register_step(accounts.seed_accounts, name="portal.accounts", label="演示账号")

__all__ = [
    "DEFAULT_SEED",
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DEMO_TOTP_SECRET",
    "DEMO_TODAY",
    "SCALES",
    "DemoDataRefused",
    "Scale",
    "SeedContext",
    "Step",
    "demo_accounts_table",
    "demo_second_factor_note",
    "register_step",
    "registered_steps",
    "registry_is_empty",
    "seed_demo",
    "summary_table",
]
