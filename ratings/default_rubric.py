"""The default 100-point rubric: six dimensions, twenty scored items and four veto items, after the
practice of rating Party organizations in private enterprises (leadership team, member team,
business operation, corporate culture, labour relations, social evaluation)."""

from decimal import Decimal

from .services import DimensionInput, ItemInput

NAME = "非公企业党组织星级评定标准"

D, L, SITE = "documents", "ledgers", "on_site"


def _items(prefix: str, rows):
    return [ItemInput(code=f"{prefix}.{n}", title=title, max_points=Decimal(points), check_method=method,
                      deduction_notes=notes)
            for n, (title, points, method, notes) in enumerate(rows, start=1)]


DIMENSIONS = [
    DimensionInput("班子队伍建设", _items("1", [
        ("党组织书记由企业出资人或高管中的党员担任，或选派党建指导员兼任", "6", D, "书记未按要求配备扣 6 分"),
        ("党组织班子按期换届，委员分工明确", "5", D, "逾期未换届扣 3 分，分工不明确扣 2 分"),
        ("书记参加年度集中培训并完成述职评议", "4", L, "未参加培训扣 2 分，未述职扣 2 分"),
        ("党组织与企业管理层“双向进入、交叉任职”", "5", D, "未建立交叉任职机制扣 5 分"),
    ])),
    DimensionInput("党员队伍建设", _items("2", [
        ("按规定发展党员，年度有计划、有培养对象", "5", L, "无发展计划扣 3 分，无入党积极分子扣 2 分"),
        ("落实“三会一课”、主题党日制度", "6", L, "每缺一次扣 1 分，扣完为止"),
        ("党员亮身份、设立党员先锋岗或责任区", "4", SITE, "未设立扣 4 分"),
        ("按时足额收缴党费，台账清楚", "4", L, "未按时收缴扣 2 分，台账不清扣 1 分"),
    ])),
    DimensionInput("推动生产经营", _items("3", [
        ("党组织参与企业重大事项决策的机制健全", "6", D, "无相关制度扣 6 分"),
        ("开展党员技术攻关、创新创效活动", "6", SITE, "未开展扣 6 分，成效不明显扣 3 分"),
        ("企业依法诚信经营，年度营收或纳税保持稳定", "5", D, "营收或纳税明显下降酌情扣 1–5 分"),
        ("党组织活动场所、经费保障到位", "4", SITE, "无固定场所扣 2 分，无经费保障扣 2 分"),
    ])),
    DimensionInput("企业文化建设", _items("4", [
        ("党建元素融入企业文化和品牌建设", "5", SITE, "未融入扣 5 分"),
        ("带动工会、共青团、妇联等群团组织建设", "5", D, "每缺一个群团组织扣 2 分，扣完为止"),
        ("开展职工喜闻乐见的文体活动", "4", L, "全年少于 2 次扣 3 分"),
    ])),
    DimensionInput("构建和谐劳动关系", _items("5", [
        ("依法签订劳动合同、缴纳社会保险", "6", D, "签订率或参保率低于 95% 扣 3–6 分"),
        ("建立职工诉求表达和矛盾调处机制", "5", D, "无机制扣 5 分"),
        ("关心关爱职工，开展困难帮扶", "5", L, "无帮扶台账扣 4 分"),
    ])),
    DimensionInput("社会评价", _items("6", [
        ("积极参与乡村振兴、公益慈善等社会责任活动", "5", L, "未参与扣 5 分"),
        ("获得各级党委、政府及行业表彰", "5", D, "无表彰不得分"),
    ])),
]

VETOES = [
    ItemInput(code="V1", title="企业主要出资人或党组织书记存在严重违法违纪行为", veto_cap=0,
              deduction_notes="一经查实，不予评星"),
    ItemInput(code="V2", title="年度内发生重大安全生产、环境污染或食品安全事故", veto_cap=0,
              deduction_notes="一经查实，不予评星"),
    ItemInput(code="V3", title="被列入严重失信主体名单或存在重大偷税漏税行为", veto_cap=0,
              deduction_notes="一经查实，不予评星"),
    ItemInput(code="V4", title="发生群体性劳资纠纷并造成不良影响", veto_cap=2,
              deduction_notes="一经查实，最高评定为二星"),
]
