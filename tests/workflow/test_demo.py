"""The demo's service-time data (workflow.demo): every open case waiting on a person has a due date
counted from the day it entered its step, the stays at each step agree with the histories, and the
overdue ones were escalated once, each to the level above its holder."""

import pytest
from django.utils import timezone

from finance.models import LoanApplication
from tests import demo_seed
from workflow.calendar import WorkingCalendar
from workflow.models import Escalation, StepRecord
from workflow.registry import workflow_get

pytestmark = pytest.mark.django_db
KEYS = ("loan", "benefit", "appeal", "rating")  # the four case workflows whose clocks the demo sets


seeded = demo_seed.seeded  # the demo data, seeded once for the module and flushed after it


def test_every_open_case_waiting_on_a_person_has_a_due_date(seeded):
    for workflow in (workflow_get(key) for key in KEYS):
        waiting = workflow.model.objects.filter(status__in=list(workflow.waiting))
        assert not waiting.filter(due_on__isnull=True).exists(), workflow.key
        assert not workflow.model.objects.exclude(status__in=list(workflow.waiting)).filter(
            due_on__isnull=False).exists(), workflow.key


def test_each_open_case_has_one_open_stay_with_its_due_date(seeded):
    for workflow in (workflow_get(key) for key in KEYS):
        for case in workflow.model.objects.filter(status__in=list(workflow.waiting)).only("pk", "status", "due_on")[:50]:
            [stay] = StepRecord.objects.filter(workflow=workflow.key, case_id=case.pk, left_on__isnull=True)
            assert (stay.state, stay.due_on) == (case.status, case.due_on)


def test_the_overdue_were_escalated_once_to_the_level_above(seeded):
    today, calendar = timezone.localdate(), WorkingCalendar()
    escalations = list(Escalation.objects.all())
    assert escalations
    assert len({(e.workflow, e.case_id, e.state, e.due_on) for e in escalations}) == len(escalations)
    for e in escalations:
        assert e.working_days_late == calendar.working_days_between(e.due_on, today) >= 1
    loans = {e.case_id: e for e in escalations if e.workflow == "loan"}
    for application in LoanApplication.objects.filter(pk__in=loans).select_related("bank"):
        assert application.due_on == loans[application.pk].due_on < today
        # the demo bank officer heads its bank's credit; the other bank has none and says so
        assert loans[application.pk].to in (f"{application.bank.short_name}信贷负责人",
                                             f"组织部（两新工委）（{application.bank.short_name}未设信贷负责人）")
