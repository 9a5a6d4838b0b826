# ruff: noqa: F811  (pytest fixtures imported from the finance and ratings tests)
"""The stays at the steps that wait on a person (workflow.steps): kept by the engine as a case moves,
derived again from the histories, moved by a working-day override while open, and the on-time rates
counted on them, point-in-time, with exact figures."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from finance.choices import LoanAction as A
from finance.models import LoanEvent
from finance.services import loan_application_act
from finance.workflows import LOAN
from ratings.choices import RatingStatus
from ratings.services import rating_start
from tests.finance.conftest import product, quota_table, rated_a, submit  # noqa: F401  (fixtures)
from tests.ratings.conftest import advance, cycle, org_a, rubric  # noqa: F401  (fixtures)
from workflow import steps
from workflow.models import StepRecord

pytestmark = pytest.mark.django_db
D = datetime.date


def stays(key, case_id):
    return list(StepRecord.objects.filter(workflow=key, case_id=case_id).order_by("entered_on", "pk")
                .values_list("state", "holder_kind", "holder_id", "entered_on", "due_on", "left_on"))


def test_the_engine_keeps_a_stay_per_waiting_step_with_its_holder_and_due_date(world, quota_table, product,
                                                                               rated_a):
    today = timezone.localdate()
    application = submit(world, world.station, product)
    accepted = loan_application_act(acting_user=world.bank_officer, application=application, action=A.ACCEPT)
    loan_application_act(acting_user=world.bank_officer, application=accepted, action=A.APPROVE, amount="1000000")
    first, second = stays("loan", application.pk)
    assert first[:3] == ("submitted", "bank", world.bank.pk)
    assert (first[3], first[5]) == (today, today)  # came and left today
    assert second[:4] == ("accepted", "bank", world.bank.pk, today)
    assert second[4] == accepted.due_on  # the due date the case was given at the step
    assert second[5] == today


def test_a_rating_at_the_town_is_held_by_the_town_above_its_village(world, cycle, org_a):
    rating = advance(world, rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a),
                     RatingStatus.DEPT)
    town, dept = stays("rating", rating.pk)
    assert town[:3] == ("town", "town", world.town_a.pk)
    assert dept[:3] == ("dept", "department", None)
    assert dept[5] is None  # still open


def test_the_stays_are_derived_again_from_the_history_with_the_limits_of_their_day(world, quota_table, product,
                                                                                  rated_a):
    application = submit(world, world.station, product)
    loan_application_act(acting_user=world.bank_officer, application=application, action=A.ACCEPT)
    # as if submitted on Mid-Autumn Day 2026 and accepted on its due day, after the National Day week
    at = {A.SUBMIT: datetime.datetime(2026, 9, 25, 10, tzinfo=datetime.UTC),
          A.ACCEPT: datetime.datetime(2026, 10, 12, 10, tzinfo=datetime.UTC)}
    for event in LoanEvent.objects.filter(application=application):
        event.at = at[event.action]
        event.save(update_fields=["at"])
    assert steps.rebuild(LOAN) == 2
    submitted, accepted = stays("loan", application.pk)
    # 7 working days after Friday 25 September 2026 (Mid-Autumn, a holiday): 28, 29, 30 September, then the
    # National Day week off, 8 and 9 October, Saturday the 10th (a make-up working day), Monday the 12th
    assert submitted[3:] == (D(2026, 9, 25), D(2026, 10, 12), D(2026, 10, 12))
    assert accepted[3:] == (D(2026, 10, 12), application.__class__.objects.get(pk=application.pk).due_on, None)


def test_on_time_counts_the_period_as_the_data_stood_at_its_end(world):
    def stay(holder, entered, due, left):
        StepRecord.objects.create(workflow="loan", case_id=1, state="accepted", holder_kind="bank", holder_id=holder,
                                  entered_on=entered, due_on=due, left_on=left)

    stay(1, D(2026, 11, 2), D(2026, 11, 11), D(2026, 11, 10))   # on time, in November
    stay(1, D(2026, 11, 2), D(2026, 11, 11), D(2026, 11, 11))   # on its due day: on time
    stay(1, D(2026, 11, 2), D(2026, 11, 11), D(2026, 11, 13))   # late
    stay(1, D(2026, 11, 20), D(2026, 11, 27), D(2026, 12, 3))   # left in December: open and late on 30 Nov
    stay(1, D(2026, 11, 25), D(2026, 12, 4), None)              # open, not yet due on 30 Nov
    stay(2, D(2026, 10, 1), D(2026, 10, 12), D(2026, 10, 12))   # October: outside the period
    figures = steps.on_time(workflow="loan", holder_kind="bank", since=D(2026, 11, 1), as_of=D(2026, 11, 30))
    assert figures[1] == steps.OnTime(done=3, on_time=2, late_open=1)
    assert figures[1].rate == Decimal("66.7")
    assert 2 not in figures
    december = steps.on_time(workflow="loan", holder_kind="bank", since=D(2026, 12, 1), as_of=D(2026, 12, 7))
    assert december[1] == steps.OnTime(done=1, on_time=0, late_open=1)
    assert steps.OnTime(0, 0, 0).rate is None


def test_a_closed_day_moves_the_open_stays_but_not_the_ended_ones(world, quota_table, product, rated_a):
    from workflow.services import workday_override_add

    application = submit(world, world.station, product)
    [open_stay] = StepRecord.objects.filter(workflow="loan", case_id=application.pk)
    ended = StepRecord.objects.create(workflow="loan", case_id=999, state="submitted", holder_kind="bank",
                                      holder_id=world.bank.pk, entered_on=open_stay.entered_on,
                                      due_on=open_stay.due_on, left_on=open_stay.entered_on)
    closed_day = open_stay.due_on - datetime.timedelta(days=1)
    while closed_day.weekday() >= 5:
        closed_day -= datetime.timedelta(days=1)
    workday_override_add(acting_user=world.org_staff, date=closed_day, is_working_day=False, name="台风停工")
    open_stay.refresh_from_db()
    ended.refresh_from_db()
    application.refresh_from_db()
    assert open_stay.due_on == application.due_on > ended.due_on


def test_the_engine_and_the_rebuild_agree(world, quota_table, product, rated_a):
    application = submit(world, world.station, product)
    loan_application_act(acting_user=world.bank_officer, application=application, action=A.ACCEPT)
    live = stays("loan", application.pk)
    assert steps.rebuild(LOAN) == 2
    assert stays("loan", application.pk) == live
