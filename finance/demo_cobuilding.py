"""Demo data of co-building (组织共建): each park and fifteen villages and communities paired with the
five banks since 2019–2024 (a few pairings ended), two to six activities per pairing, and eight to
twelve cadres exchanged between the city's organs and the banks for a year each, both ways.

The rows are bulk inserts, as the services would have left them (no audit row each: the demo run
writes one for itself). Dates are reckoned from DEMO_TODAY, except those of the exchanges under way:
the overview counts the exchanges current on the REAL date, so those are reckoned back from
timezone.localdate() (as the rating's live cycle is), and the demo always shows cadres in post.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from portal.demo import DEMO_TODAY, SeedContext, register_step
from portal.demo.names import CITY_NAME
from portal.demo.people import person_name

from .choices import ExchangeDirection
from .models import CadreExchange, CoBuildingActivity, CoBuildingPair

PAIRED_VILLAGES = 15
ENDED_PAIRS = 3  # of the villages' pairings
PAIRS_FROM, PAIRS_TO = datetime.date(2019, 1, 1), datetime.date(2024, 12, 31)
ACTIVITIES_PER_PAIR = (2, 6)
EXCHANGES = (8, 12)

ACTIVITIES = (
    ("党建共建主题党日", "银行党支部与结对党组织联合开展主题党日，重温入党誓词，交流基层党建经验。"),
    ("金融知识进村", "讲解防范电信网络诈骗、非法集资和个人征信知识，发放宣传资料。"),
    ("整村授信宣讲", "介绍整村授信政策和办理流程，现场为农户建立信用档案。"),
    ("党建增信政策宣讲", "宣讲星级党组织定额低息信用贷款政策，解答企业关心的额度与利率问题。"),
    ("金融夜校", "面向新型农业经营主体讲解涉农贷款产品和还款安排。"),
    ("园区企业融资对接会", "银行客户经理与园区企业逐户对接融资需求，现场受理授信申请。"),
    ("联合志愿服务", "双方党员志愿者走访困难群众，开展助老助残服务。"),
    ("反假货币宣传", "讲解人民币防伪特征和残损币兑换规定。"),
    ("支部书记联学", "双方支部书记围绕服务乡村振兴和民营经济开展联学研讨。"),
    ("送金融服务上门", "为行动不便的老人上门办理社保卡激活和存取款业务。"),
)
NOTES = (
    "支部联建、党员联育、资源联享、发展联促",
    "整村授信、金融服务站共建、党员结对帮扶",
    "园区企业融资服务、党建增信政策落地",
    "金融知识普及、信用村创建",
)
# Organs whose cadres go to a bank, and organs that host a bank's cadre.
ORGANS_TO_BANK = ("市委组织部", "市发展和改革局", "市财政局", "市经济和信息化局", "市农业农村局", "市商务局")
ORGANS_TO_GOVERNMENT = ("市委组织部", "市发展和改革局", "市地方金融服务中心", "市农业农村局", "市营商环境服务中心")
POSTS_TO_BANK = ("普惠金融部副经理", "乡村振兴金融部副主任", "公司业务部副经理", "支行行长助理")
POSTS_TO_GOVERNMENT = ("金融工作科副科长", "乡村振兴办副主任", "企业服务科副科长", "经济发展办副主任")
# Exchanges under way began within the last ten months; the others ran their year before 2025.
CURRENT_WITHIN_DAYS = 300
PAST_FROM, PAST_TO = datetime.date(2020, 1, 1), datetime.date(2023, 12, 1)


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def one_year(start: datetime.date) -> datetime.date:
    """The last day of a year's posting that starts on `start` (the first of a month)."""
    return start.replace(year=start.year + 1) - datetime.timedelta(days=1)


def _branch(rng: random.Random, ctx: SeedContext, bank, town_id: int | None):
    """The bank's branch in the partner's town if it has one there; otherwise, now and then, another."""
    own = [b for b in ctx.branches if b.institution_id == bank.pk]
    local = [b for b in own if b.region_id == town_id]
    if local:
        return local[0]
    return rng.choice(own) if own and rng.random() < 0.3 else None


def _pairs(rng: random.Random, ctx: SeedContext) -> list[CoBuildingPair]:
    banks = list(ctx.banks)
    pairs = []
    for park, bank in zip(ctx.parks, rng.sample(banks, min(len(banks), len(ctx.parks))), strict=False):
        pairs.append(CoBuildingPair(bank=bank, branch=_branch(rng, ctx, bank, park.region_id), park=park,
                                    started_on=_day(rng, PAIRS_FROM, PAIRS_TO), note=NOTES[2]))
    villages = sorted(rng.sample(ctx.villages, min(PAIRED_VILLAGES, len(ctx.villages))), key=lambda v: v.code)
    # Every bank takes its share of the villages: the five banks, over and over, in a shuffled order.
    village_banks = (banks * (len(villages) // len(banks) + 1))[: len(villages)]
    rng.shuffle(village_banks)
    village_pairs = []
    for village, bank in zip(villages, village_banks, strict=True):
        village_pairs.append(CoBuildingPair(
            bank=bank, branch=_branch(rng, ctx, bank, village.parent_id), region=village,
            started_on=_day(rng, PAIRS_FROM, PAIRS_TO), note=rng.choice((NOTES[0], NOTES[1], NOTES[3]))))
    for pair in rng.sample(village_pairs, min(ENDED_PAIRS, len(village_pairs))):
        # Ended after a year or more, before the demo's today.
        latest = DEMO_TODAY - datetime.timedelta(days=30)
        earliest = min(pair.started_on + datetime.timedelta(days=365), latest)
        pair.ended_on = _day(rng, earliest, latest)
    return CoBuildingPair.objects.bulk_create(pairs + village_pairs)


def _activities(rng: random.Random, pairs: list[CoBuildingPair]) -> list[CoBuildingActivity]:
    rows = []
    last_day = DEMO_TODAY - datetime.timedelta(days=1)
    for pair in pairs:
        end = min(pair.ended_on or last_day, last_day)
        for title, description in rng.sample(ACTIVITIES, rng.randint(*ACTIVITIES_PER_PAIR)):
            rows.append(CoBuildingActivity(pair=pair, held_on=_day(rng, pair.started_on, end), title=title,
                                           description=description, participants=rng.randint(12, 80)))
    return CoBuildingActivity.objects.bulk_create(rows)


def _exchanges(rng: random.Random, ctx: SeedContext) -> list[CadreExchange]:
    count = rng.randint(*EXCHANGES)
    today = timezone.localdate()
    # Both ways, about half each; a little over half still under way.
    directions = [ExchangeDirection.TO_BANK, ExchangeDirection.TO_GOVERNMENT] * (count // 2 + 1)
    directions = directions[:count]
    rng.shuffle(directions)
    rows = []
    for index, direction in enumerate(directions):
        current = index % 2 == 0
        if current:
            start = _month_start(today - datetime.timedelta(days=rng.randint(0, CURRENT_WITHIN_DAYS)))
        else:
            start = _month_start(_day(rng, PAST_FROM, PAST_TO))
        to_bank = direction == ExchangeDirection.TO_BANK
        rows.append(CadreExchange(
            person_name=person_name(rng), direction=direction,
            organ=CITY_NAME.removesuffix("市") + rng.choice(ORGANS_TO_BANK if to_bank else ORGANS_TO_GOVERNMENT),
            bank=rng.choice(ctx.banks), post=rng.choice(POSTS_TO_BANK if to_bank else POSTS_TO_GOVERNMENT),
            started_on=start, ended_on=one_year(start),
        ))
    return CadreExchange.objects.bulk_create(rows)


@register_step(name="finance.cobuilding", label="组织共建", after="portal.accounts")
def seed_cobuilding(ctx: SeedContext) -> None:
    rng = ctx.rng
    pairs = _pairs(rng, ctx)
    activities = _activities(rng, pairs)
    exchanges = _exchanges(rng, ctx)
    ctx.count("结对共建", len(pairs))
    ctx.count("共建活动", len(activities))
    ctx.count("干部互派互挂", len(exchanges))
