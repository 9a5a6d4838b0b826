"""The words and figures of the outreach demo (liaison/demo/outreach.py): lawyers, topics, notices,
care activities and mentoring, all fictional, in the source document's terms."""

import datetime

from ..rules.outreach import CareKind, ConsultationCategory, ConsultationChannel, NoticeAudience, NoticeStatus

D = datetime.date
C, A, S = ConsultationCategory, NoticeAudience, NoticeStatus

# --- legal service centre ------------------------------------------------------------------------

# (law firm, resident since, resident until): twelve resident lawyers of four firms; two residencies
# ended in 2025 and were taken over, so that someone is on duty every day since 2023.
LAWYERS = [
    ("星湖正衡律师事务所", D(2021, 3, 1), None), ("星湖正衡律师事务所", D(2021, 3, 1), None),
    ("星湖正衡律师事务所", D(2022, 9, 1), D(2025, 6, 30)), ("星湖明德律师事务所", D(2021, 3, 1), None),
    ("星湖明德律师事务所", D(2022, 1, 1), None), ("星湖明德律师事务所", D(2025, 7, 1), None),
    ("江城衡信律师事务所星湖分所", D(2021, 6, 1), None), ("江城衡信律师事务所星湖分所", D(2023, 3, 1), None),
    ("江城衡信律师事务所星湖分所", D(2022, 3, 1), D(2025, 2, 28)), ("星湖众诚律师事务所", D(2022, 6, 1), None),
    ("星湖众诚律师事务所", D(2023, 1, 1), None), ("星湖众诚律师事务所", D(2025, 3, 1), None),
]
LAWYER_NAMES = ["周文律", "郑嘉禾", "冯思远", "陈慧敏", "褚亦凡", "卫子衿", "蒋正平", "沈若溪", "韩立诚",
                "杨明哲", "朱清扬", "秦雅琴"]
SPECIALTIES = ["合同纠纷", "劳动用工", "知识产权", "融资担保", "公司治理", "税务合规", "破产重整", "行政复议"]
CONSULTATIONS_PER_ENTERPRISE = 0.1
CATEGORY_WEIGHTS = [(C.CONTRACT, 30), (C.LABOUR, 25), (C.IP, 12), (C.FINANCING, 13), (C.GOVERNANCE, 10),
                    (C.OTHER, 10)]
CHANNEL_WEIGHTS = [(ConsultationChannel.ONSITE, 50), (ConsultationChannel.PHONE, 30), (ConsultationChannel.ONLINE, 20)]
TOPICS = {
    C.CONTRACT: ["货款拖欠如何催收", "采购合同违约金条款审查", "工程分包合同纠纷", "供货合同解除的风险"],
    C.LABOUR: ["劳动合同续签与解除", "工伤认定与赔偿", "季节性用工的社保缴纳", "竞业限制协议是否有效"],
    C.IP: ["商标被抢注如何应对", "专利申请前的保密安排", "产品外观设计侵权"],
    C.FINANCING: ["党建增信贷款的担保安排", "股权质押融资的风险", "民间借贷利率是否合法"],
    C.GOVERNANCE: ["股东会议事规则修订", "家族企业股权传承", "公司章程中的党建工作条款"],
    C.OTHER: ["行政处罚的陈述申辩", "厂房租赁纠纷", "环保整改期限"],
}
OUTCOMES = {
    C.CONTRACT: ["建议先发律师函催告，保留对账单和送货单，必要时申请诉前保全。",
                 "违约金约定过高可请求调整，已协助修改条款并提示履约证据留存。"],
    C.LABOUR: ["已说明依法解除的程序与经济补偿标准，建议完善考勤和规章制度公示。",
               "建议及时申报工伤认定，已告知所需材料与时限。"],
    C.IP: ["建议提出商标异议并补充在先使用证据，已协助准备材料。", "建议签订保密协议并尽快提交专利申请。"],
    C.FINANCING: ["已解读信用贷款政策，提示关注借款合同中的提前还款条款。", "建议核实出借人资质，超出法定利率上限部分不受保护。"],
    C.GOVERNANCE: ["已协助修订公司章程，写入党建工作相关条款。", "建议通过股权转让协议和遗嘱安排分步传承。"],
    C.OTHER: ["建议在期限内提出陈述申辩，已协助整理证据。", "建议与出租方协商续租条件，并审查原合同优先承租权条款。"],
}

# --- policy notices ------------------------------------------------------------------------------

# (title, body, (audience, value), status, days before the day of seeding it was published); a
# region's value is the index of a town, "{town}" in its title its name.
NOTICES = [
    ("关于开展非公企业党组织评星定级工作的通知", "各镇（街道）党委、各非公企业党组织：根据评星定级工作安排，现启动年度自评工作，请于规定时间内完成自评并报镇（街道）党委初评。",
     (A.ALL, ""), S.PUBLISHED, 640),
    ("党建增信贷款政策解读", "党组织星级可作为企业信用评价的参考，一星至五星分别对应 100 万元至 500 万元的定额低息信用贷款，可到就近金融服务站咨询办理。",
     (A.ALL, ""), S.PUBLISHED, 560),
    ("“党建+保险”保费优惠问答", "星级党组织所在企业投保可享受保费优惠，一星 10%、五星 30%，具体以保险公司报价为准。",
     (A.ALL, ""), S.PUBLISHED, 420),
    ("人才引进和培育配套政策摘要", "住房、医疗、子女教育、配偶安置、金融服务等配套政策摘要，重点民营企业引进人才可申请相应待遇。",
     (A.KEY, ""), S.PUBLISHED, 500),
    ("重点民营企业“一企一策”服务清单", "对重点民营企业实行一企一策，联系领导定期走访，问题诉求限时办结。", (A.KEY, ""), S.PUBLISHED, 380),
    ("关于申报市级重点民营企业的通知", "符合条件的民营企业可通过所在镇（街道）申报市级重点民营企业。", (A.KEY, ""), S.PUBLISHED, 150),
    ("农民专业合作社规范化建设指引", "合作社应健全成员账户、盈余分配和财务公开制度，示范社创建可获得扶持。", (A.KIND, "coop"), S.PUBLISHED, 470),
    ("家庭农场名录管理与扶持政策", "纳入名录管理的家庭农场可享受农业保险保费补贴和贷款贴息。", (A.KIND, "farm"), S.PUBLISHED, 330),
    ("民营企业法律服务中心值守安排", "法律服务中心常驻律师提供全天候法律服务，企业可现场、电话或线上咨询。", (A.KIND, "private"), S.PUBLISHED, 250),
    ("制造业技术改造专项资金申报指南", "支持制造业企业设备更新和智能化改造，按投资额给予一定比例补助。", (A.INDUSTRY, "C"), S.PUBLISHED, 300),
    ("知识产权“惠企入园”行动服务指南", "专利审查协作中心和省知识产权服务中心专家入园提供专利布局、商标注册等服务。",
     (A.INDUSTRY, "I"), S.PUBLISHED, 210),
    ("农业保险保费补贴政策", "种植业、养殖业保险保费由财政给予补贴，经营主体自缴部分按星级享受优惠。", (A.INDUSTRY, "A"), S.PUBLISHED, 180),
    ("冬季施工安全生产提醒", "进入冬季施工期，请建筑企业落实防冻、防滑、防火措施。", (A.INDUSTRY, "E"), S.PUBLISHED, 330),
    ("批发零售业促消费活动报名", "鼓励批发零售企业参加促消费活动，参与企业可获宣传推介支持。", (A.INDUSTRY, "F"), S.PUBLISHED, 95),
    ("{town}惠企政策宣讲安排", "镇（街道）党委将组织惠企政策宣讲，请辖区企业派员参加。", (A.REGION, 0), S.PUBLISHED, 120),
    ("{town}金融服务站服务时间调整", "金融服务站工作日全天开放，周六上午提供预约服务。", (A.REGION, 1), S.PUBLISHED, 75),
    ("{town}“大走访、大服务、大提升”活动安排", "联系领导和镇（街道）干部将走访辖区企业，听取意见建议。", (A.REGION, 2), S.PUBLISHED, 40),
    ("企业安全生产和欠薪治理提示", "请各企业落实安全生产主体责任，按时足额支付职工工资，做好矛盾纠纷排查。",
     (A.ALL, ""), S.PUBLISHED, 12),
    ("关于开展惠企政策“直通车”线上答疑的通知", "组织部门会同有关部门开展惠企政策线上答疑，企业可通过门户或金融服务站提交问题。",
     (A.ALL, ""), S.PUBLISHED, 3),
    ("订单式技能培训报名通知", "联合本地职业院校开展订单式技能培训，重点民营企业可推荐技术骨干报名。", (A.KEY, ""), S.WITHDRAWN, 60),
    ("关于开展新生代企业家培育工程的通知（征求意见稿）", "拟整合老干部活动中心资源，开展青蓝交接、以老带青培育工程。", (A.ALL, ""), S.DRAFT, 0),
]
WITHDRAW_REASON = "报名时间有误，更正后另行发布。"
READ_SHARE_OLD = 0.65  # of reached enterprises, for notices older than two months
READ_SHARE_NEW = 0.35

# --- care activities -----------------------------------------------------------------------------

CARE_TOWNS = 4  # towns that hold their own summer and winter activities besides the city's
CARE_SEASONS = [  # (kind, month, (the city's title, a town's title))
    (CareKind.WINTER, 1, ("{year}年冬送温暖走访慰问", "{year}年{town}冬送温暖慰问活动")),
    (CareKind.TRAINING, 4, ("{year}年新生代企业家能力提升培训班", "")),
    (CareKind.SUMMER, 7, ("{year}年夏送清凉慰问一线职工", "{year}年{town}夏送清凉活动")),
    (CareKind.ASSISTANCE, 10, ("{year}年困难职工帮扶济困", "")),
]
CITY_ORGANIZER = "中共星湖市委组织部（两新工委）"
CITY_PLACE = "星湖市党群服务中心"
CARE_NOTES = {
    CareKind.SUMMER: "为一线职工送去防暑降温物资。",
    CareKind.WINTER: "走访慰问企业职工及家属，送去御寒物资。",
    CareKind.TRAINING: "邀请专家讲授企业管理、政策法规和党建知识。",
    CareKind.ASSISTANCE: "为困难职工家庭送去慰问金和生活物资。",
}

# --- mentoring -----------------------------------------------------------------------------------

MENTORING_PAIRS = 15
RETIRED_CADRES = [("何振邦", "原市人大常委会副主任"), ("许国良", "原市政协副主席"), ("吕建新", "原市经信局局长"),
                  ("施德明", "原市委组织部副部长")]
SENIOR_TITLES = ["董事长", "总经理", "创始人、董事长", "市工商联副主席"]
FOCUSES = ["企业管理与传承", "市场开拓", "党建工作与企业文化", "技术创新与人才培养", "规范经营与风险防控", "融资与财务管理"]
SESSION_TOPICS = ["座谈交流企业经营心得", "参观导师企业生产线", "共同参加主题党日活动", "研讨企业发展规划",
                  "学习惠企政策", "交流家族企业传承经验", "走访产业链上下游企业"]
