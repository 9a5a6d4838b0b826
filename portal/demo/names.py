"""Word lists the demo world is named from. All places and firms are fictional; the words are the
ordinary stock of Sichuan place names and Chinese company names."""

CITY_NAME = "星湖市"
CITY_CODE = "510799000000"
AREA_CODE = CITY_CODE[:6]

# The city's towns and streets: (name, kind). Streets take codes 001–099 and towns 101–, as in the
# national scheme (GB/T 10114: 街道 001–099, 镇 100–199). The first town is the one the scoped demo
# accounts belong to.
CITY_TOWNS = (
    ("东湖镇", "town"),
    ("三星镇", "town"),
    ("青龙镇", "town"),
    ("白马镇", "town"),
    ("石桥镇", "town"),
    ("龙泉镇", "town"),
    ("清平镇", "town"),
    ("回龙镇", "town"),
    ("永兴镇", "town"),
    ("太平镇", "town"),
    ("星城街道", "street"),
    ("湖滨街道", "street"),
    ("文昌街道", "street"),
    ("金桥街道", "street"),
    ("南华街道", "street"),
)

# More towns for the province scale: two characters from these, one from each list.
TOWN_FIRST = "青白石金凤清永太新高双长安兴宝福万天云玉桂柳松柏马黄红古望观仁义礼智德和顺乐"
TOWN_SECOND = "桥河山江溪泉平丰坝场坪寺庙塘湾林华阳池水峰岩台滩沟岭铺市渡关口田"

# Villages under a town (…村) and communities under a street (…社区).
VILLAGE_NAMES = (
    "红星 光明 新民 团结 胜利 和平 联合 建设 先锋 前进 民主 幸福 新华 永红 东风 向阳 红旗 五星 三合 "
    "双河 石龙 白鹤 黄桷 马鞍 柏林 桂花 金鸡 长乐 永安 太和 新桥 高桥 龙门 龙井 凤凰 青杠 松林 竹林 "
    "花园 水井 大湾 新店 老鹰 观音 天池 玉泉 清泉 金山 银山 宝峰 双龙 九龙 五里 十里 八角 梨园 桃园 "
    "杏林 荷花 莲花 白果 红岩 黑石 金竹 楠木 柏杨 朝阳 东岳 南山 北斗 西河 中和 同心 合兴 兴隆 兴旺 "
    "丰收 富民 安乐 和睦 仁和 义和 金龙 玉龙 青松 白云 碧水 三江 两河口 高庙 万福 福田 石鼓 铁炉 瓦窑 "
    "新街 庙子湾 狮子 天宫 云台 锦屏 龙凤 关帝 双石 杨柳 麻柳 桂湖 映山 复兴 长青 龙滩 瓦店 石院"
).split()
COMMUNITY_NAMES = (
    "文昌 桂湖 锦江 星光 滨河 南门 北街 东升 西城 新城 玉带 翠湖 府河 书院 学府 天府 凤鸣 龙潭 "
    "人民 朝阳 惠民 康乐 紫荆 金沙 银杏 桃源 锦绣 映月 望江 清河 柳荫 五一 七一 八一 明珠 丽景 "
    "安居 景苑 工农 石羊 永宁 城北 城南 城东 城西 华兴 金桥 和平 胜利 建设 新华 鹤鸣 春晖 东湖 湖光"
).split()

ROADS = (
    "人民路 建设路 解放路 文昌路 滨河路 湖滨路 星湖大道 工业大道 创新大道 科技路 兴业路 金桥路 南华路 "
    "桂湖路 长江路 黄河路 学府路 天府大道 振兴路 迎宾大道 凤鸣路 东湖路 青龙街 正街 新街"
).split()

PARKS = (
    # (code, name, host town name, the park's own roads)
    ("XH-P01", "星湖经济技术开发区", "金桥街道", ("经开大道", "兴业路", "创业路", "发展大道", "物流大道")),
    ("XH-P02", "三星湖智能传感产业园", "三星镇", ("传感大道", "智造路", "芯谷路", "感知路", "创新大道")),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任"
    "卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔"
)
# The most common surnames are far more common: the first twenty take about half of all people.
SURNAME_WEIGHTS = tuple(8 if i < 20 else 3 if i < 50 else 1 for i in range(len(SURNAMES)))
GIVEN_CHARS = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子"
    "杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮"
    "政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛秀娟英华慧巧美娜静淑"
    "惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐"
    "娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜"
)

# Firms' trade names (字号): two characters, one from each list.
TRADE_FIRST = "恒鑫宏华永金泰瑞盛兴达源通博创嘉锦正信利德隆祥安康宇航丰润凯昌顺汇力鼎天佳优新聚众弘"
TRADE_SECOND = "达源盛兴泰通利昌华宇翔辉鑫丰业诚信成茂祥瑞宝龙发凯鼎锐威远景和润美佳峰邦晟科"

# Industry words by section of GB/T 4754, with the section's share among private enterprises.
INDUSTRY_WORDS = {
    "C": (30, "精密机械 机械制造 食品 酒业 纺织 服饰 电子科技 新材料 化工 包装材料 建材 家具 塑胶制品 汽车零部件 "
              "电气设备 五金制品 钢结构 印务 制药 饲料 农产品加工 环保设备 光电科技 智能装备 水泥制品 门窗 陶瓷"),
    "F": (20, "商贸 贸易 农资 医药 超市 汽车销售 商业连锁 百货 粮油贸易 建材销售"),
    "E": (8, "建筑工程 建设工程 装饰工程 市政工程 路桥工程 水电安装工程"),
    "H": (6, "餐饮管理 酒店管理 饮食文化"),
    "L": (6, "企业管理咨询 人力资源服务 广告传媒 会展服务 商务信息咨询 设备租赁"),
    "A": (5, "农业开发 农业科技 生态农业 畜牧 茶业 林业"),
    "G": (5, "物流 运输 仓储 货运"),
    "I": (4, "网络科技 信息技术 软件 数字科技"),
    "K": (3, "房地产开发 物业服务 置业"),
    "M": (3, "检测技术 工程设计 工程咨询"),
    "O": (3, "家政服务 汽车维修 保洁服务"),
    "B": (1, "矿业 砂石"),
    "D": (1, "水务 燃气 新能源"),
    "N": (1, "环境工程 园林绿化工程"),
    "P": (1, "教育科技 职业技能培训"),
    "Q": (1, "健康管理 养老服务"),
    "R": (1, "文化传播 体育发展"),
    "J": (1, "小额贷款 融资担保"),
}
INDUSTRY_WORDS = {k: (w, words.split()) for k, (w, words) in INDUSTRY_WORDS.items()}

# What each park's firms make: (section, words).
PARK_INDUSTRIES = {
    "XH-P01": (
        ("C", "精密机械 智能装备 新材料 食品 汽车零部件 电气设备 化工 包装材料 医疗器械 电子科技".split()),
        ("G", "物流 供应链管理".split()),
        ("M", "检测技术 工程技术".split()),
    ),
    "XH-P02": (
        ("C", "传感科技 智能传感 微电子 电子元器件 光电科技 精密仪器".split()),
        ("I", "物联网科技 软件 数字科技".split()),
        ("M", "传感技术研究 检测技术".split()),
    ),
}

COMPANY_SUFFIXES = (("有限公司", 80), ("有限责任公司", 15), ("股份有限公司", 5))

COOP_TRADE = (
    "绿源 丰收 金穗 田园 禾丰 沃土 青山 碧水 惠农 兴农 富民 山里红 金果 鑫农 福农 嘉禾 稻香 润农 绿野 春晖 "
    "康农 绿丰 硕果 农家 红土 金田 益农 众鑫 香溢 田丰"
).split()
COOP_PRODUCTS = (
    "果蔬 水稻种植 生猪养殖 茶叶 食用菌 中药材种植 柑橘种植 猕猴桃种植 蔬菜种植 水产养殖 农机 花卉苗木 "
    "蜂业 肉牛养殖 核桃种植 葡萄种植 土鸡养殖 粮油 油菜种植 蚕桑"
).split()

LEGAL_TITLES = (("执行董事兼总经理", 50), ("董事长", 30), ("总经理", 20))
CONTACT_TITLES = "办公室主任 财务负责人 行政主管 党务工作者 综合部经理 副总经理".split()
