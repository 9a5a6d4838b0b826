# ruff: noqa: F811  (pytest fixtures imported from the finance and ratings tests)
"""The nightly escalation of overdue steps (workflow.escalation): once per step and due date, to the
level above whoever holds the case, at least one working day late (on the real holiday calendar), with
an audit row; never for a case that moved on; two runs at once escalate once (real threads, PostgreSQL)."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from finance.models import LoanApplication
from portal.choices import Role
from portal.models import AuditLog, RoleAssignment
from ratings.choices import RatingStatus
from ratings.models import Rating
from ratings.services import rating_start
from tests.factories import user_with_role
from tests.finance.conftest import product, quota_table, rated_a, submit  # noqa: F401  (fixtures)
from tests.ratings.conftest import advance, cycle, org_a, org_b, rubric  # noqa: F401  (fixtures)
from workflow.escalation import escalate_overdue, escalations_of
from workflow.models import Escalation
from workflow.signals import case_escalated

FRIDAY = datetime.date(2026, 12, 4)
SATURDAY, MONDAY, TUESDAY = datetime.date(2026, 12, 5), datetime.date(2026, 12, 7), datetime.date(2026, 12, 8)


def overdue_loan(world, product, due=FRIDAY):  # noqa: F811
    application = submit(world, world.station, product)
    LoanApplication.objects.filter(pk=application.pk).update(due_on=due)
    return application


@pytest.fixture
def bank_head(world):
    return user_with_role("t_bank_head", Role.BANK_OFFICER, institution=world.bank, is_head=True)


@pytest.mark.django_db
def test_a_loan_a_working_day_late_goes_to_the_bank_s_head_of_credit_once(world, quota_table, product,  # noqa: F811
                                                                         rated_a, bank_head):
    application = overdue_loan(world, product)
    heard = []
    case_escalated.connect(receiver := lambda sender, **kw: heard.append(kw))
    try:
        assert escalate_overdue(today=SATURDAY)["loan"] == 0  # due Friday: not a working day late yet
        assert escalate_overdue(today=MONDAY)["loan"] == 1
        assert escalate_overdue(today=TUESDAY)["loan"] == 0  # once for this step and due date
    finally:
        case_escalated.disconnect(receiver)
    [escalation] = escalations_of("loan", application.pk)
    assert (escalation.state, escalation.due_on, escalation.working_days_late) == ("submitted", FRIDAY, 1)
    assert escalation.to == "农商银行信贷负责人"
    assert list(escalation.recipients.all()) == [bank_head]
    audit = AuditLog.objects.get(action="loan.escalate", object_id=str(application.pk))
    assert audit.actor_id is None
    assert "应于 2026-12-04 办结，已超期 1 个工作日" in audit.note


@pytest.mark.django_db(transaction=True)
def test_the_announcement_comes_after_the_commit(world, quota_table, product, rated_a, bank_head):  # noqa: F811
    application = overdue_loan(world, product)
    heard = []
    case_escalated.connect(receiver := lambda sender, **kw: heard.append(kw))
    try:
        escalate_overdue(today=MONDAY)
    finally:
        case_escalated.disconnect(receiver)
    escalation = Escalation.objects.get(case_id=application.pk)
    assert heard == [{"signal": case_escalated, "workflow": "loan", "pk": application.pk,
                      "escalation_id": escalation.pk}]


@pytest.mark.django_db
def test_a_bank_without_a_head_of_credit_is_escalated_to_the_department_and_says_so(world, quota_table,  # noqa: F811
                                                                                    product, rated_a):
    application = overdue_loan(world, product)
    escalate_overdue(today=MONDAY)
    [escalation] = escalations_of("loan", application.pk)
    assert escalation.to == "组织部（两新工委）（农商银行未设信贷负责人）"
    assert list(escalation.recipients.all()) == [world.org_staff]


@pytest.mark.django_db
def test_a_case_that_moved_on_or_ended_is_not_escalated(world, quota_table, product, rated_a,  # noqa: F811
                                                        bank_head):
    from finance.services import loan_application_act

    application = overdue_loan(world, product)
    loan_application_act(acting_user=world.station, application=application, action="withdraw")
    assert escalate_overdue(today=MONDAY)["loan"] == 0
    assert not Escalation.objects.exists()


@pytest.mark.django_db
def test_a_new_due_date_at_the_next_step_can_be_escalated_again(world, quota_table, product, rated_a,  # noqa: F811
                                                                bank_head):
    from finance.services import loan_application_act

    application = overdue_loan(world, product)
    escalate_overdue(today=MONDAY)
    loan_application_act(acting_user=world.bank_officer, application=application, action="accept")
    LoanApplication.objects.filter(pk=application.pk).update(due_on=MONDAY)
    assert escalate_overdue(today=datetime.date(2026, 12, 9))["loan"] == 1
    assert [e.state for e in escalations_of("loan", application.pk)] == ["accepted", "submitted"]


@pytest.mark.django_db
def test_a_rating_late_at_the_town_goes_to_the_department(world, cycle, org_a):  # noqa: F811
    rating = rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a)
    rating = advance(world, rating, RatingStatus.TOWN)
    Rating.objects.filter(pk=rating.pk).update(due_on=FRIDAY)
    assert escalate_overdue(today=MONDAY)["rating"] == 1
    [escalation] = escalations_of("rating", rating.pk)
    assert escalation.to == "组织部（两新工委）"
    assert list(escalation.recipients.all()) == [world.org_staff]


@pytest.mark.django_db
def test_a_rating_late_at_the_department_goes_to_its_section_heads(world, cycle, org_a):  # noqa: F811
    head = user_with_role("t_org_head", Role.ORG_STAFF)
    RoleAssignment.objects.filter(user=head).update(is_head=True)
    rating = advance(world, rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a),
                     RatingStatus.DEPT)
    Rating.objects.filter(pk=rating.pk).update(due_on=FRIDAY)
    escalate_overdue(today=MONDAY)
    [escalation] = escalations_of("rating", rating.pk)
    assert (escalation.to, list(escalation.recipients.all())) == ("组织部（两新工委）科室负责人", [head])


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_escalate_once(world, quota_table, product, rated_a, bank_head):  # noqa: F811
    assert connection.vendor == "postgresql"
    application = overdue_loan(world, product)
    barrier, results, errors = threading.Barrier(2), [], []

    def run():
        try:
            barrier.wait()
            results.append(escalate_overdue(today=MONDAY)["loan"])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [0, 1]
    assert Escalation.objects.filter(case_id=application.pk).count() == 1
    assert AuditLog.objects.filter(action="loan.escalate", object_id=str(application.pk)).count() == 1


@pytest.mark.django_db
def test_a_follow_up_left_past_its_due_date_goes_to_the_department_s_section_heads(world):
    from quality.models import FollowUp, Survey

    head = user_with_role("t_org_head", Role.ORG_STAFF)
    RoleAssignment.objects.filter(user=head).update(is_head=True)
    survey = Survey.objects.create(workflow="loan", case_pk=1, case_label="贷款申请 #1", enterprise=world.ent_a,
                                   score=1, comment="一直没人联系我们", answered_at=timezone.now())
    followup = FollowUp.objects.create(survey=survey, enterprise=world.ent_a, due_on=FRIDAY)
    assert escalate_overdue(today=MONDAY)["followup"] == 1
    [escalation] = escalations_of("followup", followup.pk)
    assert (escalation.to, list(escalation.recipients.all())) == ("组织部（两新工委）科室负责人", [head])
