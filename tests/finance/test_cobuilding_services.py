"""Co-building services: pairings, activities, exchanges, the figures, and two staff at once."""

import threading

import pytest
from django.db import connection

from finance import selectors_cobuilding as selectors
from finance.choices import ExchangeDirection
from finance.models import CoBuildingPair
from finance.services import cobuilding as services
from portal.choices import Role
from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog

from ..factories import user_with_role
from .cobuilding_fixtures import NOT_WRITERS, D, days, refused

pytestmark = pytest.mark.django_db


# --- pairings ----------------------------------------------------------------------------------

def test_a_pairing_is_created_and_audited(cb):
    w = cb
    # when the department pairs 西山社区 with 农商银行's branch
    pair = services.pair_create(acting_user=w.org_staff, bank=w.bank, branch=w.branch, region=w.village_b,
                                started_on=D(2024, 5, 4), note="  金融服务站共建 ")
    # then the pairing is current, with the note trimmed, and the audit log has it
    assert (pair.bank, pair.branch, pair.park, pair.region, pair.started_on, pair.ended_on, pair.note) == (
        w.bank, w.branch, None, w.village_b, D(2024, 5, 4), None, "金融服务站共建")
    entry = AuditLog.objects.get(action="cobuilding_pair.create", object_id=str(pair.pk))
    assert entry.actor == w.org_staff
    assert entry.after["region_id"] == w.village_b.pk
    assert entry.after["started_on"] == "2024-05-04"


def _pair(w, **kwargs):
    values = {"acting_user": w.org_staff, "bank": w.bank, "region": w.village_b, "started_on": D(2024, 1, 1)}
    values.update(kwargs)
    return lambda: services.pair_create(**values)


@pytest.mark.parametrize(("given", "errors"), [
    (lambda w: {"bank": w.insurer},
     {"bank": ["“人保财险星湖支公司”不是银行，只能与银行结对或互派干部。"]}),
    (lambda w: {"bank": None}, {"bank": ["请选择一家银行。"]}),
    (lambda w: {"branch": w.branch2}, {"branch": ["网点“建设银行西山分理处”不属于星湖农商银行。"]}),
    (lambda w: {"region": None}, {"park": ["请选择结对的园区，或结对的村（社区）。"]}),
    (lambda w: {"park": w.park},
     {"region": ["一项结对只能对应一个园区或一个村（社区），不能同时选择两者。"]}),
    (lambda w: {"region": w.town_b}, {"region": ["“西山街道”是镇（街道），结对对象须为村（社区）。"]}),
    (lambda w: {"region": w.city}, {"region": ["“星湖市”是市，结对对象须为村（社区）。"]}),
    (lambda w: {"started_on": None}, {"started_on": ["请填写结对日期。"]}),
    (lambda w: {"note": "共" * 301}, {"note": ["不能超过 300 个字。"]}),
    (lambda w: {"bank": w.insurer, "region": None, "started_on": None},
     {"bank": ["“人保财险星湖支公司”不是银行，只能与银行结对或互派干部。"],
      "park": ["请选择结对的园区，或结对的村（社区）。"], "started_on": ["请填写结对日期。"]}),
], ids=["not-a-bank", "no-bank", "branch-of-another-bank", "no-partner", "park-and-village", "a-town",
        "the-city", "no-date", "long-note", "all-at-once"])
def test_a_bad_pairing_is_refused_at_its_fields_and_writes_nothing(cb, given, errors):
    error = refused(_pair(cb, **given(cb)))
    assert error.errors == errors
    assert error.message == "请更正标出的错误。"


def test_a_bank_cannot_hold_two_current_pairings_with_the_same_partner(cb):
    w = cb
    # given 农商银行 paired with 东湖村 since 2021 (the fixture)
    # when the department pairs them again, or 建设银行 with the park again
    error = refused(_pair(w, region=w.village_a, started_on=D(2025, 1, 1)))
    # then it is refused at the partner, naming the pairing that stands
    assert error.errors == {"region": ["农商银行与“东湖村”已有当前结对（自 2021-03-01 起），请先结束该结对。"]}
    assert error.code == "already_paired"
    error = refused(_pair(w, bank=w.bank2, region=None, park=w.park, started_on=D(2025, 1, 1)))
    assert error.errors == {"park": ["建设银行与“星湖高新技术产业园区”已有当前结对（自 2020-05-01 起），请先结束该结对。"]}
    # but another bank may pair with the same village, and the same bank with another village
    services.pair_create(acting_user=w.org_staff, bank=w.bank2, region=w.village_a, started_on=D(2025, 1, 1))
    services.pair_create(acting_user=w.org_staff, bank=w.bank, region=w.village_b, started_on=D(2025, 1, 1))


def test_a_new_pairing_of_the_same_two_begins_after_the_last_one_ended(cb):
    w = cb
    # given 建设银行 and 西山社区 paired from 2019-04-01 to 2020-12-31 (the fixture)
    # when they pair again from a day the old pairing still ran
    error = refused(_pair(w, bank=w.bank2, region=w.village_b, started_on=D(2020, 12, 31)))
    # then it is refused at the date
    assert error.errors == {"started_on": ["结对日期须晚于两者上一次结对的结束日期 2020-12-31。"]}
    assert error.code == "overlap"
    # and the day after is fine
    pair = services.pair_create(acting_user=w.org_staff, bank=w.bank2, region=w.village_b, started_on=D(2021, 1, 1))
    assert list(selectors.pair_history(pair, user=w.leader)) == [w.old_pair]


@pytest.mark.parametrize("who", NOT_WRITERS)
def test_only_the_department_writes_co_building(cb, who):
    w = cb
    user = getattr(w, who)
    calls = [
        _pair(w, acting_user=user),
        lambda: services.pair_end(acting_user=user, pair=w.pair, ended_on=D(2025, 1, 1)),
        lambda: services.activity_add(acting_user=user, pair=w.pair, held_on=D(2025, 1, 1), title="党建共建主题党日"),
        lambda: services.exchange_create(acting_user=user, person_name="李某", direction=ExchangeDirection.TO_BANK,
                                         organ="市委组织部", bank=w.bank, post="行长助理", started_on=D(2025, 1, 1),
                                         ended_on=D(2025, 12, 31)),
    ]
    for call in calls:
        error = refused(call)
        assert isinstance(error, AccessDenied)
        assert error.message == "您没有执行此操作的权限。"


def test_ending_a_pairing(cb):
    w = cb
    pair = services.pair_end(acting_user=w.org_staff, pair=w.pair, ended_on=D(2022, 6, 18))
    assert pair.ended_on == D(2022, 6, 18)  # the day of its last activity is still within it
    entry = AuditLog.objects.get(action="cobuilding_pair.end", object_id=str(pair.pk))
    assert (entry.before["ended_on"], entry.after["ended_on"]) == (None, "2022-06-18")
    # a pairing ends once
    error = refused(lambda: services.pair_end(acting_user=w.org_staff, pair=w.pair, ended_on=D(2023, 1, 1)))
    assert (error.message, error.code) == ("该结对已于 2022-06-18 结束。", "stale")


@pytest.mark.parametrize(("ended_on", "errors"), [
    (D(2021, 2, 28), {"ended_on": ["结束日期不能早于结对日期 2021-03-01。"]}),
    (D(2022, 6, 17), {"ended_on": ["该结对在 2022-06-18 还有共建活动，结束日期不能早于这一天。"]}),
    (None, {"ended_on": ["请填写结束日期。"]}),
])
def test_a_bad_end_date_is_refused(cb, ended_on, errors):
    error = refused(lambda: services.pair_end(acting_user=cb.org_staff, pair=cb.pair, ended_on=ended_on))
    assert error.errors == errors


# --- activities --------------------------------------------------------------------------------

def test_an_activity_is_recorded_within_the_pairing(cb):
    w = cb
    activity = services.activity_add(acting_user=w.org_staff, pair=w.old_pair, held_on=D(2020, 12, 31),
                                     title=" 整村授信宣讲 ", description="现场为 36 户农户建立信用档案。",
                                     participants=36)
    assert (activity.pair, activity.held_on, activity.title, activity.participants) == (
        w.old_pair, D(2020, 12, 31), "整村授信宣讲", 36)
    assert AuditLog.objects.filter(action="cobuilding_activity.add", object_id=str(activity.pk)).exists()
    # participants left out count as none
    assert services.activity_add(acting_user=w.org_staff, pair=w.pair, held_on=D(2021, 3, 1), title="支部书记联学",
                                 participants=None).participants == 0


@pytest.mark.parametrize(("pair", "given", "errors"), [
    ("pair", {"held_on": D(2021, 2, 28)}, {"held_on": ["活动日期不能早于结对日期 2021-03-01。"]}),
    ("old_pair", {"held_on": D(2021, 1, 1)}, {"held_on": ["活动日期不能晚于结对结束日期 2020-12-31。"]}),
    ("pair", {"held_on": None}, {"held_on": ["请填写活动日期。"]}),
    ("pair", {"title": "   "}, {"title": ["请填写活动名称。"]}),
    ("pair", {"title": "活" * 121}, {"title": ["不能超过 120 个字。"]}),
    ("pair", {"participants": -1}, {"participants": ["参加人数不能为负数。"]}),
    ("pair", {"held_on": D(2019, 1, 1), "title": "", "participants": -5},
     {"held_on": ["活动日期不能早于结对日期 2021-03-01。"], "title": ["请填写活动名称。"],
      "participants": ["参加人数不能为负数。"]}),
], ids=["before-start", "after-end", "no-date", "no-title", "long-title", "negative", "all-at-once"])
def test_a_bad_activity_is_refused_at_its_fields(cb, pair, given, errors):
    values = {"held_on": D(2024, 9, 1), "title": "党建共建主题党日", "participants": 20} | given
    error = refused(lambda: services.activity_add(acting_user=cb.org_staff, pair=getattr(cb, pair), **values))
    assert error.errors == errors


# --- cadre exchanges ---------------------------------------------------------------------------

def _exchange(w, **kwargs):
    values = {"acting_user": w.org_staff, "person_name": "王建国", "direction": ExchangeDirection.TO_GOVERNMENT,
              "organ": "星湖市农业农村局", "bank": w.bank, "post": "乡村振兴办副主任", "started_on": D(2025, 3, 1),
              "ended_on": D(2026, 2, 28)}
    values.update(kwargs)
    return lambda: services.exchange_create(**values)


def test_an_exchange_is_created_and_audited(cb):
    exchange = _exchange(cb, person_name=" 王建国 ", organ=" 星湖市农业农村局")()
    assert (exchange.person_name, exchange.organ, exchange.direction, exchange.started_on, exchange.ended_on) == (
        "王建国", "星湖市农业农村局", "to_gov", D(2025, 3, 1), D(2026, 2, 28))
    entry = AuditLog.objects.get(action="cadre_exchange.create", object_id=str(exchange.pk))
    assert entry.after["post"] == "乡村振兴办副主任"
    # a one-day posting is a period too
    assert _exchange(cb, started_on=D(2025, 3, 1), ended_on=D(2025, 3, 1))().pk


@pytest.mark.parametrize(("given", "errors"), [
    ({"ended_on": D(2025, 2, 28)}, {"ended_on": ["结束日期不能早于开始日期 2025-03-01。"]}),
    ({"started_on": None}, {"started_on": ["请填写开始日期。"]}),
    ({"ended_on": None}, {"ended_on": ["请填写结束日期。"]}),
    ({"bank": "insurer"}, {"bank": ["“人保财险星湖支公司”不是银行，只能与银行结对或互派干部。"]}),
    ({"bank": None}, {"bank": ["请选择一家银行。"]}),
    ({"person_name": ""}, {"person_name": ["请填写挂职干部姓名。"]}),
    ({"organ": " "}, {"organ": ["请填写机关单位。"]}),
    ({"post": None}, {"post": ["请填写挂职岗位。"]}),
    ({"person_name": "名" * 33}, {"person_name": ["不能超过 32 个字。"]}),
    ({"direction": "sideways"}, {"direction": ["请选择挂职方向。"]}),
    ({"person_name": "", "organ": "", "post": "", "bank": "insurer", "ended_on": D(2024, 1, 1)},
     {"person_name": ["请填写挂职干部姓名。"], "organ": ["请填写机关单位。"], "post": ["请填写挂职岗位。"],
      "bank": ["“人保财险星湖支公司”不是银行，只能与银行结对或互派干部。"],
      "ended_on": ["结束日期不能早于开始日期 2025-03-01。"]}),
], ids=["end-before-start", "no-start", "no-end", "not-a-bank", "no-bank", "no-name", "no-organ", "no-post",
        "long-name", "bad-direction", "all-at-once"])
def test_a_bad_exchange_is_refused_at_its_fields(cb, given, errors):
    if given.get("bank") == "insurer":
        given = given | {"bank": cb.insurer}
    error = refused(_exchange(cb, **given))
    assert error.errors == errors


# --- the figures -------------------------------------------------------------------------------

def test_pairings_by_bank_count_current_pairings_by_partner_kind(cb):
    w = cb
    services.pair_create(acting_user=w.org_staff, bank=w.bank, park=w.park, started_on=D(2023, 1, 1))
    services.pair_create(acting_user=w.org_staff, bank=w.bank2, region=w.village_a, started_on=days(10))  # not begun
    services.activity_add(acting_user=w.org_staff, pair=w.old_pair, held_on=D(2020, 6, 1), title="金融夜校")
    rows = {r.bank.code: (r.current, r.parks, r.villages, r.ended, r.activities)
            for r in selectors.pairs_by_bank(user=w.leader)}
    assert rows == {"B01": (2, 1, 1, 0, 1), "B02": (1, 1, 0, 1, 1)}
    # a pairing ending in the future is still current
    services.pair_end(acting_user=w.org_staff, pair=w.pair, ended_on=days(30))
    assert selectors.pairs_by_bank(user=w.leader)[0].current == 2
    services.pair_end(acting_user=w.org_staff, pair=w.park_pair, ended_on=days(-1))
    assert selectors.pairs_by_bank(user=w.leader)[1].ended == 2


def test_current_exchanges_by_direction(cb):
    w = cb
    _exchange(w, started_on=days(-10), ended_on=days(355))()
    _exchange(w, started_on=days(5), ended_on=days(370))()  # agreed, not begun
    _exchange(w, direction=ExchangeDirection.TO_BANK, started_on=days(-365), ended_on=days(0))()  # its last day
    assert selectors.exchanges_by_direction(user=w.bank_officer) == [
        ("to_bank", "机关干部到银行挂职", 2), ("to_gov", "银行干部到机关挂职", 1)]
    assert [e.person_name for e in selectors.exchanges_past(user=w.leader)] == ["郑雅琴"]
    assert len(selectors.exchanges_not_over(user=w.leader)) == 4


# --- two staff at the same moment --------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_staff_pairing_the_same_two_at_once_make_one_pairing(world):
    # given two department staff about to pair 东湖村 with 农商银行
    colleague = user_with_role("t_org_2", Role.ORG_STAFF)
    barrier = threading.Barrier(2)
    results = []

    def create(user):
        try:
            barrier.wait()
            services.pair_create(acting_user=user, bank=world.bank, region=world.village_a, started_on=D(2025, 1, 1))
            results.append("ok")
        except DomainError as error:
            results.append(error.code)
        finally:
            connection.close()

    # when both save at the same moment
    threads = [threading.Thread(target=create, args=(u,)) for u in (world.org_staff, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then one pairing exists and the other was told so
    assert sorted(results) == ["already_paired", "ok"]
    assert CoBuildingPair.objects.filter(bank=world.bank, region=world.village_a).count() == 1
    assert AuditLog.objects.filter(action="cobuilding_pair.create").count() == 1
