"""The programme's reference data and records: the policy package, the two incubation bases, the
co-built projects, IP service actions 2021–2026, 科创中国 registrations 2020–2026 and order-based
training 2020–2026. Dates are fixed (the demo world's history), none after mid-2026."""

from __future__ import annotations

import datetime
from decimal import Decimal

from portal.demo import SeedContext, register_step

from ..choices import PolicyCategory, ProjectKind, ProjectStatus, RegistrationKind
from ..models import (
    IncubationBase,
    InnovationProject,
    IPServiceAction,
    PlatformRegistration,
    PolicyItem,
    TrainingSession,
)
from .common import between, demo_enterprise

D = datetime.date
C = PolicyCategory
LAST_DAY = D(2026, 6, 30)  # the last day the demo's records reach

# (name, category, levels, amount or None for a service, conditions)
POLICY_ITEMS = [
    ("A类人才购房补贴", C.HOUSING, "A", "500000", "在本市首次购买自住商品房，与用人单位签订5年以上服务协议，分5年拨付。"),
    ("B类人才购房补贴", C.HOUSING, "B", "300000", "在本市首次购买自住商品房，与用人单位签订5年以上服务协议，分5年拨付。"),
    ("C、D类人才购房补贴", C.HOUSING, "CD", "150000", "在本市首次购买自住商品房，与用人单位签订3年以上服务协议，分3年拨付。"),
    ("青年英才租房补贴", C.HOUSING, "E", "36000", "在本市无自有住房，全职在本市工作，每月1000元，最长3年。"),
    ("人才公寓拎包入住", C.HOUSING, "ABC", None, "引进之日起3年内免租入住人才公寓，由市人才服务中心统一安排。"),
    ("高层次人才健康体检", C.MEDICAL, "ABCD", "3000", "每年1次，在市人民医院指定体检中心进行。"),
    ("就医绿色通道", C.MEDICAL, "ABC", None, "凭人才服务卡在市内公立医院享受预约挂号、专家门诊优先服务。"),
    ("补充医疗保险补助", C.MEDICAL, "ABCDE", "5000", "用人单位为其缴纳补充医疗保险的，按实际缴费额给予补助，每年最高5000元。"),
    ("子女入学安排", C.EDUCATION, "ABCD", None, "子女就读义务教育阶段学校的，由教育部门在本市公办学校统筹安排。"),
    ("子女教育补贴", C.EDUCATION, "ABC", "20000", "随迁子女在本市就读幼儿园至高中阶段的，每人每年补贴，最长3年。"),
    ("配偶就业安置", C.SPOUSE, "ABC", None, "配偶随迁的，原属机关事业单位编制的对口安置，其他的协助推荐就业。"),
    ("配偶未就业生活补贴", C.SPOUSE, "AB", "24000", "配偶随迁且暂未就业的，每月2000元，最长12个月。"),
    ("人才创业贷款贴息", C.FINANCE, "ABCD", "100000", "在本市领办创办企业的，按银行贷款基准利率给予贴息，最长3年。"),
    ("人才金融服务专员", C.FINANCE, "ABCDE", None, "由合作银行指定金融服务专员，提供“人才贷”、结算、理财等一站式服务。"),
]

BASES = [
    ("星湖市驻深圳人才孵化基地", "深圳", "深圳市南山区科苑大道星湖创新大厦12层", D(2020, 6, 18), "深圳湾星创孵化器有限公司",
     "常态长效引才：对接粤港澳大湾区电子信息、智能传感人才与项目。"),
    ("星湖市驻上海人才孵化基地", "上海", "上海市杨浦区国定路星湖科创中心8层", D(2021, 3, 26), "上海星联科创孵化器有限公司",
     "对接长三角高校院所，孵化新材料、生物医药与数字经济项目。"),
]

# (name, partner, kind, status, signed, landed or planned, base index or None, description)
PROJECTS = [
    ("清华大学星湖乡村振兴工作站", "清华大学", ProjectKind.WORKSTATION, ProjectStatus.LANDED, D(2021, 3, 12), D(2021, 5, 20),
     None, "以党建联学共建为载体，开展乡村规划、农业科技与基层治理研究，服务星湖市乡村振兴。"),
    ("电子科大三星湖传感技术产业研究院", "电子科技大学", ProjectKind.INSTITUTE, ProjectStatus.LANDED, D(2021, 8, 30),
     D(2021, 11, 8), None, "围绕智能传感器设计、封装与测试开展技术攻关和成果转化，服务三星湖智能传感产业园企业。"),
    ("中国仪器仪表学会星湖联合创新中心", "中国仪器仪表学会", ProjectKind.CENTRE, ProjectStatus.LANDED, D(2022, 1, 15),
     D(2022, 4, 16), None, "搭建仪器仪表与传感器标准、检测认证和人才培训平台。"),
    ("国科（星湖）智能传感谷", "国科星湖智能科技有限公司", ProjectKind.INDUSTRIAL, ProjectStatus.LANDED, D(2022, 5, 9),
     D(2022, 9, 28), None, "智能传感器研发制造产业园区项目，分三期建设。"),
    ("泛普科技西南总部", "泛普科技有限公司", ProjectKind.INDUSTRIAL, ProjectStatus.LANDED, D(2023, 2, 20), D(2023, 6, 12),
     None, "工业互联网与智能终端西南区域总部及研发中心。"),
    ("星湖—深圳柔性电子中试基地", "深圳市星柔电子科技有限公司", ProjectKind.INDUSTRIAL, ProjectStatus.BUILDING,
     D(2024, 9, 6), D(2026, 9, 30), 0, "柔性电子材料与器件中试线，由深圳孵化基地引进。"),
    ("沪星智能装备联合创新中心", "上海星联智能装备研究院", ProjectKind.CENTRE, ProjectStatus.SIGNED, D(2025, 10, 22),
     D(2026, 12, 31), 1, "面向本市装备制造企业的工业机器人应用与运维联合创新平台。"),
    ("星湖现代农业科技小院", "西南星湖农业大学", ProjectKind.WORKSTATION, ProjectStatus.NEGOTIATING, None, None, None,
     "拟在青龙镇建设，研究生驻村开展粮油与柑橘种植技术服务。"),
    ("新材料中试与检测平台", "西南星湖大学", ProjectKind.INSTITUTE, ProjectStatus.BUILDING, D(2025, 3, 18),
     D(2026, 10, 31), 1, "高分子与复合材料中试、检测与认证平台。"),
]

IP_PARTNERS = ["国家知识产权局专利局审查协作中心", "省知识产权服务中心"]
IP_TITLES = ["专利导航进园区", "高价值专利培育辅导", "专利快速预审政策宣讲", "商标品牌指导进企业", "知识产权质押融资对接会",
             "企业知识产权合规体检", "专利挖掘与布局实务培训"]
IP_PER_YEAR = {2021: 3, 2022: 4, 2023: 5, 2024: 5, 2025: 6, 2026: 2}

SCHOOLS = ["星湖职业技术学院", "星湖技师学院", "星湖市职业高级中学", "三星湖智能制造产教融合实训基地"]
TOPICS = ["智能传感器装调工", "数控车床操作", "工业机器人运维", "电工（低压）取证", "农产品电商直播", "焊接技术（氩弧焊）",
          "PLC编程与调试", "食品安全与质量管理", "电子产品装接工", "叉车与仓储安全"]
TRAINING_PER_YEAR = {2020: 6, 2021: 8, 2022: 10, 2023: 12, 2024: 12, 2025: 14, 2026: 6}

# 科创中国: the share of enterprises registered as units, by year, and the batches of technical talents.
REGISTRATION_YEARS = {2020: 8, 2021: 14, 2022: 20, 2023: 22, 2024: 18, 2025: 13, 2026: 5}
UNIT_SHARE = 0.1


@register_step(name="talent.programme", label="人才政策、孵化基地、科创项目与培训")
def seed_programme(ctx: SeedContext) -> None:
    rng = ctx.rng
    items = PolicyItem.objects.bulk_create([
        PolicyItem(name=name, category=category, levels=levels, amount=Decimal(amount) if amount else None,
                   conditions=conditions) for name, category, levels, amount, conditions in POLICY_ITEMS])
    bases = IncubationBase.objects.bulk_create([
        IncubationBase(name=n, city=c, address=a, opened_on=o, partner=p, note=note) for n, c, a, o, p, note in BASES])
    own = demo_enterprise(ctx)
    parked = [e for e in ctx.enterprises if e.park_id] or list(ctx.enterprises)
    private = [e for e in ctx.enterprises if e.kind == "private"] or list(ctx.enterprises)

    def some(pool, low, high, *, with_own=False):
        chosen = rng.sample(pool, min(len(pool), rng.randint(low, high)))
        if with_own and own is not None and own not in chosen:
            chosen.append(own)
        return chosen

    projects = InnovationProject.objects.bulk_create([
        InnovationProject(name=n, partner=p, kind=k, status=s, signed_on=signed, landed_on=landed,
                          base=bases[b] if b is not None else None, description=desc)
        for n, p, k, s, signed, landed, b, desc in PROJECTS])
    links = InnovationProject.enterprises.through
    links.objects.bulk_create([links(innovationproject_id=p.pk, enterprise_id=e.pk)
                               for n, p in enumerate(projects) if p.status != ProjectStatus.NEGOTIATING
                               for e in some(parked, 2, 8, with_own=n in (1, 3))])

    actions, served = [], []
    for year, count in IP_PER_YEAR.items():
        for n in range(count):
            day = between(rng, D(year, 3, 1) if year < 2026 else D(2026, 3, 1),
                          D(year, 11, 30) if year < 2026 else LAST_DAY)
            action = IPServiceAction(held_on=day, partner=IP_PARTNERS[n % 2], title=f"知识产权惠企入园·{rng.choice(IP_TITLES)}",
                                     patents=rng.randint(5, 40), consultations=rng.randint(20, 120))
            actions.append(action)
            served.append(some(parked, 8, 25, with_own=year == 2023 and n == 0))
    actions = IPServiceAction.objects.bulk_create(actions)
    through = IPServiceAction.enterprises.through
    through.objects.bulk_create([through(ipserviceaction_id=a.pk, enterprise_id=e.pk)
                                 for a, es in zip(actions, served, strict=True) for e in es])

    sessions, attended = [], []
    for year, count in TRAINING_PER_YEAR.items():
        for _n in range(count):
            day = between(rng, D(year, 1, 10), D(year, 12, 20) if year < 2026 else LAST_DAY)
            firms = some(private, 3, 12)
            if own is not None and rng.random() < 0.15 and own not in firms:
                firms.append(own)
            sessions.append(TrainingSession(school=rng.choice(SCHOOLS), topic=rng.choice(TOPICS), held_on=day,
                                            trainees=len(firms) * rng.randint(4, 8)))
            attended.append(firms)
    sessions = TrainingSession.objects.bulk_create(sessions)
    through = TrainingSession.enterprises.through
    through.objects.bulk_create([through(trainingsession_id=s.pk, enterprise_id=e.pk)
                                 for s, es in zip(sessions, attended, strict=True) for e in es])

    registrations = _registrations(ctx, rng, own)
    PlatformRegistration.objects.bulk_create(registrations, batch_size=ctx.scale.batch_size)

    ctx.extra["talent"] = {"items": items, "bases": bases}
    ctx.count("人才政策项目", len(items))
    ctx.count("人才孵化基地", len(bases))
    ctx.count("科创合作项目", len(projects))
    ctx.count("知识产权惠企入园活动", len(actions))
    ctx.count("订单式培训（场次）", len(sessions))
    ctx.count("  参训人数", sum(s.trainees for s in sessions))
    ctx.count("科创中国入驻单位", sum(r.kind == RegistrationKind.ENTERPRISE for r in registrations))
    ctx.count("  入驻技术人才", sum(r.count for r in registrations if r.kind == RegistrationKind.TALENT))


def _registrations(ctx, rng, own) -> list[PlatformRegistration]:
    units = rng.sample(ctx.enterprises, max(1, int(len(ctx.enterprises) * UNIT_SHARE)))
    if own is not None and own not in units:
        units[0] = own
    units.sort(key=lambda e: e.pk)
    years, weights = zip(*REGISTRATION_YEARS.items(), strict=True)
    rows = []
    for enterprise in units:
        year = rng.choices(years, weights=weights)[0]
        joined = between(rng, D(year, 1, 5), D(year, 12, 28) if year < 2026 else LAST_DAY)
        rows.append(PlatformRegistration(kind=RegistrationKind.ENTERPRISE, enterprise=enterprise, registered_on=joined))
        # Its technical staff follow in batches, from the day it joined to mid-2026.
        for _batch in range(rng.randint(1, 3)):
            rows.append(PlatformRegistration(kind=RegistrationKind.TALENT, enterprise=enterprise,
                                             registered_on=between(rng, joined, LAST_DAY), count=rng.randint(2, 15)))
    return rows
