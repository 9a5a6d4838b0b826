"""The five banks and five insurers in the scheme, each with one to three local branches."""

from __future__ import annotations

import random

from portal.choices import InstitutionKind
from portal.models import Branch, Institution

from .context import SeedContext
from .names import CITY_TOWNS
from .regions import street_address

# (code, name, short name, branch name pattern: {stem} is the town's name without 镇/街道)
BANKS = (
    ("B01", "中国农业银行星湖支行", "农业银行", "中国农业银行星湖{stem}分理处"),
    ("B02", "中国工商银行星湖支行", "工商银行", "中国工商银行星湖{stem}分理处"),
    ("B03", "中国建设银行星湖支行", "建设银行", "中国建设银行星湖{stem}分理处"),
    ("B04", "中国邮政储蓄银行星湖市支行", "邮储银行", "中国邮政储蓄银行星湖{stem}营业所"),
    ("B05", "星湖农村商业银行股份有限公司", "星湖农商银行", "星湖农商银行{stem}支行"),
)
INSURERS = (
    ("I01", "中国人民财产保险股份有限公司星湖支公司", "人保财险", "人保财险星湖{stem}营销服务部"),
    ("I02", "中国平安财产保险股份有限公司星湖支公司", "平安财险", "平安财险星湖{stem}营销服务部"),
    ("I03", "中国太平洋财产保险股份有限公司星湖支公司", "太保财险", "太保财险星湖{stem}营销服务部"),
    ("I04", "中华联合财产保险股份有限公司星湖支公司", "中华财险", "中华财险星湖{stem}营销服务部"),
    ("I05", "中国人寿财产保险股份有限公司星湖市支公司", "国寿财险", "国寿财险星湖{stem}营销服务部"),
)
BRANCHES_PER_INSTITUTION = (1, 3)


def town_stem(name: str) -> str:
    return name.removesuffix("街道").removesuffix("镇")


def office_phone(rng: random.Random) -> str:
    return f"0838-{rng.randint(5200000, 5299999)}"


def seed_institutions(ctx: SeedContext) -> None:
    rng = ctx.rng
    rows = [(InstitutionKind.BANK, spec) for spec in BANKS] + [(InstitutionKind.INSURER, spec) for spec in INSURERS]
    institutions = Institution.objects.bulk_create(
        [Institution(kind=kind, code=code, name=name, short_name=short) for kind, (code, name, short, _p) in rows]
    )
    city_towns = [t for t in ctx.towns if t.name in {name for name, _kind in CITY_TOWNS}]
    branches = []
    for institution, (_kind, (_c, _n, _s, pattern)) in zip(institutions, rows, strict=True):
        # The city's own towns and streets: a bank does not open an office in a made-up province town.
        towns = sorted(rng.sample(city_towns, rng.randint(*BRANCHES_PER_INSTITUTION)), key=lambda t: t.code)
        for town in towns:
            branches.append(
                Branch(
                    institution=institution, name=pattern.format(stem=town_stem(town.name)), region=town,
                    address=street_address(rng, town), phone=office_phone(rng),
                )
            )
    ctx.branches = Branch.objects.bulk_create(branches)
    ctx.banks = [i for i in institutions if i.kind == InstitutionKind.BANK]
    ctx.insurers = [i for i in institutions if i.kind == InstitutionKind.INSURER]
    ctx.count("银行", len(ctx.banks))
    ctx.count("保险公司", len(ctx.insurers))
    ctx.count("银行、保险网点", len(ctx.branches))
