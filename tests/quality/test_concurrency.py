"""Claims about the same moment, shown with real threads on PostgreSQL: the enterprise and its
station answering one survey at once, a case's end announced twice at once, two staff closing one
follow-up at once."""

import pytest
from django.db import IntegrityError, connection, transaction

from portal.models import AuditLog
from quality import services
from quality.models import FollowUp, FollowUpEvent, Survey
from tests.factories import user_with_role
from tests.threads import race

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")]


@pytest.fixture
def survey(world):
    return Survey.objects.create(workflow="loan", case_pk=7001, case_label="东湖贷款 #A-7001", enterprise=world.ent_a,
                                 institution=world.bank, station=world.station_a)


def test_the_enterprise_and_its_station_answering_at_once_leave_one_answer(world, survey):
    results = race([
        lambda: services.survey_answer(survey=survey, score="1", comment="放款比承诺晚了两周", acting_user=world.enterprise_user),
        lambda: services.survey_answer(survey=survey, score="2", comment="审批材料反复补充", acting_user=world.station),
    ])
    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    assert [r[1] for r in results if r[0] == "refused"] == ["already_answered"]
    assert AuditLog.objects.filter(action="quality.survey.answer").count() == 1
    assert FollowUp.objects.filter(survey=survey).count() == 1


def test_a_case_announced_as_ended_twice_at_once_is_asked_once(tw):
    # given a benefit application decided, whose survey has not been written yet
    from talent import services as talent

    talent.benefit_application_act(acting_user=tw.org_staff, application=tw.app_b, action="approve")
    Survey.objects.all().delete()
    # when its end is announced twice at the same moment
    results = race([lambda: services.survey_ask(workflow="benefit", case_pk=tw.app_b.pk) for _ in range(2)])
    # then both get the one survey
    assert [r[0] for r in results] == ["ok", "ok"], results
    assert len({r[1].pk for r in results}) == 1
    assert Survey.objects.filter(workflow="benefit", case_pk=tw.app_b.pk).count() == 1
    assert AuditLog.objects.filter(action="quality.survey.ask", object_id=str(results[0][1].pk)).count() == 1


def test_the_database_refuses_a_second_survey_of_one_case(world, survey):
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(workflow="loan", case_pk=7001, case_label="again", enterprise=world.ent_a)


def test_two_staff_closing_one_follow_up_at_once_close_it_once(world, survey):
    followup = services.survey_answer(survey=survey, score="1", comment="放款比承诺晚了两周",
                                      acting_user=world.enterprise_user).followup
    services.followup_act(acting_user=world.org_staff, followup=followup, action="start", expected_version=1)
    second = user_with_role("t_orgstaff2", "org_staff")
    results = race([
        lambda: services.followup_act(acting_user=world.org_staff, followup=followup, action="close",
                                      outcome="已约谈农商银行，放款流程压缩至五个工作日。", expected_version=2),
        lambda: services.followup_act(acting_user=second, followup=followup, action="close",
                                      outcome="已督促银行限期整改并回复企业。", expected_version=2),
    ])
    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    assert [r[1] for r in results if r[0] == "refused"] == ["stale"]
    assert FollowUpEvent.objects.filter(followup=followup, action="close").count() == 1
