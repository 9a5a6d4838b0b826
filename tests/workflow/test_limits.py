"""Step limits on real dates: the row in force on a day (like the policy tables), and the due date
counted on the State Council calendar (国办发明电〔2024〕12号, 〔2025〕7号)."""

import datetime

import pytest

from workflow.limits import days_left, due_on, limit_for, shift_working_days
from workflow.models import StepLimit, WorkdayOverride

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(("key", "state", "days"), [
    ("rating", "town", 10), ("rating", "dept", 10), ("loan", "submitted", 7), ("loan", "accepted", 7),
    ("benefit", "pending", 15), ("appeal", "received", 3), ("appeal", "assigned", 15),
    ("appeal", "in_progress", 15),  # one clock with "assigned": the resolution
])
def test_the_default_limits_are_in_force_from_2025(key, state, days):
    assert limit_for(key, state, D(2025, 1, 1)) == days
    assert limit_for(key, state, D(2024, 12, 31)) is None


def test_a_step_nobody_waits_in_has_no_limit_and_no_due_date():
    assert limit_for("loan", "approved", D(2025, 6, 1)) is None
    assert due_on("rating", "self", D(2025, 6, 1)) is None


def test_the_limit_in_force_is_the_latest_row_on_or_before_the_day():
    StepLimit.objects.create(workflow="loan", state="accepted", working_days=5, effective_from=D(2026, 3, 1))
    StepLimit.objects.create(workflow="loan", state="accepted", working_days=4, effective_from=D(2026, 7, 1))
    assert limit_for("loan", "accepted", D(2026, 2, 28)) == 7
    assert limit_for("loan", "accepted", D(2026, 3, 1)) == 5
    assert limit_for("loan", "accepted", D(2026, 6, 30)) == 5
    assert limit_for("loan", "accepted", D(2026, 7, 1)) == 4
    assert limit_for("loan", "submitted", D(2026, 7, 1)) == 7  # another step keeps its own


def test_a_loan_submitted_before_national_day_2025_is_due_after_the_week_off():
    # 1–8 October off; Saturday 11 October a make-up working day.
    assert due_on("loan", "submitted", D(2025, 9, 30)) == D(2025, 10, 16)


def test_a_benefit_pending_over_spring_festival_2026_counts_the_make_up_saturdays():
    # 15–23 February off; Saturdays 14 and 28 February working days.
    assert due_on("benefit", "pending", D(2026, 2, 13)) == D(2026, 3, 12)


def test_an_appeal_received_on_the_eve_of_spring_festival_2026_is_answered_after_it():
    # 12 Feb (Thu) received: 13 Feb, 14 Feb (make-up Saturday), then 24 Feb.
    assert due_on("appeal", "received", D(2026, 2, 12)) == D(2026, 2, 24)


def test_the_limit_is_the_one_in_force_on_the_day_of_entry():
    StepLimit.objects.create(workflow="rating", state="town", working_days=5, effective_from=D(2026, 9, 1))
    assert due_on("rating", "town", D(2026, 8, 31)) == D(2026, 9, 14)
    assert due_on("rating", "town", D(2026, 9, 1)) == D(2026, 9, 8)


def test_a_local_closure_moves_the_due_date():
    WorkdayOverride.objects.create(date=D(2025, 10, 13), is_working_day=False, name="台风停工")
    assert due_on("loan", "submitted", D(2025, 9, 30)) == D(2025, 10, 17)


def test_days_left_and_a_shift_back_over_a_holiday():
    assert days_left(D(2025, 10, 16), D(2025, 9, 30)) == 7
    assert days_left(D(2025, 10, 16), D(2025, 10, 16)) == 0
    assert days_left(D(2025, 10, 9), D(2025, 10, 13)) == -3  # 10, 11 (make-up Saturday), 13
    assert days_left(None, D(2025, 10, 13)) is None
    assert shift_working_days(D(2025, 10, 13), -3) == D(2025, 10, 9)
    assert shift_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert shift_working_days(D(2025, 9, 30), 0) == D(2025, 9, 30)


def test_a_limit_outside_1_to_60_days_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    for days in (0, 61):
        with transaction.atomic(), pytest.raises(IntegrityError):
            StepLimit.objects.create(workflow="loan", state="submitted", working_days=days,
                                     effective_from=D(2027, 1, 1))


def test_a_database_emptied_gets_the_default_limits_back_but_a_step_set_by_the_department_is_kept():
    from workflow.limits import ensure_default_limits

    StepLimit.objects.all().delete()
    StepLimit.objects.create(workflow="loan", state="accepted", working_days=4, effective_from=D(2026, 1, 1))
    assert ensure_default_limits() == 6
    assert limit_for("loan", "accepted", D(2025, 6, 1)) is None  # the department's own history stands
    assert limit_for("loan", "accepted", D(2026, 6, 1)) == 4
    assert limit_for("benefit", "pending", D(2025, 6, 1)) == 15
    assert ensure_default_limits() == 0
