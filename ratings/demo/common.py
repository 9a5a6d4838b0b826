"""Constants and helpers the rating's demo steps share."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from portal.choices import RegionLevel
from portal.demo import SeedContext, people
from portal.models import Person, RoleAssignment

from ..choices import OrgKind, RatingAction, RatingStatus

A, S = RatingAction, RatingStatus
DAY = datetime.timedelta(days=1)

# --- organizations -------------------------------------------------------------------------------

CITY_ENTERPRISES = 3_000  # the city scale, where the figures below hold exactly
OWN_SHARE = 0.11  # of private enterprises: their own organization
JOINT_BRANCHES = 30  # per 3,000 enterprises, each of 3–6 small firms of one town
SMALL_FIRM = 50  # employees: a firm a joint branch takes in
GRADUATES = 5  # per 3,000: firms that left a joint branch when they set up their own organization
LEAVERS = 3  # per 3,000: firms that left a joint branch (moved, wound down) and have none now
INSTRUCTOR_SHARE = 0.05  # of enterprises with no organization: work coverage by an instructor
LEGAL_SECRETARY_SHARE = 0.45  # the investor as secretary (the rubric's item 1.1 asks for it)
FOUNDED_FIRST, FOUNDED_LAST = datetime.date(2005, 1, 1), datetime.date(2018, 12, 31)
COVERABLE_FOUNDED_BY = datetime.date(2017, 6, 30)  # half a year before the last founding
MEMBERS = {OrgKind.COMMITTEE: (50, 80), OrgKind.GENERAL_BRANCH: (25, 49), OrgKind.BRANCH: (3, 24),
           OrgKind.JOINT_BRANCH: (5, 30)}
CN_DIGITS = "零一二三四五六七八九"

# --- cycles --------------------------------------------------------------------------------------

YEARS = tuple(range(2019, 2026))  # published cycles
LIVE_YEAR = 2026
LIVE_OPENS, LIVE_CLOSES = datetime.date(2026, 3, 1), datetime.date(2026, 12, 31)
# Naming day (命名) of each cycle, in the following January, after a notice of five days that ends
# three days before. One day earlier than a year before means the new rating supersedes the old one
# a day before it would have run out (2020, 2022, 2025); the same day, that they simply follow on.
PUBLISHED_ON = {
    2019: datetime.date(2020, 1, 10), 2020: datetime.date(2021, 1, 8), 2021: datetime.date(2022, 1, 8),
    2022: datetime.date(2023, 1, 6), 2023: datetime.date(2024, 1, 6), 2024: datetime.date(2025, 1, 6),
    2025: datetime.date(2026, 1, 5),
}
NOTICE_LEAD = 7  # days from the department's approval (the notice's first day) to the naming
# Published four- and five-star ratings per cycle at city scale: 6 in 2019 and 31 in 2022 are the
# figures the province reported; the rest continue the curve.
HIGH_STARS = {2019: 6, 2020: 11, 2021: 19, 2022: 31, 2023: 44, 2024: 58, 2025: 73}
RATED_SHARE = {2019: 0.33, 2020: 0.46, 2021: 0.58, 2022: 0.70, 2023: 0.80, 2024: 0.88, 2025: 0.95}
FIVE_SHARE = {2019: 0.17, 2020: 0.18, 2021: 0.21, 2022: 0.23, 2023: 0.27, 2024: 0.30, 2025: 0.33}
# Below four stars: the share of three stars grows, one star fades out.
LOW_SHARES = {2019: (0.55, 0.33), 2020: (0.58, 0.32), 2021: (0.62, 0.30), 2022: (0.66, 0.27),
              2023: (0.70, 0.24), 2024: (0.73, 0.22), 2025: (0.76, 0.20)}  # (3★, 2★), the rest 1★
STAR_BANDS = {5: (900, 975), 4: (800, 899), 3: (700, 799), 2: (600, 699), 1: (480, 599)}  # tenths
# The demo enterprise's own organization climbs from three stars to five.
DEMO_ORG_STARS = {2019: 3, 2020: 3, 2021: 4, 2022: 4, 2023: 4, 2024: 5, 2025: 5}
REVOKED_ON = datetime.date(2026, 3, 18)
REVOKE_REASON = "2026年3月该企业发生重大安全生产事故，触发一票否决项，撤销其星级。"
REJECT_REASON = "经实地核查，该企业年度内发生重大安全生产事故，触发一票否决项，不予通过。"
VETO_NOTE = "2026年7月厂区发生一起较大安全生产事故，已由应急管理部门立案调查。"
OBJECTION_REASON = ("该企业今年上半年曾拖欠部分一线职工工资两个月，职工意见较大，与公示材料中"
                    "“构建和谐劳动关系”一项的得分不符，请组织部门核实。")
# Above this many enterprises (the province), item scores are kept for the latest cycles only: the
# earlier ratings keep their totals, stars and history, not the 72 item rows each.
ALL_ITEM_SCORES_UP_TO = 20_000
BATCH = 2_000  # ratings written at a time

POINTS = [Decimal(tenths).scaleb(-1) for tenths in range(1001)]  # 0.0 … 100.0


def _points(tenths: int) -> Decimal:
    return POINTS[tenths]


def _text(tenths: int) -> str:
    return str(POINTS[tenths])  # as services store a total: str(Decimal), one decimal place


def _between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _at(day: datetime.date, seconds: int) -> datetime.datetime:
    """A moment of `day`, `seconds` after midnight, in the city's time zone."""
    midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_default_timezone())
    return midnight + datetime.timedelta(seconds=seconds)


def _town_of(enterprise):
    region = enterprise.region
    if region.level == RegionLevel.VILLAGE:
        return region.parent
    if region.level == RegionLevel.TOWN:
        return region
    return None  # registered at the city (some park firms)


def _cn_number(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def _weight(enterprise) -> float:
    """How likely a private firm is to have its own organization: the bigger, the likelier."""
    employees = enterprise.employees
    weight = 1 if employees < 20 else 4 if employees < 100 else 10 if employees < 300 else 25
    return weight * (3 if enterprise.is_key else 1)


def _demo_enterprise(ctx: SeedContext):
    user = ctx.users.get("enterprise")
    if user is None:
        return None
    pk = RoleAssignment.objects.filter(user=user, enterprise__isnull=False).values_list("enterprise", flat=True).first()
    return next((e for e in ctx.enterprises if e.pk == pk), None)


class PersonMaker:
    def __init__(self, ctx: SeedContext, rng: random.Random):
        self.ctx, self.rng, self.pending = ctx, rng, []

    def make(self, first_year: int, last_year: int) -> Person:
        rng = self.rng
        born = people.birth_date(rng, first_year, last_year)
        person = Person(name=people.person_name(rng), id_number=people.id_number(rng, born, self.ctx.used_id_numbers),
                        mobile=people.mobile(rng))
        self.pending.append(person)
        return person


# --- step 1: organizations and coverage ----------------------------------------------------------
