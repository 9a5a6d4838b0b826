"""Demo data of the pairings part (领导干部联系企业): the city Party secretary leading, county-level
leaders each paired with 1–3 key private enterprises and 1–3 entrepreneurs, some pairings ended, and
the leaders' visits.

On purpose, so that the coverage page has something to show: two leaders are under the range (one
with no enterprise, one with no entrepreneur), one is over it (four enterprises), and a number of key
enterprises are left without a leader. The demo account `cadre` (吴国平, 市委常委、组织部部长) is one
of the leaders, paired in the demo town (东湖镇, the town of `townstaff`), including the key
enterprise of the demo account `enterprise`.

The number of leaders grows with the number of key enterprises (one for every five), so that the
province scale keeps the city's proportions. Rows are written in bulk, as the services would have
left them. Pairings start on fixed days before DEMO_TODAY; visits are dated back from the day of
seeding (about three a year for each pairing, from the start of the year before last), so the log
looks current.

For the later parts, `ctx.extra["liaison"]` holds:
    "secretary": the secretary's Cadre; "cadres": the county-level Cadres (order of the list);
    "demo_cadre": the Cadre of the demo account `cadre`;
    "pairings": every current Pairing;
    "pairings_by_enterprise": {enterprise id: [current Pairings reaching it, directly or through its
        entrepreneur]};
    "paired_enterprises": the Enterprises those reach, in creation order;
    "visits": every Visit.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from portal.choices import EnterpriseKind
from portal.demo import SeedContext, register_step
from portal.demo.enterprises import ensure_key_enterprise, in_region
from portal.demo.people import person_name

from ..choices import CadreLevel, ContactKind, PairingKind
from ..models import Cadre, Pairing, Visit

SECRETARY = ("周立新", "市委书记", "中共星湖市委")
DEMO_CADRE = ("吴国平", "市委常委、组织部部长", "中共星湖市委组织部")
# (post, unit) of the county-level leaders, in the order of the leadership list; the demo cadre's
# is the second. At a larger scale the list repeats.
POSTS = [
    ("市委副书记", "中共星湖市委"), DEMO_CADRE[1:], ("市委常委、常务副市长", "星湖市人民政府"),
    ("市委常委、纪委书记、监委主任", "中共星湖市纪律检查委员会"), ("市委常委、宣传部部长", "中共星湖市委宣传部"),
    ("市委常委、统战部部长", "中共星湖市委统战部"), ("市委常委、政法委书记", "中共星湖市委政法委员会"),
    ("市委常委、市委办公室主任", "中共星湖市委办公室"), ("市委常委、副市长", "星湖市人民政府"),
    ("市人大常委会主任", "星湖市人大常委会"), ("市政协主席", "政协星湖市委员会"),
    ("副市长", "星湖市人民政府"), ("副市长", "星湖市人民政府"), ("副市长", "星湖市人民政府"),
    ("副市长、市公安局局长", "星湖市人民政府"), ("市人大常委会副主任", "星湖市人大常委会"),
    ("市人大常委会副主任", "星湖市人大常委会"), ("市人大常委会副主任", "星湖市人大常委会"),
    ("市政协副主席", "政协星湖市委员会"), ("市政协副主席", "政协星湖市委员会"), ("市政协副主席", "政协星湖市委员会"),
    ("市人民法院院长", "星湖市人民法院"), ("市人民检察院检察长", "星湖市人民检察院"),
    ("市政府党组成员", "星湖市人民政府"), ("市人大常委会党组成员", "星湖市人大常委会"),
    ("市政协党组成员", "政协星湖市委员会"), ("市委组织部常务副部长", "中共星湖市委组织部"),
    ("经开区党工委书记", "星湖经济技术开发区党工委"), ("经开区管委会主任", "星湖经济技术开发区管委会"),
    ("智能传感产业园党工委书记", "三星湖智能传感产业园党工委"),
]
KEY_PER_LEADER = 5  # one county-level leader for every five key private enterprises
MIN_LEADERS = 8
HISTORY_SHARE = 0.25  # of leaders, with an ended pairing in their history
END_REASONS = ["工作调整", "企业迁出本市", "企业家退休交班", "联系对象调整", "领导职务变动后重新分工"]
TOPICS = [
    "了解企业生产经营情况和全年目标完成进度", "座谈企业用工招聘和技能人才培养需求", "宣讲党建增信政策和星级评定标准",
    "听取企业对营商环境的意见建议", "协调解决厂房扩建用地手续问题", "了解企业融资需求，对接党建增信贷款",
    "调研企业技术改造和新产品研发进展", "了解企业党组织建设和党员发展情况", "走访慰问一线职工，了解安全生产情况",
    "对接高校院所，推动产学研合作", "了解企业出口订单和物流运输困难", "宣讲新一轮惠企政策和申报流程",
]
FOLLOW_UPS = ["", "", "协调市人社局对接招聘需求", "请市自然资源局跟进用地手续", "转请金融服务站对接银行",
              "请市科技局对接科创平台", "纳入问题诉求跟踪办理", "请属地镇（街道）跟进落实"]
PARTICIPANTS = ["市委组织部、属地镇（街道）负责同志", "市经信局、市商务局负责同志", "市发展改革局、属地镇（街道）负责同志",
                "市人社局、市科技局负责同志", "市金融工作局、服务站工作人员"]
VISIT_KINDS = [(ContactKind.VISIT, 6), (ContactKind.MEETING, 2), (ContactKind.PHONE, 1), (ContactKind.ONLINE, 1)]
VISITS_PER_YEAR = 3


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


class Planner:
    """Hands out key enterprises and entrepreneurs, each to one leader at most."""

    def __init__(self, ctx: SeedContext):
        rng = ctx.rng
        private = [e for e in ctx.enterprises if e.kind == EnterpriseKind.PRIVATE]
        self.keys = [e for e in private if e.is_key]
        rng.shuffle(self.keys)
        self.people = list(dict.fromkeys(e.legal_representative_id for e in private if e.legal_representative_id))
        rng.shuffle(self.people)
        self.taken: set = set()
        # Where the next search of the whole pools starts: what lies before is taken already, so the
        # province's thousand leaders do not rescan it.
        self.cursor = {"keys": 0, "people": 0}

    def _take(self, pool: list, n: int, ident, cursor: str | None) -> list:
        chosen = []
        index = self.cursor[cursor] if cursor else 0
        while len(chosen) < n and index < len(pool):
            key = ident(pool[index])
            if key not in self.taken:  # every free row passed is taken: none is left behind the cursor
                self.taken.add(key)
                chosen.append(pool[index])
            index += 1
        if cursor:
            self.cursor[cursor] = index
        return chosen

    def keys_from(self, pool: list | None, n: int) -> list:
        """`n` key enterprises from `pool`, or from all of them."""
        return self._take(pool if pool is not None else self.keys, n, lambda e: ("e", e.pk),
                          None if pool is not None else "keys")

    def people_from(self, pool: list | None, n: int) -> list[int]:
        """`n` entrepreneurs (person ids) from `pool`, or from all of them."""
        return self._take(pool if pool is not None else self.people, n, lambda p: ("p", p),
                          None if pool is not None else "people")


def _leaders(ctx: SeedContext, count: int) -> tuple[Cadre, list[Cadre]]:
    rng = ctx.rng
    names = {SECRETARY[0], DEMO_CADRE[0]}
    secretary = Cadre(name=SECRETARY[0], post=SECRETARY[1], unit=SECRETARY[2], level=CadreLevel.SECRETARY, order=0)
    leaders = []
    for n in range(count):
        post, unit = POSTS[n % len(POSTS)]
        if n == 1:
            name, user = DEMO_CADRE[0], ctx.users.get("cadre")
        else:
            name, user = person_name(rng), None
            while name in names:
                name = person_name(rng)
        names.add(name)
        leaders.append(Cadre(name=name, post=post, unit=unit, level=CadreLevel.COUNTY, user=user, order=n + 1))
    created = Cadre.objects.bulk_create([secretary, *leaders])
    return created[0], created[1:]


@register_step(name="liaison.pairings", label="领导干部联系企业")
def seed_pairings(ctx: SeedContext) -> None:
    rng = ctx.rng
    planner = Planner(ctx)
    count = max(MIN_LEADERS, round(len(planner.keys) / KEY_PER_LEADER))
    secretary, leaders = _leaders(ctx, count)
    demo_cadre = leaders[1]
    orgstaff = ctx.users.get("orgstaff")
    town = ctx.first_town

    # The demo cadre first, in the demo town: the demo enterprise's key enterprise among its own.
    home_key = ensure_key_enterprise(ctx, town) if town is not None else None
    local_keys = [e for e in planner.keys if town is not None and in_region(e, town)]
    if home_key is not None and home_key in local_keys:
        local_keys.remove(home_key)
        local_keys.insert(0, home_key)
    local_people = [e.legal_representative_id for e in ctx.enterprises if town is not None and in_region(e, town)
                    and e.kind == EnterpriseKind.PRIVATE and not e.is_key and e.legal_representative_id]
    plans = {demo_cadre.pk: (planner.keys_from(local_keys, 2), planner.people_from(local_people, 2))}
    under_no_enterprise, under_no_entrepreneur, over = leaders[-1], leaders[-2], leaders[-3]
    plans[secretary.pk] = (planner.keys_from(None, 2), planner.people_from(None, 1))
    for leader in leaders:
        if leader.pk in plans:
            continue
        n_keys = 0 if leader is under_no_enterprise else 4 if leader is over else rng.choice([1, 2, 2, 3])
        n_people = 0 if leader is under_no_entrepreneur else rng.choice([1, 2, 2, 3])
        plans[leader.pk] = (planner.keys_from(None, n_keys), planner.people_from(None, n_people))

    current, ended = [], []
    for cadre in [secretary, *leaders]:
        keys, people = plans[cadre.pk]
        for enterprise in keys:
            # The over-range leader's pairings were made in 2018, before the 1–3 rule of the mechanism,
            # and came in with the old ledger: the coverage page shows them as "over", as it should.
            started = (_day(rng, datetime.date(2018, 3, 1), datetime.date(2018, 12, 31)) if cadre is over
                       else _day(rng, datetime.date(2023, 3, 1), datetime.date(2025, 6, 30)))
            current.append(Pairing(cadre=cadre, kind=PairingKind.ENTERPRISE, enterprise=enterprise, started_on=started,
                                   created_by=orgstaff))
        for person_id in people:
            current.append(Pairing(cadre=cadre, kind=PairingKind.ENTREPRENEUR, person_id=person_id, created_by=orgstaff,
                                   started_on=_day(rng, datetime.date(2023, 3, 1), datetime.date(2025, 6, 30))))
        if cadre.level == CadreLevel.COUNTY and rng.random() < HISTORY_SHARE:
            # An earlier pairing, ended before the current ones began (the enterprise is someone's now,
            # or among those without a leader).
            past = planner.keys[rng.randrange(len(planner.keys))] if planner.keys else None
            if past is not None and past not in keys:
                started = _day(rng, datetime.date(2020, 3, 1), datetime.date(2021, 12, 31))
                ended.append(Pairing(cadre=cadre, kind=PairingKind.ENTERPRISE, enterprise=past, started_on=started,
                                     ended_on=_day(rng, datetime.date(2022, 6, 1), datetime.date(2023, 2, 28)),
                                     end_reason=rng.choice(END_REASONS), created_by=orgstaff))
    Pairing.objects.bulk_create(current + ended, batch_size=ctx.scale.batch_size)

    visits = _visits(ctx, current + ended, demo_cadre)
    Visit.objects.bulk_create(visits, batch_size=ctx.scale.batch_size)

    by_enterprise = _pairings_by_enterprise(ctx, current)
    paired = [e for e in ctx.enterprises if e.pk in by_enterprise]
    ctx.extra["liaison"] = {
        "secretary": secretary, "cadres": leaders, "demo_cadre": demo_cadre, "pairings": current,
        "pairings_by_enterprise": by_enterprise, "paired_enterprises": paired, "visits": visits,
    }
    covered = {p.enterprise_id for p in current if p.kind == PairingKind.ENTERPRISE}
    ctx.count("联系领导", 1 + len(leaders))
    ctx.count("  县级领导干部", len(leaders))
    ctx.count("结对联系（当前）", len(current))
    ctx.count("  已结束", len(ended))
    ctx.count("重点民企尚无联系领导", sum(1 for e in planner.keys if e.pk not in covered))
    ctx.count("走访记录", len(visits))


def _represented(ctx: SeedContext) -> dict[int, list]:
    represented = defaultdict(list)
    for enterprise in ctx.enterprises:
        if enterprise.legal_representative_id and enterprise.kind == EnterpriseKind.PRIVATE:
            represented[enterprise.legal_representative_id].append(enterprise)
    return represented


def _pairings_by_enterprise(ctx: SeedContext, current: list[Pairing]) -> dict[int, list[Pairing]]:
    represented = _represented(ctx)
    by_enterprise = defaultdict(list)
    for pairing in current:
        reached = [pairing.enterprise] if pairing.kind == PairingKind.ENTERPRISE else represented[pairing.person_id]
        for enterprise in reached:
            by_enterprise[enterprise.pk].append(pairing)
    return dict(by_enterprise)


def _visits(ctx: SeedContext, pairings: list[Pairing], demo_cadre: Cadre) -> list[Visit]:
    """About three a year for each pairing, within its period, from the start of the year before last
    until today; to an entrepreneur's (first) enterprise for an entrepreneur pairing."""
    rng = ctx.rng
    today = timezone.localdate()
    since = datetime.date(today.year - 2, 1, 1)
    represented = _represented(ctx)
    demo_user, orgstaff = ctx.users.get("cadre"), ctx.users.get("orgstaff")
    kinds, weights = zip(*VISIT_KINDS, strict=True)
    visits = []
    for pairing in pairings:
        enterprise = pairing.enterprise if pairing.kind == PairingKind.ENTERPRISE else \
            (represented.get(pairing.person_id) or [None])[0]
        first, last = max(pairing.started_on, since), min(pairing.ended_on or today, today)
        if enterprise is None or first > last:
            continue
        expected = VISITS_PER_YEAR * ((last - first).days + 1) / 365
        count = max(0, int(expected + rng.random()))
        by_cadre_user = pairing.cadre_id == demo_cadre.pk and demo_user is not None
        for _n in range(count):
            visits.append(Visit(
                cadre_id=pairing.cadre_id, enterprise=enterprise, kind=rng.choices(kinds, weights)[0],
                visited_on=_day(rng, first, last), participants=rng.choice(PARTICIPANTS), discussed=rng.choice(TOPICS),
                follow_ups=rng.choice(FOLLOW_UPS), created_by=demo_user if by_cadre_user else orgstaff,
            ))
    visits.sort(key=lambda v: (v.visited_on, v.cadre_id, v.enterprise.pk))
    return visits
