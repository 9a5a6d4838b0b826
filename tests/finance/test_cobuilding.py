"""Co-building (组织共建): pairings of parks, villages and communities with banks, their activities and
cadre exchanges — the services (each refusal exact and writing nothing), the selectors' figures, the
pages (who reaches each, what bad input shows) and the demo step."""

import datetime
import threading
from io import StringIO

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from finance import demo_cobuilding  # registers the demo step until finance/demo.py imports it
from finance import selectors_cobuilding as selectors
from finance.choices import ExchangeDirection
from finance.models import CadreExchange, CoBuildingActivity, CoBuildingPair
from finance.services import cobuilding as services
from finance.views.cobuilding import register_menu, url_name
from portal import navigation
from portal.choices import Role
from portal.demo import DEMO_TODAY, SeedContext
from portal.demo.context import registered_steps, run_steps, scale_for
from portal.demo.runner import DEFAULT_SEED
from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog, Branch
from tests.access import AccessCase, case_id, run_access_case, users

from ..factories import user_with_role

pytestmark = pytest.mark.django_db

D = datetime.date
READERS = ("org_staff", "leader", "town_staff", "bank_officer")
NOT_WRITERS = ("leader", "town_staff", "bank_officer", "station", "enterprise_user", "insurer_officer", "cadre",
               "admin")


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def cb(world):
    """`world` with a branch of each bank, three pairings (one of them ended), an activity, and a current
    and a past cadre exchange."""
    w = world
    w.branch = Branch.objects.create(institution=w.bank, name="星湖农商银行东湖支行", region=w.town_a)
    w.branch2 = Branch.objects.create(institution=w.bank2, name="建设银行西山分理处", region=w.town_b)
    w.pair = services.pair_create(acting_user=w.org_staff, bank=w.bank, branch=w.branch, region=w.village_a,
                                  started_on=D(2021, 3, 1), note="支部联建、整村授信")
    w.activity = services.activity_add(acting_user=w.org_staff, pair=w.pair, held_on=D(2022, 6, 18),
                                       title="金融知识进村", participants=40)
    w.park_pair = services.pair_create(acting_user=w.org_staff, bank=w.bank2, park=w.park, started_on=D(2020, 5, 1))
    w.old_pair = services.pair_create(acting_user=w.org_staff, bank=w.bank2, region=w.village_b,
                                      started_on=D(2019, 4, 1))
    services.pair_end(acting_user=w.org_staff, pair=w.old_pair, ended_on=D(2020, 12, 31))
    w.old_pair.refresh_from_db()
    w.exchange = services.exchange_create(
        acting_user=w.org_staff, person_name="周明远", direction=ExchangeDirection.TO_BANK, organ="星湖市财政局",
        bank=w.bank, post="普惠金融部副经理", started_on=days(-100), ended_on=days(265))
    w.past_exchange = services.exchange_create(
        acting_user=w.org_staff, person_name="郑雅琴", direction=ExchangeDirection.TO_GOVERNMENT,
        organ="星湖市发展和改革局", bank=w.bank2, post="金融工作科副科长", started_on=D(2021, 1, 1),
        ended_on=D(2021, 12, 31))
    return w


def written():
    """What a refused service must leave as it was."""
    return (CoBuildingPair.objects.count(), list(CoBuildingPair.objects.order_by("pk").values_list("ended_on")),
            CoBuildingActivity.objects.count(), CadreExchange.objects.count(), AuditLog.objects.count())


def refused(call) -> DomainError:
    before = written()
    with pytest.raises(DomainError) as caught:
        call()
    assert written() == before
    return caught.value


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


# --- the pages ---------------------------------------------------------------------------------

def _url(name, *attrs):
    def build(w):
        return reverse(url_name(name), args=[getattr(w, a).pk for a in attrs])
    return build


def _ns(name):
    return url_name(name)


ACCESS_CASES = [
    AccessCase(_ns("cobuilding_overview"), _url("cobuilding_overview"), right=users(*READERS),
               marker=lambda w: "周明远"),
    AccessCase(_ns("cobuilding_pair_detail"), _url("cobuilding_pair_detail", "pair"), right=users(*READERS),
               marker=lambda w: "支部联建、整村授信"),
    AccessCase(_ns("cobuilding_pair_create"), _url("cobuilding_pair_create"), right=users("org_staff"),
               wrong=users(*NOT_WRITERS)),
    AccessCase(_ns("cobuilding_pair_create"), _url("cobuilding_pair_create"), method="post", ok=(302,),
               data=lambda w: {"bank": w.bank.pk, "region": w.village_b.pk, "started_on": "2025-01-01"},
               right=users("org_staff"), wrong=users(*NOT_WRITERS), label="POST cobuilding_pair_create"),
    AccessCase(_ns("cobuilding_pair_end"), _url("cobuilding_pair_end", "pair"), method="post", ok=(302,),
               data=lambda w: {"ended_on": "2025-12-31"}, right=users("org_staff"), wrong=users(*NOT_WRITERS)),
    AccessCase(_ns("cobuilding_activity_add"), _url("cobuilding_activity_add", "pair"), method="post", ok=(302,),
               data=lambda w: {"held_on": "2025-01-10", "title": "整村授信宣讲", "participants": "30"},
               right=users("org_staff"), wrong=users(*NOT_WRITERS)),
    AccessCase(_ns("cobuilding_exchange_create"), _url("cobuilding_exchange_create"), right=users("org_staff"),
               wrong=users(*NOT_WRITERS)),
    AccessCase(_ns("cobuilding_exchange_create"), _url("cobuilding_exchange_create"), method="post", ok=(302,),
               data=lambda w: {"person_name": "陈思远", "direction": "to_bank", "organ": "星湖市商务局",
                               "bank": w.bank2.pk, "post": "公司业务部副经理", "started_on": "2025-06-01",
                               "ended_on": "2026-05-31"},
               right=users("org_staff"), wrong=users(*NOT_WRITERS), label="POST cobuilding_exchange_create"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, cb):
    run_access_case(case, cb)


def path(name, *args):
    return reverse(url_name(name), args=args)


def page(client, user, name, *args, **query):
    client.force_login(user)
    response = client.get(reverse(url_name(name), args=args), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_overview_lists_pairings_with_their_activity_counts_and_filters_them(client, cb):
    w = cb
    body = page(client, w.leader, "cobuilding_overview")
    for text in ("东湖村", "星湖高新技术产业园区", "西山社区", "星湖农商银行东湖支行"):
        assert text in body
    assert f'href="{path("cobuilding_pair_create")}"' not in body  # the leader only reads
    # only the park
    body = page(client, w.leader, "cobuilding_overview", partner="park")
    assert "星湖高新技术产业园区" in body
    assert "东湖村" not in body
    # only the villages of 建设银行
    body = page(client, w.leader, "cobuilding_overview", partner="village", bank=w.bank2.pk)
    assert "西山社区" in body
    assert "东湖村" not in body
    assert "星湖高新技术产业园区</a>" not in body
    # current only: the ended pairing drops out
    body = page(client, w.leader, "cobuilding_overview", current="true")
    assert "东湖村" in body
    assert "西山社区" not in body
    body = page(client, w.leader, "cobuilding_overview", current="false")
    assert "西山社区" in body
    assert "东湖村" not in body


def test_the_overview_shows_the_figures_and_the_exchanges_current_and_past(client, cb):
    w = cb
    body = page(client, w.org_staff, "cobuilding_overview")
    assert f'href="{path("cobuilding_pair_create")}"' in body
    assert f'href="{path("cobuilding_exchange_create")}"' in body
    # pairings by bank: 农商银行 one current village pairing with one activity; 建设银行 the park, one ended
    bank_row = body.split('data-bank="B01">')[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in bank_row.split("</td>")[:-1]] == ["农商银行", "1", "0", "1", "0", "1"]
    bank2_row = body.split('data-bank="B02">')[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in bank2_row.split("</td>")[:-1]] == ["建设银行", "1", "1", "0", "1", "0"]
    # current exchanges by direction
    assert 'data-direction="to_bank"><span>机关干部到银行挂职</span><span class="fw-semibold">1 人' in body
    assert 'data-direction="to_gov"><span>银行干部到机关挂职</span><span class="fw-semibold">0 人' in body
    current = body.split('id="exchanges-current"')[1].split("</table>")[0]
    past = body.split('id="exchanges-past"')[1].split("</table>")[0]
    assert "周明远" in current
    assert "郑雅琴" not in current
    assert "郑雅琴" in past
    assert "2021-01-01 ~ 2021-12-31" in past


def test_the_pairing_page_shows_its_activities_and_the_forms_to_staff_only(client, cb):
    w = cb
    body = page(client, w.org_staff, "cobuilding_pair_detail", w.pair.pk)
    assert "金融知识进村" in body
    assert "2022-06-18" in body
    assert 'id="activity-form"' in body
    assert 'id="end-form"' in body
    body = page(client, w.bank_officer, "cobuilding_pair_detail", w.pair.pk)
    assert "金融知识进村" in body
    assert 'id="activity-form"' not in body
    assert 'id="end-form"' not in body
    client.force_login(w.org_staff)
    assert client.get(reverse(url_name("cobuilding_pair_detail"), args=[999999])).status_code == 404


def test_creating_a_pairing_from_the_form(client, cb):
    w = cb
    client.force_login(w.org_staff)
    url = reverse(url_name("cobuilding_pair_create"))
    assert "结对村（社区）" in client.get(url).content.decode()
    # bad input: both a park and a village, a branch of the other bank
    before = written()
    response = client.post(url, {"bank": w.bank.pk, "branch": w.branch2.pk, "park": w.park.pk,
                                 "region": w.village_b.pk, "started_on": "2024-05-04"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="region">一项结对只能对应一个园区或一个村（社区），不能同时选择两者。' in body
    assert 'data-field="branch">网点“建设银行西山分理处”不属于星湖农商银行。' in body
    # a town is not offered, and the form says so at the field
    response = client.post(url, {"bank": w.bank.pk, "region": w.town_a.pk, "started_on": "2024-05-04"})
    assert 'data-field="region">请选择一个村（社区）。' in response.content.decode()
    # a second current pairing, refused by the service at the partner
    response = client.post(url, {"bank": w.bank.pk, "region": w.village_a.pk, "started_on": "2024-05-04"})
    assert 'data-field="region">农商银行与“东湖村”已有当前结对' in response.content.decode()
    response = client.post(url, {"started_on": ""})
    body = response.content.decode()
    assert 'data-field="bank">请选择一家银行。' in body
    assert written() == before
    # good input
    response = client.post(url, {"bank": w.bank.pk, "branch": w.branch.pk, "region": w.village_b.pk,
                                 "started_on": "2024-05-04", "note": "信用村创建"})
    pair = CoBuildingPair.objects.get(bank=w.bank, region=w.village_b)
    assert response.status_code == 302
    assert response["Location"] == reverse(url_name("cobuilding_pair_detail"), args=[pair.pk])
    assert (pair.branch, pair.started_on, pair.note) == (w.branch, D(2024, 5, 4), "信用村创建")


def test_adding_an_activity_and_ending_the_pairing_from_its_page(client, cb):
    w = cb
    client.force_login(w.org_staff)
    add = reverse(url_name("cobuilding_activity_add"), args=[w.pair.pk])
    end = reverse(url_name("cobuilding_pair_end"), args=[w.pair.pk])
    before = written()
    response = client.post(add, {"held_on": "2021-02-01", "title": "", "participants": "-3"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="title">请填写活动名称。' in body
    # the form's own refusal first; the service's date and count refusals once the title is there
    response = client.post(add, {"held_on": "2021-02-01", "title": "金融夜校", "participants": "-3"})
    body = response.content.decode()
    assert 'data-field="held_on">活动日期不能早于结对日期 2021-03-01。' in body
    assert 'data-field="participants">参加人数不能为负数。' in body
    assert 'value="金融夜校"' in body  # what was typed stays
    response = client.post(end, {"ended_on": "2022-01-01"})
    assert response.status_code == 400
    assert ('data-field="ended_on">该结对在 2022-06-18 还有共建活动，结束日期不能早于这一天。'
            in response.content.decode())
    assert written() == before

    response = client.post(add, {"held_on": "2024-07-01", "title": "金融夜校", "participants": "25"})
    assert response.status_code == 302
    assert w.pair.activities.filter(title="金融夜校", participants=25).exists()
    response = client.post(end, {"ended_on": "2024-12-31"})
    assert response.status_code == 302
    w.pair.refresh_from_db()
    assert w.pair.ended_on == D(2024, 12, 31)
    body = client.get(reverse(url_name("cobuilding_pair_detail"), args=[w.pair.pk])).content.decode()
    assert 'id="end-form"' not in body
    assert "已结束" in body
    # ending it again (say, from a page opened before) says why
    response = client.post(end, {"ended_on": "2025-01-31"}, follow=True)
    assert response.redirect_chain == [(reverse(url_name("cobuilding_pair_detail"), args=[w.pair.pk]), 302)]
    assert "该结对已于 2024-12-31 结束。" in response.content.decode()
    w.pair.refresh_from_db()
    assert w.pair.ended_on == D(2024, 12, 31)


def test_creating_an_exchange_from_the_form(client, cb):
    w = cb
    client.force_login(w.org_staff)
    url = reverse(url_name("cobuilding_exchange_create"))
    data = {"person_name": "陈思远", "direction": "to_bank", "organ": "星湖市商务局", "bank": w.bank2.pk,
            "post": "公司业务部副经理", "started_on": "2025-06-01", "ended_on": "2025-05-31"}
    before = written()
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'data-field="ended_on">结束日期不能早于开始日期 2025-06-01。' in response.content.decode()
    response = client.post(url, data | {"person_name": "", "organ": "", "post": ""})
    body = response.content.decode()
    assert 'data-field="person_name">请填写挂职干部姓名。' in body
    assert 'data-field="organ">请填写机关单位。' in body
    assert 'data-field="post">请填写挂职岗位。' in body
    assert written() == before
    response = client.post(url, data | {"ended_on": "2026-05-31"})
    assert response.status_code == 302
    assert response["Location"] == reverse(url_name("cobuilding_overview"))
    assert CadreExchange.objects.get(person_name="陈思远").ended_on == D(2026, 5, 31)


@pytest.fixture
def menu(monkeypatch):
    monkeypatch.setattr(navigation, "MENU", list(navigation.MENU))
    register_menu()
    register_menu()


def test_the_menu_offers_co_building_to_every_reader_once(client, cb, menu):
    w = cb
    assert sum(entry.url_name == url_name("cobuilding_overview") for entry in navigation.MENU) == 1
    for user in (w.org_staff, w.leader, w.town_staff, w.bank_officer):
        items = [i for i in navigation.menu_for(user) if i["name"] == url_name("cobuilding_overview")]
        assert [(str(i["label"]), i["url"]) for i in items] == [("组织共建", path("cobuilding_overview"))]
    assert navigation.menu_for(None) == []
    body = page(client, w.leader, "cobuilding_overview")
    assert f'class="dropdown-item active" href="{path("cobuilding_overview")}"><i class="bi bi-diagram-3"></i> 组织共建' in body


# --- the demo step -----------------------------------------------------------------------------

DEMO_ENTERPRISES = 300


def demo_snapshot() -> dict:
    """The co-building data by natural keys (ids differ between runs, the data must not)."""
    return {
        "pairs": list(CoBuildingPair.objects.order_by("park__code", "region__code", "bank__code").values_list(
            "bank__code", "branch__name", "park__code", "region__code", "started_on", "ended_on", "note")),
        "activities": list(CoBuildingActivity.objects.order_by(
            "pair__park__code", "pair__region__code", "held_on", "title").values_list(
            "pair__bank__code", "held_on", "title", "description", "participants")),
        "exchanges": list(CadreExchange.objects.order_by("started_on", "person_name").values_list(
            "person_name", "direction", "organ", "bank__code", "post", "started_on", "ended_on")),
    }


def seed_demo_steps(seed=DEFAULT_SEED) -> SeedContext:
    """The registry's steps and this one, at a small size (the step does not depend on the enterprises)."""
    steps = [s for s in registered_steps() if s.name.startswith("portal.") or s.name == "finance.cobuilding"]
    ctx = SeedContext(seed=seed, scale=scale_for("city", enterprises=DEMO_ENTERPRISES), log=StringIO().write)
    return run_steps(ctx, steps)


@pytest.fixture
def demo(db):
    with transaction.atomic():
        seed_demo_steps()
        first = demo_snapshot()
        transaction.set_rollback(True)
    ctx = seed_demo_steps()
    return ctx, first


def test_the_demo_step_runs_right_after_the_accounts():
    names = [s.name for s in registered_steps()]
    assert names[names.index("portal.accounts") + 1] == "finance.cobuilding"
    step = next(s for s in registered_steps() if s.name == "finance.cobuilding")
    assert (step.label, step.func) == ("组织共建", demo_cobuilding.seed_cobuilding)


def test_the_demo_pairs_both_parks_and_fifteen_villages_with_the_five_banks(demo):
    ctx, _first = demo
    pairs = list(CoBuildingPair.objects.select_related("bank", "branch", "region"))
    parks = [p for p in pairs if p.park_id]
    villages = [p for p in pairs if p.region_id]
    assert len(parks) == 2
    assert {p.park for p in parks} == set(ctx.parks)
    assert len({p.bank_id for p in parks}) == 2
    assert len(villages) == 15
    assert len({p.region_id for p in villages}) == 15
    assert all(p.region.level == "village" for p in villages)
    # spread over the five banks, three villages each
    assert sorted(sum(p.bank_id == b.pk for p in villages) for b in ctx.banks) == [3, 3, 3, 3, 3]
    assert all(p.bank.kind == "bank" and (p.branch is None or p.branch.institution_id == p.bank_id) for p in pairs)
    assert all(D(2019, 1, 1) <= p.started_on <= D(2024, 12, 31) for p in pairs)
    ended = [p for p in pairs if p.ended_on]
    assert len(ended) == 3
    assert all(p.region_id and p.started_on < p.ended_on < DEMO_TODAY for p in ended)
    # the summary says so
    assert ("结对共建", 17) in ctx.summary
    assert ("共建活动", CoBuildingActivity.objects.count()) in ctx.summary
    assert ("干部互派互挂", CadreExchange.objects.count()) in ctx.summary


def test_the_demo_activities_fall_within_their_pairings(demo):
    counts = {p.pk: 0 for p in CoBuildingPair.objects.all()}
    for activity in CoBuildingActivity.objects.select_related("pair"):
        pair = activity.pair
        counts[pair.pk] += 1
        assert pair.started_on <= activity.held_on < DEMO_TODAY
        assert pair.ended_on is None or activity.held_on <= pair.ended_on
        assert activity.title in {title for title, _d in demo_cobuilding.ACTIVITIES}
        assert 12 <= activity.participants <= 80
    assert all(2 <= n <= 6 for n in counts.values()), counts
    assert {"党建共建主题党日", "金融知识进村", "整村授信宣讲"} <= set(
        CoBuildingActivity.objects.values_list("title", flat=True))


def test_the_demo_exchanges_go_both_ways_for_a_year(demo):
    ctx, _first = demo
    exchanges = list(CadreExchange.objects.select_related("bank"))
    assert 8 <= len(exchanges) <= 12
    directions = [e.direction for e in exchanges]
    assert directions.count("to_bank") >= 4
    assert directions.count("to_gov") >= 4
    for e in exchanges:
        assert e.bank.kind == "bank"
        assert e.person_name
        assert e.organ.startswith("星湖市")
        assert e.post
        assert e.started_on.day == 1
        assert e.ended_on == e.started_on.replace(year=e.started_on.year + 1) - datetime.timedelta(days=1)
    # those under way are so on the real date (the overview's figure), the others ended before 2025
    under_way = [e for e in exchanges if e.started_on <= today() <= e.ended_on]
    assert len(under_way) == (len(exchanges) + 1) // 2
    assert all(e.ended_on < D(2025, 1, 1) for e in exchanges if e not in under_way)
    assert sum(n for _d, _label, n in selectors.exchanges_by_direction(user=ctx.users["leader"])) == len(under_way)


def test_the_demo_step_is_deterministic(demo):
    _ctx, first = demo
    assert demo_snapshot() == first
    assert len(first["pairs"]) == 17
    assert first["activities"]
    assert first["exchanges"]


def test_another_seed_makes_other_data(db):
    with transaction.atomic():
        seed_demo_steps(seed=7)
        other = demo_snapshot()
        transaction.set_rollback(True)
    seed_demo_steps()
    assert len(other["pairs"]) == 17
    assert demo_snapshot() != other
