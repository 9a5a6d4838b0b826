"""Loan applications and policies: each step, who may take it, the quota across banks, refusals
that write nothing."""

import datetime
from decimal import Decimal

import pytest

from finance import selectors, services
from finance.choices import Eligibility, LoanAction, LoanStatus, RejectReason
from finance.models import CreditLine, LoanApplication, LoanEvent, QuotaTable
from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog
from ratings import services as rating_services

from .conftest import DEFAULT_AMOUNTS, submit

A, S = LoanAction, LoanStatus
D = Decimal
pytestmark = pytest.mark.django_db


def act(user, application, action, **kwargs):
    return services.loan_application_act(acting_user=user, application=application, action=action, **kwargs)


def approve(world, application, amount, bank_officer=None):
    officer = bank_officer or (world.bank_officer if application.bank == world.bank else world.bank2_officer)
    application = act(officer, application, A.ACCEPT)
    return act(officer, application, A.APPROVE, amount=amount)


def test_the_whole_life_of_a_loan(world, quota_table, product, rated_a):
    # the station submits on the enterprise's behalf
    application = submit(world, world.station, product, amount="3,000,000")
    assert (application.status, application.channel, application.station) == (S.SUBMITTED, "station", world.station_a)
    # the bank accepts and approves less than asked
    application = approve(world, application, "2500000")
    assert (application.status, application.approved_amount, application.stars, application.quota) == (
        S.APPROVED, D("2500000.00"), 5, D("5000000.00"))
    assert application.rating == rated_a
    assert application.quota_table == quota_table
    assert CreditLine.objects.get(enterprise=world.ent_a).used == D("2500000.00")
    # disbursed, then repaid: the quota is free again
    application = act(world.bank_officer, application, A.DISBURSE)
    application = act(world.bank_officer, application, A.REPAY)
    assert application.status == S.REPAID
    assert CreditLine.objects.get(enterprise=world.ent_a).used == D("0.00")
    assert list(application.events.values_list("action", "to_status")) == [
        (A.SUBMIT, S.SUBMITTED), (A.ACCEPT, S.ACCEPTED), (A.APPROVE, S.APPROVED), (A.DISBURSE, S.DISBURSED),
        (A.REPAY, S.REPAID)]
    assert AuditLog.objects.filter(action__startswith="loan.", object_id=str(application.pk)).count() == 5


def test_the_quota_is_the_total_across_all_banks(world, quota_table, product, product2, rated_a):
    first = approve(world, submit(world, world.enterprise_user, product, amount="3000000"), "3000000")
    second = submit(world, world.enterprise_user, product2, amount="2000000")
    second = approve(world, second, "2000000")
    assert selectors.eligibility(world.ent_a).available == D("0.00")
    assert selectors.eligibility(world.ent_a).reasons[0].code == Eligibility.QUOTA_USED_UP
    # a third application anywhere is over the quota, at submission already
    act(world.bank_officer, act(world.bank_officer, first, A.DISBURSE), A.REPAY)
    assert selectors.eligibility(world.ent_a).available == D("3000000.00")
    with pytest.raises(DomainError) as caught:
        submit(world, world.enterprise_user, product, amount="3000000.01")
    assert list(caught.value.errors) == ["amount"]
    assert second.status == S.APPROVED


def test_an_approval_over_the_available_quota_is_refused_and_writes_nothing(world, quota_table, product, product2,
                                                                            rated_a):
    one = submit(world, world.enterprise_user, product, amount="4000000")
    two = submit(world, world.enterprise_user, product2, amount="2000000")
    approve(world, one, "4000000")
    two = act(world.bank2_officer, two, A.ACCEPT)
    with pytest.raises(DomainError) as caught:
        act(world.bank2_officer, two, A.APPROVE, amount="2000000")
    assert caught.value.code == "over_quota"
    assert caught.value.errors == {"amount": ["金额 2,000,000.00 元超过可用额度 1,000,000.00 元（授信额度 "
                                              "5,000,000.00 元，已用 4,000,000.00 元）。"]}
    two.refresh_from_db()
    assert (two.status, two.approved_amount) == (S.ACCEPTED, None)
    assert CreditLine.objects.get(enterprise=world.ent_a).used == D("4000000.00")


@pytest.mark.parametrize(("amount", "message"), [
    ("abc", "批准金额“abc”不是有效的数字。"), ("-1", "批准金额不能为负数。"), ("1.001", "批准金额最多精确到分（两位小数）。"),
    ("1000000.01", "批准金额不能超过申请金额 1,000,000.00 元。"),
])
def test_malformed_approval_amounts_answer_at_the_field(world, quota_table, product, rated_a, amount, message):
    application = act(world.bank_officer, submit(world, world.station, product), A.ACCEPT)
    with pytest.raises(DomainError) as caught:
        act(world.bank_officer, application, A.APPROVE, amount=amount)
    assert caught.value.errors == {"amount": [message]}
    assert not CreditLine.objects.filter(used__gt=0).exists()


def test_a_revoked_rating_blocks_approval_at_once(world, quota_table, product, rated_a):
    application = act(world.bank_officer, submit(world, world.station, product), A.ACCEPT)
    rating_services.rating_revoke(acting_user=world.org_staff, rating=rated_a, expected_version=rated_a.version,
                                  reason="发生重大安全生产事故")
    assert selectors.in_flight_reasons([application]) == {
        application.pk: [selectors.Reason("revoked", "星级已被撤销")]}
    with pytest.raises(DomainError) as caught:
        act(world.bank_officer, application, A.APPROVE, amount="1000000")
    assert caught.value.code == "not_eligible"
    assert caught.value.message == "不能审批：星级已被撤销。"
    # it may still be rejected with a coded reason the enterprise can read
    application = act(world.bank_officer, application, A.REJECT, reason=RejectReason.NOT_ELIGIBLE)
    assert (application.status, application.get_reject_reason_display()) == (S.REJECTED, "不符合党建增信准入条件")


def test_submission_needs_a_valid_rating_and_says_why(world, quota_table, product):
    with pytest.raises(DomainError) as caught:
        submit(world, world.station, product)
    assert caught.value.errors == {"enterprise": ["未建立党组织"]}
    assert not LoanApplication.objects.exists()


@pytest.mark.parametrize(("values", "fields"), [
    ({"amount": "0"}, {"amount"}), ({"amount": "五十万"}, {"amount"}), ({"purpose": "买"}, {"purpose"}),
    ({"amount": "5000000.01"}, {"amount"}), ({"amount": "", "purpose": ""}, {"amount", "purpose"}),
])
def test_bad_submissions_answer_at_their_fields(world, quota_table, product, rated_a, values, fields):
    data = {"amount": "1000000", "purpose": "购置生产设备", **values}
    with pytest.raises(DomainError) as caught:
        submit(world, world.station, product, amount=data["amount"], purpose=data["purpose"])
    assert set(caught.value.errors) == fields
    assert not LoanApplication.objects.exists()


def test_a_product_of_another_bank_is_refused(world, quota_table, product, product2, rated_a):
    with pytest.raises(DomainError) as caught:
        services.loan_application_submit(acting_user=world.station, enterprise=world.ent_a, bank=world.bank,
                                         product=product2, amount="100000", purpose="购置生产设备")
    assert caught.value.errors == {"product": ["“红色信用贷”不是该银行在售的党建增信贷款产品。"]}


def test_a_second_open_application_to_the_same_bank_is_refused(world, quota_table, product, product2, rated_a):
    submit(world, world.station, product, amount="100000")
    with pytest.raises(DomainError) as caught:
        submit(world, world.enterprise_user, product, amount="200000")
    assert caught.value.errors == {"bank": ["该企业在农商银行已有一笔办理中的申请，请待其办结后再申请。"]}
    submit(world, world.enterprise_user, product2, amount="200000")  # another bank is fine
    assert LoanApplication.objects.count() == 2


@pytest.mark.parametrize("intruder", ["station_b_user", "enterprise_b_user", "bank_officer", "town_staff", "org_staff",
                                      "insurer_officer", "leader"])
def test_only_the_enterprise_or_its_station_submits(world, quota_table, product, rated_a, intruder):
    with pytest.raises(AccessDenied):
        submit(world, getattr(world, intruder), product)
    assert not LoanApplication.objects.exists()


@pytest.mark.parametrize(("actor", "action"), [
    ("bank2_officer", A.ACCEPT), ("station", A.ACCEPT), ("enterprise_user", A.APPROVE), ("org_staff", A.ACCEPT),
    ("bank_officer", A.WITHDRAW), ("station_b_user", A.WITHDRAW), ("enterprise_b_user", A.WITHDRAW),
    ("leader", A.REJECT),
])
def test_each_step_belongs_to_its_role_and_scope(world, quota_table, product, rated_a, actor, action):
    application = submit(world, world.station, product)
    with pytest.raises(AccessDenied):
        act(getattr(world, actor), application, action, amount="1000", reason=RejectReason.OTHER, note="越权测试")
    application.refresh_from_db()
    assert (application.status, application.events.count()) == (S.SUBMITTED, 1)


def test_withdrawal_only_before_approval(world, quota_table, product, rated_a):
    application = submit(world, world.station, product)
    withdrawn = act(world.enterprise_user, application, A.WITHDRAW)
    assert withdrawn.status == S.WITHDRAWN
    other = approve(world, submit(world, world.station, product), "1000000")
    with pytest.raises(DomainError) as caught:
        act(world.station, other, A.WITHDRAW)
    assert caught.value.message == "申请当前为“已审批”，不能“撤回”。"


def test_rejection_needs_a_coded_reason(world, quota_table, product, rated_a):
    application = submit(world, world.station, product)
    with pytest.raises(DomainError) as caught:
        act(world.bank_officer, application, A.REJECT, reason="")
    assert caught.value.errors == {"reason": ["请选择不予批准的原因。"]}
    with pytest.raises(DomainError) as caught:
        act(world.bank_officer, application, A.REJECT, reason=RejectReason.OTHER, note="")
    assert caught.value.errors == {"note": ["选择“其他原因”时请写明说明。"]}
    assert LoanApplication.objects.get(pk=application.pk).status == S.SUBMITTED


def test_a_stale_version_is_refused(world, quota_table, product, rated_a):
    application = submit(world, world.station, product)
    stale = application.version
    act(world.bank_officer, application, A.ACCEPT)
    with pytest.raises(DomainError) as caught:
        act(world.bank_officer, application, A.REJECT, reason=RejectReason.DOCUMENTS, expected_version=stale)
    assert caught.value.code == "stale"


def test_an_unknown_action_is_refused(world, quota_table, product, rated_a):
    with pytest.raises(DomainError) as caught:
        act(world.bank_officer, submit(world, world.station, product), "cancel")
    assert caught.value.code == "unknown_action"


def test_a_new_quota_table_applies_from_its_date_and_past_approvals_keep_theirs(world, quota_table, product,
                                                                                rated_a):
    old = approve(world, submit(world, world.station, product, amount="1000000"), "1000000")
    new_table = services.quota_table_create(
        acting_user=world.org_staff, effective_from=datetime.date.today() + datetime.timedelta(days=1),
        amounts={**DEFAULT_AMOUNTS, 5: "6000000"}, note="2027 年提标")
    assert selectors.quota_table_in_force() == quota_table
    assert selectors.eligibility(world.ent_a).quota == D("5000000.00")
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert selectors.quota_table_in_force(tomorrow) == new_table
    assert selectors.eligibility(world.ent_a, on=tomorrow).quota == D("6000000.00")
    old.refresh_from_db()
    assert (old.quota_table, old.quota) == (quota_table, D("5000000.00"))


@pytest.mark.parametrize(("amounts", "field"), [
    ({**DEFAULT_AMOUNTS, 3: ""}, "stars_3"), ({**DEFAULT_AMOUNTS, 2: "-5"}, "stars_2"),
    ({**DEFAULT_AMOUNTS, 4: "6000000"}, "stars_5"), ({**DEFAULT_AMOUNTS, 1: "1.001"}, "stars_1"),
])
def test_a_bad_quota_table_is_refused_at_its_field(world, amounts, field):
    with pytest.raises(DomainError) as caught:
        services.quota_table_create(acting_user=world.org_staff, effective_from=datetime.date(2025, 1, 1),
                                    amounts=amounts)
    assert list(caught.value.errors) == [field]
    assert not QuotaTable.objects.exists()


def test_two_tables_cannot_share_a_date_and_only_staff_make_them(world, quota_table):
    with pytest.raises(DomainError) as caught:
        services.quota_table_create(acting_user=world.org_staff, effective_from=quota_table.effective_from,
                                    amounts=DEFAULT_AMOUNTS)
    assert list(caught.value.errors) == ["effective_from"]
    for intruder in (world.bank_officer, world.town_staff, world.leader):
        with pytest.raises(AccessDenied):
            services.quota_table_create(acting_user=intruder, effective_from=datetime.date(2030, 1, 1),
                                        amounts=DEFAULT_AMOUNTS)


def test_events_record_every_step_with_amounts(world, quota_table, product, rated_a):
    application = approve(world, submit(world, world.station, product, amount="800000"), "750000")
    rows = list(LoanEvent.objects.filter(application=application).values_list("action", "amount", "actor_name"))
    assert rows == [(A.SUBMIT, D("800000.00"), "t_station"), (A.ACCEPT, None, "t_bank"),
                    (A.APPROVE, D("750000.00"), "t_bank")]
