"""The demo city's surveys: every ended case asked once, most answered and the newest waiting, the
appeals' own ratings as their answers, and the low scores' follow-ups closed but for one still open."""

import pytest

from liaison.models import Appeal
from quality.models import FollowUp, Survey
from tests import demo_seed

pytestmark = pytest.mark.django_db

seeded = demo_seed.seeded  # the demo data, seeded once for the module and flushed after it


def test_every_kind_of_ended_case_is_asked_once_some_answered_some_waiting(seeded):
    for workflow in ("loan", "benefit", "appeal"):
        surveys = Survey.objects.filter(workflow=workflow)
        assert surveys.filter(score__isnull=False).exists(), workflow
        assert surveys.filter(score__isnull=True).exists(), workflow
    assert Survey.objects.filter(workflow="appeal").count() == Appeal.objects.filter(status="closed").count()


def test_an_appeals_survey_is_its_own_rating(seeded):
    for survey in Survey.objects.filter(workflow="appeal"):
        appeal = Appeal.objects.get(pk=survey.case_pk)
        assert (survey.score, survey.comment) == (appeal.satisfaction, appeal.satisfaction_comment)


def test_each_low_score_has_its_follow_up_and_one_is_still_open(seeded):
    low = Survey.objects.filter(score__lte=2)
    assert FollowUp.objects.count() == low.count() >= 1
    assert FollowUp.objects.filter(status="open").count() == 1
    closed = FollowUp.objects.exclude(status="open")
    assert all(f.status == "closed" and f.outcome for f in closed)
    open_one = FollowUp.objects.get(status="open")
    assert open_one.due_on is not None
    assert open_one.survey.answered_at == max(low.values_list("answered_at", flat=True))
