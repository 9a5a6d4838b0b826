"""The insurance writes: who may do each, exact values, and every refusal answering at its field and
writing nothing (no row, no audit entry)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from insurance import services
from insurance.choices import ProductCategory, QuoteChannel, QuoteStatus
from insurance.models import DiscountRow, DiscountTable, InsuranceProduct, Policy, Quote
from insurance.tasks import quotes_expire_task
from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog
from ratings import services as rating_services
from ratings.choices import RatingStatus

from .conftest import TABLE_FROM, advance, quote, today

pytestmark = pytest.mark.django_db
D = Decimal
DEFAULT = {1: "10", 2: "15", 3: "20", 4: "25", 5: "30"}


def counts():
    return (DiscountTable.objects.count(), DiscountRow.objects.count(), InsuranceProduct.objects.count(),
            Quote.objects.count(), Policy.objects.count(), AuditLog.objects.count())


# --- discount tables ---------------------------------------------------------------------------

def test_org_staff_creates_a_table_from_today(world):
    table = services.discount_table_create(acting_user=world.org_staff, effective_from=today(),
                                           rates={**DEFAULT, 5: "32.5%"}, note="2026 年修订")
    assert table.rates() == {1: D("10.00"), 2: D("15.00"), 3: D("20.00"), 4: D("25.00"), 5: D("32.50")}
    assert table.created_by == world.org_staff
    entry = AuditLog.objects.get(action="discount_table.create")
    assert entry.after["rates"] == {"1": "10.00", "2": "15.00", "3": "20.00", "4": "25.00", "5": "32.50"}


@pytest.mark.parametrize(("rates", "errors"), [
    ({1: "10", 2: "15", 4: "25", 5: "30"}, {"rate_3": ["缺少 3 星的优惠比例。"]}),
    ({**DEFAULT, 1: "-10"}, {"rate_1": ["1 星优惠比例须在 0% 至 100% 之间，当前为 -10%。"]}),
    ({**DEFAULT, 5: "100.5"}, {"rate_5": ["5 星优惠比例须在 0% 至 100% 之间，当前为 100.5%。"]}),
    ({**DEFAULT, 2: "1O"}, {"rate_2": ["2 星优惠比例“1O”不是有效的数字。"]}),
    ({**DEFAULT, 4: "19"}, {"rate_4": ["4 星的优惠比例不能低于 3 星。"]}),
])
def test_a_bad_table_is_refused_at_its_fields_and_writes_nothing(world, rates, errors):
    before = counts()
    with pytest.raises(DomainError) as caught:
        services.discount_table_create(acting_user=world.org_staff, effective_from=today(), rates=rates)
    assert caught.value.errors == errors
    assert counts() == before


def test_a_table_cannot_reach_back_nor_take_a_taken_date(world, table):
    before = counts()
    with pytest.raises(DomainError) as caught:
        services.discount_table_create(acting_user=world.org_staff, effective_from=today() - datetime.timedelta(days=1),
                                       rates=DEFAULT)
    assert list(caught.value.errors) == ["effective_from"]
    assert caught.value.errors["effective_from"][0].startswith("生效日期不能早于今天")
    with pytest.raises(DomainError) as caught:
        services.discount_table_create(acting_user=world.org_staff, effective_from=TABLE_FROM, rates=DEFAULT,
                                       today=TABLE_FROM)
    assert caught.value.errors == {"effective_from": ["2019-01-01 起执行的优惠标准已存在。"]}
    with pytest.raises(DomainError) as caught:
        services.discount_table_create(acting_user=world.org_staff, effective_from=None, rates={1: "x"})
    assert set(caught.value.errors) == {"effective_from", "rate_1", "rate_2", "rate_3", "rate_4", "rate_5"}
    assert counts() == before


@pytest.mark.parametrize("who", ["insurer_officer", "town_staff", "station", "leader", "enterprise_user", "admin"])
def test_only_org_staff_makes_tables(world, who):
    with pytest.raises(AccessDenied):
        services.discount_table_create(acting_user=getattr(world, who), effective_from=today(), rates=DEFAULT)
    assert not DiscountTable.objects.exists()


# --- products ----------------------------------------------------------------------------------

def test_products_are_created_and_updated_by_org_staff(world):
    product = services.product_create(acting_user=world.org_staff, insurer=world.insurer, name=" 雇主责任险 ",
                                      category=ProductCategory.EMPLOYER_LIABILITY, description="按人数投保")
    assert (product.name, product.is_active) == ("雇主责任险", True)
    product = services.product_update(acting_user=world.org_staff, product=product, is_active=False)
    assert InsuranceProduct.objects.get(pk=product.pk).is_active is False
    entry = AuditLog.objects.get(action="insurance_product.update")
    assert (entry.before["is_active"], entry.after["is_active"]) == (True, False)


def test_bad_products_are_refused_at_their_fields(world, products):
    before = counts()
    with pytest.raises(DomainError) as caught:
        services.product_create(acting_user=world.org_staff, insurer=world.bank, name="", category="life")
    assert caught.value.errors == {"insurer": ["“农商银行”不是保险公司。"], "name": ["产品名称不能为空。"],
                                   "category": ["请选择险种。"]}
    with pytest.raises(DomainError) as caught:
        services.product_create(acting_user=world.org_staff, insurer=world.insurer, name=world.p1.name,
                                category=ProductCategory.PROPERTY)
    assert caught.value.errors == {"name": ["人保财险 已有名为“党建惠企安全生产责任险”的产品。"]}
    # the same name at another insurer is another product
    services.product_create(acting_user=world.org_staff, insurer=world.insurer2, name=world.p1.name,
                            category=ProductCategory.SAFETY_LIABILITY)
    assert counts()[2] == before[2] + 1
    with pytest.raises(AccessDenied):
        services.product_update(acting_user=world.insurer_officer, product=world.p1, name="改名")
    assert InsuranceProduct.objects.get(pk=world.p1.pk).name == "党建惠企安全生产责任险"


# --- quotes ------------------------------------------------------------------------------------

def test_an_insurer_officer_quotes_its_own_product(rated):
    w = rated
    q = quote(w, w.insurer_officer, w.ent_a, w.p1, "12,345.67")
    assert (q.insurer, q.product, q.enterprise, q.channel, q.station) == (w.insurer, w.p1, w.ent_a,
                                                                          QuoteChannel.INSURER, None)
    assert (q.stars, q.rating, q.discount_table) == (5, w.rating_a, w.table)
    assert (q.base_premium, q.discount_percent, q.discount_amount, q.net_premium) == (
        D("12345.67"), D("30.00"), D("3703.70"), D("8641.97"))
    assert (q.status, q.quoted_on, q.valid_until) == (QuoteStatus.QUOTED, today(), today() + datetime.timedelta(days=29))
    assert (q.created_by, q.created_by_name) == (w.insurer_officer, "t_insurer")
    assert AuditLog.objects.filter(action="quote.create", object_id=str(q.pk)).count() == 1


def test_a_station_quotes_for_an_enterprise_of_its_area_with_any_insurer(rated):
    w = rated
    q = quote(w, w.station, w.ent_a, w.p2, "3000")
    assert (q.channel, q.station, q.insurer) == (QuoteChannel.STATION, w.station_a, w.insurer2)
    assert (q.discount_amount, q.net_premium) == (D("900.00"), D("2100.00"))


@pytest.mark.parametrize(("who", "enterprise"), [
    ("station_b_user", "ent_a"), ("station", "ent_b"), ("park_station_user", "ent_a"), ("bank_officer", "ent_a"),
    ("enterprise_user", "ent_a"), ("org_staff", "ent_a"), ("town_staff", "ent_a"), ("leader", "ent_a"),
])
def test_others_may_not_quote(rated, who, enterprise):
    with pytest.raises(AccessDenied):
        quote(rated, getattr(rated, who), getattr(rated, enterprise), rated.p1)
    assert not Quote.objects.exists()


def test_an_insurer_officer_may_not_quote_another_insurers_product(rated):
    before = counts()
    with pytest.raises(DomainError) as caught:
        quote(rated, rated.insurer2_officer, rated.ent_a, rated.p1)
    assert caught.value.errors == {"product": ["只能为本公司（平安财险）的产品报价。"]}
    assert counts() == before


@pytest.mark.parametrize(("base", "message"), [
    ("", "请填写基础保费。"),
    ("12,3a", "基础保费“123a”不是有效的数字。"),
    ("-100", "基础保费不能为负数。"),
    ("0", "基础保费须大于 0。"),
    ("100.001", "基础保费最多精确到分（两位小数）。"),
    ("1000000000000000", "基础保费超出允许范围。"),
    ("1e15", "基础保费“1e15”不是有效的数字。"),  # digits only: no exponent notation
    ("NaN", "基础保费“NaN”不是有效的数字。"),
])
def test_a_malformed_premium_is_refused_at_its_field_and_writes_nothing(rated, base, message):
    before = counts()
    with pytest.raises(DomainError) as caught:
        quote(rated, rated.insurer_officer, rated.ent_a, rated.p1, base)
    assert caught.value.errors == {"base_premium": [message]}
    assert counts() == before


def test_a_stopped_product_is_refused(rated):
    with pytest.raises(DomainError) as caught:
        quote(rated, rated.insurer_officer, rated.ent_a, rated.p1_off)
    assert caught.value.errors == {"product": ["“人保财险 · 旧版财产险”已停售，不能报价。"]}
    assert not Quote.objects.exists()


def test_an_enterprise_without_a_valid_rating_is_refused_with_the_ratings_reason(rated):
    w = rated
    before = counts()
    # no Party organization at all
    with pytest.raises(DomainError) as caught:
        quote(w, w.park_station_user, w.ent_park, w.p1)
    assert caught.value.code == "not_eligible"
    assert caught.value.errors == {"enterprise": ["星湖传感科技有限公司 暂不能享受党建保险优惠：未建立党组织。"]}
    # a revoked rating takes the discount away at once
    rating_services.rating_revoke(acting_user=w.org_staff, rating=w.rating_a, reason="发生重大安全生产事故",
                                  expected_version=w.rating_a.version)
    with pytest.raises(DomainError) as caught:
        quote(w, w.insurer_officer, w.ent_a, w.p1)
    assert caught.value.errors == {"enterprise": ["东湖精密机械有限公司 暂不能享受党建保险优惠：星级已被撤销。"]}
    assert counts()[3:5] == before[3:5]


def test_every_field_at_fault_is_named_at_once(rated):
    with pytest.raises(DomainError) as caught:
        quote(rated, rated.park_station_user, rated.ent_park, rated.p1_off, "abc")
    assert set(caught.value.errors) == {"enterprise", "product", "base_premium"}
    assert caught.value.message == "请更正标出的错误。"


def test_no_table_no_quote(world, cycle, org_a, products):
    advance(world, rating_services.rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a),
            RatingStatus.PUBLISHED)
    with pytest.raises(DomainError) as caught:
        quote(world, world.insurer_officer, world.ent_a, world.p1)
    assert caught.value.code == "no_table"
    assert caught.value.errors == {"non_field_errors": ["尚无生效的保费优惠标准，暂不能报价。"]}


def test_a_quote_keeps_its_table_when_a_new_one_takes_over(rated):
    w = rated
    old = quote(w, w.insurer_officer, w.ent_a, w.p1, "1000")
    tomorrow = today() + datetime.timedelta(days=1)
    new_table = services.discount_table_create(acting_user=w.org_staff, effective_from=tomorrow,
                                               rates={**DEFAULT, 5: "35"})
    later = services.quote_create(acting_user=w.insurer_officer, enterprise=w.ent_a, product=w.p1, base_premium="1000",
                                  today=tomorrow)
    old.refresh_from_db()
    assert (old.discount_table, old.discount_percent, old.net_premium) == (w.table, D("30.00"), D("700.00"))
    assert (later.discount_table, later.discount_percent, later.net_premium) == (new_table, D("35.00"), D("650.00"))


# --- policies ----------------------------------------------------------------------------------

def test_the_insurer_issues_a_policy_once(iworld):
    w = iworld
    policy = services.policy_issue(acting_user=w.insurer_officer, quote=w.quote_a)
    w.quote_a.refresh_from_db()
    assert w.quote_a.status == QuoteStatus.ISSUED
    assert policy.policy_number == f"I01-{today().year}-{w.quote_a.pk:08d}"
    assert (policy.insurer, policy.starts_on, policy.issued_by_name) == (w.insurer, today(), "t_insurer")
    assert policy.ends_on == services.rules.policy_ends_on(today())
    assert AuditLog.objects.filter(action="policy.issue", object_id=str(policy.pk)).count() == 1
    before = counts()
    with pytest.raises(DomainError) as caught:
        services.policy_issue(acting_user=w.insurer_officer, quote=w.quote_a, policy_number="PICC-OTHER")
    assert caught.value.code == "already_issued"
    issued = timezone.localtime(policy.issued_at).strftime("%Y-%m-%d %H:%M")
    assert caught.value.message == f"该报价已于 {issued} 由 t_insurer 出具保单 {policy.policy_number}，不能重复出具。"
    assert counts() == before


@pytest.mark.parametrize("who", ["insurer2_officer", "station", "enterprise_user", "org_staff", "bank_officer"])
def test_only_the_quotes_insurer_issues(iworld, who):
    with pytest.raises(AccessDenied):
        services.policy_issue(acting_user=getattr(iworld, who), quote=iworld.quote_a)
    iworld.quote_a.refresh_from_db()
    assert iworld.quote_a.status == QuoteStatus.QUOTED
    assert Policy.objects.count() == 1


def test_the_insurer_issues_a_quote_a_station_made(iworld):
    policy = services.policy_issue(acting_user=iworld.insurer2_officer, quote=iworld.quote_s)
    assert policy.insurer == iworld.insurer2


def test_a_revocation_after_the_quote_stops_the_policy(iworld):
    w = iworld
    rating_services.rating_revoke(acting_user=w.org_staff, rating=w.rating_a, reason="发生重大安全生产事故",
                                  expected_version=w.rating_a.version)
    with pytest.raises(DomainError) as caught:
        services.policy_issue(acting_user=w.insurer_officer, quote=w.quote_a)
    assert caught.value.code == "not_eligible"
    assert "星级已被撤销" in caught.value.message
    assert not Policy.objects.filter(quote=w.quote_a).exists()


def test_an_expired_quote_is_refused_and_marked_by_the_nightly_run(iworld):
    w = iworld
    later = w.quote_a.valid_until + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as caught:
        services.policy_issue(acting_user=w.insurer_officer, quote=w.quote_a, today=later)
    assert caught.value.code == "expired"
    assert services.quotes_expire(today=later) == 3  # quote_a, quote_s, quote_b; quote_a2 is issued
    assert services.quotes_expire(today=later) == 0
    assert set(Quote.objects.values_list("status", flat=True)) == {QuoteStatus.EXPIRED, QuoteStatus.ISSUED}
    assert AuditLog.objects.filter(action="quote.expire").count() == 1


def test_bad_policy_input_is_refused_at_its_fields(iworld):
    w = iworld
    before = counts()
    with pytest.raises(DomainError) as caught:
        services.policy_issue(acting_user=w.insurer_officer, quote=w.quote_a, policy_number="i01-2026-90000001",
                              starts_on=today() - datetime.timedelta(days=1), ends_on=today() - datetime.timedelta(days=2))
    assert caught.value.errors == {
        "policy_number": ["保单号 I01-2026-90000001 已被本公司其他保单使用。"],
        "starts_on": [f"保险起期不能早于今天（{today().isoformat()}）。"],
        "ends_on": ["保险止期不能早于起期。"],
    }
    with pytest.raises(DomainError) as caught:
        services.policy_issue(acting_user=w.insurer_officer, quote=w.quote_a, policy_number="保单/1")
    assert caught.value.errors == {"policy_number": [f"保单号应为“公司编号-年份-8 位序号”，如 I01-{today().year}-00000182。"]}
    assert counts() == before
    w.quote_a.refresh_from_db()
    assert w.quote_a.status == QuoteStatus.QUOTED
    # another insurer numbers under its own code: the same serial is no clash, another's code is refused
    with pytest.raises(DomainError) as caught:
        services.policy_issue(acting_user=w.insurer2_officer, quote=w.quote_b, policy_number="I01-2026-90000001")
    assert caught.value.errors == {"policy_number": ["保单号应以本公司编号 I02 开头。"]}
    policy = services.policy_issue(acting_user=w.insurer2_officer, quote=w.quote_b, policy_number="I02-2026-90000001")
    assert policy.policy_number == "I02-2026-90000001"


def test_the_nightly_task_expires_what_has_run_out(iworld):
    Quote.objects.filter(pk=iworld.quote_a.pk).update(valid_until=today() - datetime.timedelta(days=1),
                                                      quoted_on=today() - datetime.timedelta(days=30))
    assert quotes_expire_task.delay().get() == 1
    assert Quote.objects.get(pk=iworld.quote_a.pk).status == QuoteStatus.EXPIRED
    assert quotes_expire_task.delay().get() == 0
