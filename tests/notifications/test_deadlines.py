"""A due date two working days away: whoever holds the case hears of it, once per due date; the
escalation of an overdue case reaches its holders and the level above."""

import datetime

import pytest

from finance.models import LoanApplication
from notifications.choices import Kind
from notifications.deadlines import deadline_reminders_send
from notifications.models import Notification
from notifications.recipients import on_case_escalated
from tests.finance.conftest import submit
from workflow import signals

pytestmark = pytest.mark.django_db

TUESDAY = datetime.date(2026, 12, 8)  # an ordinary week: Thursday is two working days ahead


@pytest.fixture
def waiting(world, quota_table, product, rated_a):
    """ent_a's application, submitted by its station, waiting on the bank."""
    return submit(world, world.station, product, amount="1200000")


def reminders():
    return list(Notification.objects.filter(kind=Kind.DEADLINE_NEAR).values_list("recipient__username", flat=True))


def test_the_bank_hears_two_working_days_ahead_once(world, waiting):
    LoanApplication.objects.filter(pk=waiting.pk).update(due_on=datetime.date(2026, 12, 10))
    assert deadline_reminders_send(today=TUESDAY) == 1
    assert reminders() == ["t_bank"]
    row = Notification.objects.get(kind=Kind.DEADLINE_NEAR)
    assert row.body == f"东湖精密机械有限公司的贷款申请（编号 {waiting.pk}）应于 2026-12-10 前办结。"
    assert row.url == f"/finance/applications/{waiting.pk}/"
    # a second run the same day, or the next, says nothing more
    assert deadline_reminders_send(today=TUESDAY) == 0
    assert deadline_reminders_send(today=TUESDAY + datetime.timedelta(days=1)) == 0
    assert reminders() == ["t_bank"]


def test_nothing_for_a_case_due_later_or_decided(world, waiting):
    LoanApplication.objects.filter(pk=waiting.pk).update(due_on=datetime.date(2026, 12, 11))
    assert deadline_reminders_send(today=TUESDAY) == 0
    LoanApplication.objects.filter(pk=waiting.pk).update(due_on=datetime.date(2026, 12, 9), status="rejected",
                                                         reject_reason="other")
    assert deadline_reminders_send(today=TUESDAY) == 0
    assert reminders() == []


def test_a_friday_reminds_of_tuesday_not_of_wednesday(world, waiting):
    friday = datetime.date(2026, 12, 4)
    LoanApplication.objects.filter(pk=waiting.pk).update(due_on=datetime.date(2026, 12, 8))
    assert deadline_reminders_send(today=friday) == 1
    LoanApplication.objects.filter(pk=waiting.pk).update(due_on=datetime.date(2026, 12, 9))
    Notification.objects.all().delete()
    assert deadline_reminders_send(today=friday) == 0


@pytest.mark.skipif(not hasattr(signals, "case_escalated"), reason="the layer's escalation signal is not there")
def test_an_escalation_reaches_the_holders_and_the_level_above(world, waiting):
    from django.apps import apps

    from portal.choices import Role
    from tests.factories import user_with_role

    head = user_with_role("t_bank_head", Role.BANK_OFFICER, institution=world.bank)
    Escalation = apps.get_model("workflow", "Escalation")
    escalation = Escalation.objects.create(workflow="loan", case_id=waiting.pk, state="submitted",
                                           due_on=TUESDAY, escalated_on=TUESDAY, working_days_late=1)
    escalation.recipients.set([head.pk, world.org_staff.pk])
    on_case_escalated(sender=LoanApplication, workflow="loan", pk=waiting.pk, escalation_id=escalation.pk)
    heard = set(Notification.objects.filter(kind=Kind.CASE_ESCALATED).values_list("recipient__username", flat=True))
    assert heard == {"t_bank", "t_bank_head", "t_orgstaff"}
    assert Notification.objects.filter(recipient=world.enterprise_user, kind=Kind.CASE_ESCALATED).count() == 0
