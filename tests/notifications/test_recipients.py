"""Who hears about each step: a loan's decision reaches the enterprise and its station, not other
enterprises, banks or stations; a submission reaches the bank's officers; the actor hears nothing. The
other workflows' routes are tried through `notify_step` with the case they load themselves."""

import pytest

from finance import services as loans
from liaison.services.appeals import appeal_create
from notifications.choices import Kind
from notifications.models import Notification
from notifications.recipients import ROUTES, notify_step
from tests.notifications.conftest import approve
from tests.talent.conftest import items, tw  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def received(user):
    """What the user heard of the four workflows' steps (not, say, a satisfaction survey a decision opens)."""
    return list(Notification.objects.filter(recipient=user, workflow__in=ROUTES).values_list("kind", flat=True))


def test_an_approval_reaches_the_enterprise_and_its_station_and_nobody_else(world, loan, committed):
    # given ent_a's application, accepted by the bank (the enterprise and the station heard of that)
    Notification.objects.all().delete()
    # when the bank approves it
    approve(world, loan, committed)
    # then the enterprise's user and the submitting station's operator hear it, once each
    assert received(world.enterprise_user) == [Kind.APPLICATION_APPROVED]
    assert received(world.station) == [Kind.APPLICATION_APPROVED]
    # and nobody else: the deciding officer, another bank, another enterprise, another station, the staff
    for other in (world.bank_officer, world.bank2_officer, world.enterprise_b_user, world.station_b_user,
                  world.park_station_user, world.org_staff, world.town_staff, world.leader, world.admin):
        assert received(other) == [], other.username
    row = Notification.objects.get(recipient=world.enterprise_user, workflow="loan")
    assert row.title == "贷款申请已获批准"
    assert row.body == f"农商银行已批准东湖精密机械有限公司的贷款申请（编号 {loan.pk}），批准金额 1,000,000.00 元。"
    assert (row.workflow, row.case_pk, row.read_at) == ("loan", loan.pk, None)


def test_a_submission_lands_in_the_banks_queue(world, quota_table, product, rated_a, committed):  # noqa: F811
    # when the enterprise applies to the bank itself
    app = committed(loans.loan_application_submit, acting_user=world.enterprise_user, enterprise=world.ent_a,
                    bank=world.bank, product=product, amount="800000", purpose="购置生产设备")
    # then the bank's officer hears of a new case in its queue; the other bank and the applicant do not
    assert received(world.bank_officer) == [Kind.CASE_ASSIGNED]
    assert received(world.bank2_officer) == []
    assert received(world.enterprise_user) == []
    assert Notification.objects.get(recipient=world.bank_officer).url == f"/finance/applications/{app.pk}/"


def test_a_rejection_names_the_coded_reason(world, loan, committed):
    Notification.objects.all().delete()
    committed(loans.loan_application_act, acting_user=world.bank_officer, application=loan, action="reject",
              reason="cash_flow", note="近三个月流水不足")
    row = Notification.objects.get(recipient=world.enterprise_user, workflow="loan")
    assert row.kind == Kind.APPLICATION_REJECTED
    assert row.body.endswith("原因：经营现金流不足以覆盖还款。")


def test_a_failing_listener_never_undoes_the_step(world, loan, committed, monkeypatch):
    # given notifications that cannot be written
    def broken(**kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr("notifications.services.notification_create", broken)
    # when the bank approves
    done = approve(world, loan, committed)
    # then the step stands
    done.refresh_from_db()
    assert done.status == "approved"


def test_a_benefit_decision_reaches_the_employer_and_a_submission_the_department(tw):  # noqa: F811
    # given talent_a's application, submitted by ent_a's user
    app = tw.app_a
    # when it is submitted and later approved
    notify_step(workflow="benefit", pk=app.pk, action="submit", to_status="pending", actor_id=tw.enterprise_user.pk)
    notify_step(workflow="benefit", pk=app.pk, action="approve", to_status="approved", actor_id=tw.org_staff.pk)
    # then the department heard of the new case, the employer of the decision, the other enterprise of nothing
    assert received(tw.org_staff) == [Kind.CASE_ASSIGNED]
    assert received(tw.enterprise_user) == [Kind.APPLICATION_APPROVED]
    assert received(tw.enterprise_b_user) == []
    assert received(tw.station) == []  # submitted by the enterprise, not through the station


def test_an_appeal_answered_reaches_who_filed_it_and_an_assignment_the_assignee(world):
    appeal = appeal_create(acting_user=world.enterprise_user, enterprise=world.ent_a, category="financing",
                           title="扩大生产急需流动资金贷款", description="企业今年订单增长较快，希望银行增加授信额度并加快审批放款速度。")
    appeal.assignee = world.town_staff
    appeal.save(update_fields=["assignee"])
    notify_step(workflow="appeal", pk=appeal.pk, action="assign", actor_id=world.org_staff.pk)
    notify_step(workflow="appeal", pk=appeal.pk, action="resolve", actor_id=world.town_staff.pk)
    assert received(world.town_staff) == [Kind.CASE_ASSIGNED]
    assert received(world.enterprise_user) == [Kind.APPEAL_ANSWERED]
    assert received(world.enterprise_b_user) == []
    assert received(world.town_staff_b) == []


def test_a_rating_published_reaches_the_organizations_enterprise(world, rated_a):
    notify_step(workflow="rating", pk=rated_a.pk, action="publish", to_status="published", actor_id=world.org_staff.pk)
    assert received(world.enterprise_user) == [Kind.RATING_PUBLISHED]
    assert received(world.enterprise_b_user) == []
    assert Notification.objects.get(recipient=world.enterprise_user).body.endswith("已命名为5星。")


def test_a_rating_submitted_lands_with_the_town_over_it(world, rated_a):
    notify_step(workflow="rating", pk=rated_a.pk, action="submit", to_status="town", actor_id=world.enterprise_user.pk)
    assert received(world.town_staff) == [Kind.CASE_ASSIGNED]
    assert received(world.town_staff_b) == []


def test_an_unknown_workflow_or_a_gone_case_writes_nothing(world):
    assert notify_step(workflow="visit", pk=1, action="submit") == []
    assert notify_step(workflow="loan", pk=999999, action="approve") == []
