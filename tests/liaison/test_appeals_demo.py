"""The appeals demo: departments, appeals in every state, category, platform and channel, numbered and
with the history, escalations and ratings the services would have left, work for the demo accounts,
and the same data for the same seed."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone

from liaison.choices_appeals import AppealCategory, AppealChannel, AppealPlatform, AppealStatus
from liaison.models import Appeal, AppealCounter, AppealEscalation, Department
from liaison.rules import appeals as rules
from liaison.selectors import appeals as selectors
from liaison.services.appeals import appeal_escalate_overdue
from portal.models import Enterprise
from tests import demo_seed

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


seeded = demo_seed.seeded  # the demo data, seeded once for the module and flushed after it


def user(name):
    return get_user_model().objects.get(username=name)


def test_departments_and_every_kind_of_appeal(seeded):
    assert Department.objects.count() == 15
    assert list(Department.objects.filter(is_active=False).values_list("name", flat=True)) == ["星湖市中小企业服务中心"]
    for field, choices in [("status", AppealStatus), ("category", AppealCategory), ("platform", AppealPlatform),
                           ("channel", AppealChannel)]:
        assert set(Appeal.objects.values_list(field, flat=True)) == set(choices.values), field
    share = Appeal.objects.count() / Enterprise.objects.count()
    assert 0.12 <= share <= 0.25, share
    key_share = Appeal.objects.filter(enterprise__is_key=True).count() / Enterprise.objects.filter(is_key=True).count()
    assert key_share > share


def test_numbers_run_per_year_without_gaps_and_the_counter_follows(seeded):
    by_year = Counter()
    for number, received_at in Appeal.objects.order_by("received_at", "pk").values_list("number", "received_at"):
        year = timezone.localtime(received_at).year
        by_year[year] += 1
        assert number == f"SQ{year}-{by_year[year]:06d}"
    assert dict(AppealCounter.objects.values_list("year", "last")) == dict(by_year)
    assert min(by_year) == 2024


def test_each_appeal_agrees_with_its_history(seeded):
    for appeal in Appeal.objects.prefetch_related("events")[:400]:
        events = list(appeal.events.all())
        assert events[0].action == "submit"
        assert [e.at for e in events] == sorted(e.at for e in events)
        transitions = [e for e in events if e.action in rules.TRANSITION_ACTIONS]
        status = AppealStatus.RECEIVED
        for event in transitions:
            assert rules.next_status(status, event.action) == event.to_status
            status = event.to_status
        assert status == appeal.status
        assert appeal.version == 1 + len(transitions) + (1 if appeal.satisfaction else 0)
        assert events[0].at == appeal.received_at
        if appeal.status in rules.DONE_STATUSES:
            assert appeal.resolution
            assert appeal.resolved_at
            assert appeal.department_id
        else:
            assert appeal.satisfaction is None
        if appeal.channel == AppealChannel.STATION:
            assert appeal.station_id is not None
        if appeal.visit_id:
            assert (appeal.channel, appeal.visit.enterprise_id) == (AppealChannel.VISIT, appeal.enterprise_id)


def test_ratings_are_mostly_good_and_the_poor_ones_say_why(seeded):
    rated = list(Appeal.objects.filter(satisfaction__isnull=False).values_list("satisfaction", "satisfaction_comment"))
    done = Appeal.objects.filter(status__in=rules.DONE_STATUSES).count()
    assert len(rated) >= 0.7 * done
    assert sum(1 for score, _c in rated if score >= 4) >= 0.75 * len(rated)
    poor = [comment for score, comment in rated if score <= 2]
    assert poor
    assert all(len(comment) >= rules.MIN_REASON for comment in poor)


def test_escalations_are_those_the_nightly_run_would_have_made(seeded):
    secretary = selectors.leading_secretary()
    escalated = Appeal.objects.filter(escalation_level__gt=0).prefetch_related("escalations__cadres")
    assert escalated.exists()
    for appeal in escalated:
        assert appeal.status in rules.OPEN_STATUSES
        rows = sorted(appeal.escalations.all(), key=lambda e: e.level)
        assert [e.level for e in rows] == list(range(1, appeal.escalation_level + 1))
        paired = set(selectors.paired_cadres([appeal.enterprise_id]).get(appeal.enterprise_id, []))
        for row in rows:
            expected = paired | ({secretary.pk} if row.level == 2 else set())
            assert {c.pk for c in row.cadres.all()} == expected
        assert appeal.events.filter(action="escalate").count() == len(rows)
    assert AppealEscalation.objects.aggregate(m=Max("level"))["m"] == 2
    # running the task today adds only what fell due today, and a second run nothing
    appeal_escalate_overdue()
    assert appeal_escalate_overdue()["escalated"] == 0


def test_the_demo_accounts_have_work(seeded):
    enterprise = selectors.appeal_list(user=user("enterprise"))
    assert enterprise.filter(status=AppealStatus.RESOLVED, satisfaction__isnull=True).exists()
    cadre = user("cadre")
    assert selectors.escalations_to(user=cadre).exists()
    assert selectors.appeal_list(user=cadre).filter(assignee=cadre, status=AppealStatus.ASSIGNED).exists()
    assert Appeal.objects.filter(created_by=cadre, channel=AppealChannel.VISIT).exists()
    townstaff = user("townstaff")
    assert selectors.appeal_list(user=townstaff).filter(status=AppealStatus.RECEIVED).exists()
    assert Appeal.objects.filter(assignee=townstaff, status=AppealStatus.ASSIGNED).exists()
    assert Appeal.objects.filter(assignee=user("orgstaff")).exists()


def test_the_same_seed_makes_the_same_appeals(seeded, django_db_blocker):
    def fingerprint():
        return list(Appeal.objects.order_by("number").values_list(
            "number", "enterprise__uscc", "category", "platform", "channel", "status", "title", "deadline",
            "satisfaction", "department__name"))  # not the escalation level: an earlier test ran the task

    first = fingerprint()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        seed()
    assert fingerprint() == first
