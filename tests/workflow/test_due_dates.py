"""Due dates on the cases, set by the engine whenever a case changes state: a loan through its
services, a rating returned and resubmitted (its town clock paused, then resumed), an appeal's
limit capped by its hand-set deadline, and the fill of the cases already open."""

import datetime
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.utils import timezone

from finance.choices import LoanAction as LA
from finance.choices import LoanStatus as LS
from finance.models import LoanApplication
from finance.services import loan_application_act
from ratings import services as rating_services
from ratings.choices import RatingAction as RA
from ratings.choices import RatingStatus as RS
from ratings.models import Rating
from tests.finance.conftest import product, quota_table, rated_a, submit  # noqa: F401  (fixtures)
from tests.liaison.conftest import lworld  # noqa: F401  (fixture)
from tests.ratings.conftest import cycle, org_a, rubric, sheet  # noqa: F401  (fixtures)
from workflow.backfill import fill_due_dates
from workflow.calendar import add_working_days
from workflow.limits import step_clock

pytestmark = pytest.mark.django_db

D = datetime.date


def test_a_loan_is_due_seven_working_days_after_each_bank_step_and_not_once_decided(
        world, quota_table, product, rated_a):  # noqa: F811
    today = timezone.localdate()
    application = submit(world, world.station, product)
    application.refresh_from_db()
    assert application.due_on == add_working_days(today, 7)  # set on a case just created (no save of its own)
    accepted = loan_application_act(acting_user=world.bank_officer, application=application, action=LA.ACCEPT)
    assert LoanApplication.objects.get(pk=accepted.pk).due_on == add_working_days(today, 7)
    approved = loan_application_act(acting_user=world.bank_officer, application=accepted, action=LA.APPROVE,
                                    amount="1000000")
    assert approved.status == LS.APPROVED
    assert LoanApplication.objects.get(pk=approved.pk).due_on is None


def _step(world, rating, action, day, user=None, comment=""):
    actor = user or {RS.SELF: world.enterprise_user, RS.TOWN: world.town_staff, RS.DEPT: world.org_staff}[rating.status]
    scores = sheet() if action in (RA.SUBMIT, RA.APPROVE) else None
    return rating_services.rating_transition(acting_user=actor, rating=rating, action=action,
                                             expected_version=rating.version, scores=scores, comment=comment,
                                             today=day)


def test_a_rating_returned_to_self_assessment_pauses_the_town_clock_and_resumes_it(world, cycle, org_a):  # noqa: F811
    rating = rating_services.rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a)
    # Submitted Friday 25 Sept 2026: ten working days, over National Day (1–7 Oct off, Saturday 10 Oct worked): 15 Oct.
    rating = _step(world, rating, RA.SUBMIT, D(2026, 9, 25))
    assert (rating.status, rating.due_on) == (RS.TOWN, D(2026, 10, 15))
    # Returned Tuesday 29 Sept: 28 and 29 Sept used, eight working days left; nobody waits on the town.
    rating = _step(world, rating, RA.RETURN, D(2026, 9, 29), comment="请补充党员大会记录")
    assert (rating.status, rating.due_on, rating.clock_days_left) == (RS.SELF, None, {"town": 8})
    # Back on Monday 12 Oct: due eight working days later, not ten.
    rating = _step(world, rating, RA.SUBMIT, D(2026, 10, 12))
    stored = Rating.objects.get(pk=rating.pk)
    assert (stored.status, stored.due_on, stored.clock_days_left) == (RS.TOWN, D(2026, 10, 22), {})
    # The department's own clock is a new one; returned to the town it pauses in its turn.
    rating = _step(world, rating, RA.APPROVE, D(2026, 10, 13))
    assert (rating.status, rating.due_on) == (RS.DEPT, D(2026, 10, 27))
    rating = _step(world, rating, RA.RETURN, D(2026, 10, 23), comment="请镇街核实换届材料")
    assert (rating.status, rating.clock_days_left) == (RS.TOWN, {"dept": 2})
    assert rating.due_on == D(2026, 11, 6)  # the town's step is a new one: its full limit
    rating = _step(world, rating, RA.APPROVE, D(2026, 10, 26))
    assert (rating.status, rating.due_on, rating.clock_days_left) == (RS.DEPT, D(2026, 10, 28), {})


APPEAL = SimpleNamespace(key="appeal", waiting={"received": "", "assigned": "", "in_progress": ""},
                         graph=SimpleNamespace(final=frozenset({"closed", "withdrawn", "dismissed"})))


def test_an_appeal_is_due_on_the_earlier_of_its_limit_and_its_hand_set_deadline():
    received = SimpleNamespace(status="received", due_on=None, clock_days_left={}, deadline=D(2026, 3, 31))
    step_clock(APPEAL, received, from_status="", action="submit", today=D(2026, 2, 12))
    assert received.due_on == D(2026, 2, 24)  # first response: three working days; the deadline is for resolving

    assigned = SimpleNamespace(status="assigned", due_on=D(2026, 2, 24), clock_days_left={},
                               deadline=D(2026, 3, 31), assigned_at=None)
    step_clock(APPEAL, assigned, from_status="received", action="assign", today=D(2026, 2, 24))
    assert assigned.due_on == D(2026, 3, 16)  # fifteen working days, before the deadline

    tight = SimpleNamespace(status="assigned", due_on=D(2026, 2, 24), clock_days_left={},
                            deadline=D(2026, 3, 2), assigned_at=None)
    step_clock(APPEAL, tight, from_status="received", action="assign", today=D(2026, 2, 24))
    assert tight.due_on == D(2026, 3, 2)  # the deadline set by hand is earlier

    tight.status = "in_progress"
    step_clock(APPEAL, tight, from_status="assigned", action="start", today=D(2026, 2, 26))
    assert tight.due_on == D(2026, 3, 2)  # started: the same clock runs on

    tight.status = "resolved"
    step_clock(APPEAL, tight, from_status="in_progress", action="resolve", today=D(2026, 2, 27))
    assert tight.due_on is None


def test_the_cases_open_before_the_limits_get_a_due_date_from_their_step_entry(world, cycle, org_a):  # noqa: F811
    rating = rating_services.rating_start(acting_user=world.enterprise_user, cycle=cycle, organization=org_a)
    rating = _step(world, rating, RA.SUBMIT, D(2026, 9, 25))
    Rating.objects.filter(pk=rating.pk).update(due_on=None)
    assert fill_due_dates(apps, app_label="ratings", model="Rating", key="rating", waiting=("town", "dept")) == 1
    assert Rating.objects.get(pk=rating.pk).due_on == D(2026, 10, 15)


def test_an_appeal_through_its_services_answers_first_then_resolves_by_the_earlier_date(lworld):  # noqa: F811
    from liaison.models import Appeal, Department
    from tests.liaison.fixtures_appeals import create, step

    today = timezone.localdate()
    dept = Department.objects.create(name="星湖市地方金融工作局", short_name="金融工作局")
    appeal = create(lworld.enterprise_user, lworld.ent_a)
    assert Appeal.objects.get(pk=appeal.pk).due_on == add_working_days(today, 3)
    deadline = today + datetime.timedelta(days=3)
    step(appeal, "assign", lworld.org_staff, department=dept, deadline=deadline)
    assert Appeal.objects.get(pk=appeal.pk).due_on == min(deadline, add_working_days(today, 15))
    step(appeal, "start", lworld.org_staff)
    assert Appeal.objects.get(pk=appeal.pk).due_on == min(deadline, add_working_days(today, 15))
    step(appeal, "resolve", lworld.org_staff, resolution="已协调合作银行上门对接，贷款已审批发放到位。")
    assert Appeal.objects.get(pk=appeal.pk).due_on is None
