"""Fixtures of the talent tests: `tw` is the shared `world` with the talent programme in it, made
through the services.

- items: housing (C、D类, 150,000), school (A–D, a service), top (A类, 500,000)
- bases in 深圳 and 上海
- talent_a (C类) at ent_a (东湖镇), talent_b (D类) at ent_b (西山街道), talent_park (E类) at ent_park (the park)
- app_a: talent_a's housing application, pending, submitted by ent_a's user;
  app_b: talent_b's school placement, pending, submitted by the 西山 station
- project (ent_a) and project_b (ent_b), ip_action (ent_a), training (ent_a + ent_b) and training_b (ent_b),
  a 科创中国 unit registration of ent_a and a batch of 12 technical talents of ent_b
"""

import datetime
from types import SimpleNamespace

import pytest

from talent import services

D = datetime.date
ID_A, ID_B, ID_PARK, ID_SPARE = "510112198505174047", "510122199005170741", "51072219950517096X", "510121197505179317"
MOBILE_A, MOBILE_B = "13812345678", "13987654321"


@pytest.fixture
def items(world):
    s = SimpleNamespace()
    staff = world.org_staff
    s.housing = services.policy_item_create(
        acting_user=staff, name="C、D类人才购房补贴", category="housing", levels=["C", "D"], amount="150000",
        conditions="在本市首次购买自住商品房，签订3年以上服务协议。")
    s.school = services.policy_item_create(
        acting_user=staff, name="子女入学安排", category="education", levels=["A", "B", "C", "D"], amount="",
        conditions="子女就读义务教育阶段学校的，统筹安排公办学校。")
    s.top = services.policy_item_create(
        acting_user=staff, name="A类人才购房补贴", category="housing", levels=["A"], amount="500000",
        conditions="在本市首次购买自住商品房，签订5年以上服务协议。")
    return s


def make_talent(world, *, name, id_number, mobile, level, employer, base=None, field="sensing"):
    return services.talent_create(
        acting_user=world.org_staff, name=name, id_number=id_number, mobile=mobile, level=level, field=field,
        employer=employer, source="university", source_institution="电子科技大学", introduced_on=D(2022, 3, 1),
        base=base)


@pytest.fixture
def tw(world, items):
    w = world
    staff = w.org_staff
    w.items = items
    w.base_sz = services.base_save(acting_user=staff, name="星湖市驻深圳人才孵化基地", city="深圳", address="深圳市南山区",
                                   opened_on=D(2020, 6, 18), partner="深圳湾星创孵化器", note="", is_active=True)
    w.base_sh = services.base_save(acting_user=staff, name="星湖市驻上海人才孵化基地", city="上海", address="上海市杨浦区",
                                   opened_on=D(2021, 3, 26), partner="上海星联科创孵化器", note="", is_active=True)
    w.talent_a = make_talent(w, name="周星湖", id_number=ID_A, mobile=MOBILE_A, level="C", employer=w.ent_a,
                             base=w.base_sz)
    w.talent_b = make_talent(w, name="钱西山", id_number=ID_B, mobile=MOBILE_B, level="D", employer=w.ent_b,
                             field="equipment")
    w.talent_park = make_talent(w, name="孙园区", id_number=ID_PARK, mobile="13511112222", level="E",
                                employer=w.ent_park, field="electronics")
    w.app_a = services.benefit_application_submit(acting_user=w.enterprise_user, talent=w.talent_a,
                                                  item=items.housing, amount_requested="150000",
                                                  reason="已在本市购买首套住房")
    w.app_b = services.benefit_application_submit(acting_user=w.station_b_user, talent=w.talent_b, item=items.school,
                                                  amount_requested="", reason="子女随迁需办理入学")
    w.project = services.project_save(
        acting_user=staff, name="电子科大三星湖传感技术产业研究院", partner="电子科技大学", kind="institute",
        status="landed", signed_on=D(2021, 8, 30), landed_on=D(2021, 11, 8), base=None, description="传感器成果转化",
        enterprises=[w.ent_a])
    w.project_b = services.project_save(
        acting_user=staff, name="清华大学星湖乡村振兴工作站", partner="清华大学", kind="workstation", status="landed",
        signed_on=D(2021, 3, 12), landed_on=D(2021, 5, 20), base=None, description="", enterprises=[w.ent_b])
    w.ip_action = services.ip_action_save(
        acting_user=staff, held_on=D(2023, 5, 10), partner="省知识产权服务中心", title="知识产权惠企入园·专利导航进园区",
        patents="12", consultations="40", note="", enterprises=[w.ent_a])
    w.training = services.training_session_save(
        acting_user=staff, school="星湖职业技术学院", topic="智能传感器装调工", held_on=D(2024, 4, 12), trainees="30",
        note="", enterprises=[w.ent_a, w.ent_b])
    w.training_b = services.training_session_save(
        acting_user=staff, school="星湖技师学院", topic="数控车床操作", held_on=D(2025, 9, 3), trainees="18", note="",
        enterprises=[w.ent_b])
    w.registration = services.registration_create(acting_user=staff, kind="enterprise", registered_on=D(2023, 2, 1),
                                                  enterprise=w.ent_a)
    w.registration_batch = services.registration_create(acting_user=staff, kind="talent", registered_on=D(2024, 7, 1),
                                                        enterprise=w.ent_b, count="12")
    return w
