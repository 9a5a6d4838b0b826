"""Asking once when a case ends, answering (by the enterprise, or by its station on its behalf), the
appeal's own rating as its survey's answer, and the follow-up a low score opens."""

import pytest
from django.utils import timezone

from liaison.models import AppealEvent
from liaison.services import appeals as appeal_services
from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog
from quality import services
from quality.models import FollowUp, FollowUpEvent, Survey
from tests.liaison.fixtures_appeals import step as appeal_step
from workflow.calendar import add_working_days

from .conftest import benefit_step, loan_step

pytestmark = pytest.mark.django_db


# --- asking ------------------------------------------------------------------------------------

def test_a_loan_approved_asks_its_enterprise_with_the_bank_and_the_station_that_handled_it(loan_survey):
    w = loan_survey
    survey = w.survey
    assert (survey.enterprise, survey.institution, survey.station) == (w.ent_a, w.bank, w.station_a)
    assert (survey.department, survey.programme, survey.score, survey.answered_at) == (None, None, None, None)
    assert survey.case_label == "农商银行 · ¥1,200,000.00"
    assert AuditLog.objects.filter(action="quality.survey.ask", object_id=str(survey.pk)).count() == 1


def test_a_loan_disbursed_after_its_approval_is_not_asked_again(loan_survey, ended):
    w = loan_survey
    ended(loan_step, w, w.app_a, "disburse")
    assert Survey.objects.filter(workflow="loan", case_pk=w.app_a.pk).count() == 1
    assert services.survey_ask(workflow="loan", case_pk=w.app_a.pk) == w.survey


def test_a_loan_rejected_is_asked_and_a_step_that_ends_nothing_asks_nothing(fworld, ended):
    w = fworld
    ended(loan_step, w, w.app_a, "accept")
    assert not Survey.objects.exists()
    ended(loan_step, w, w.app_a, "reject", reason="cash_flow")
    assert Survey.objects.get().case_pk == w.app_a.pk


def test_a_benefit_decided_is_asked_with_its_programme_and_station(tw, ended):
    w = tw
    ended(benefit_step, w, w.app_b, "approve")
    survey = Survey.objects.get(workflow="benefit")
    assert (survey.enterprise, survey.programme, survey.station, survey.institution) == (
        w.ent_b, w.items.school, w.station_b, None)


def test_an_appeal_rated_before_its_closing_is_asked_with_its_rating_as_the_answer(aworld, ended):
    w = aworld
    appeal_services.appeal_rate(appeal=w.resolved_a, score="4", comment="办得及时", acting_user=w.enterprise_user)
    ended(appeal_step, w.resolved_a, "close", w.org_staff)
    survey = Survey.objects.get(workflow="appeal", case_pk=w.resolved_a.pk)
    assert (survey.score, survey.comment, survey.answered_by, survey.on_behalf) == (4, "办得及时", w.enterprise_user, False)
    assert (survey.department, survey.station) == (w.dept, w.station_a)


def test_an_appeal_closed_unrated_and_then_rated_on_its_own_page_answers_its_survey(aworld, ended):
    w = aworld
    ended(appeal_step, w.resolved_a, "close", w.org_staff)
    survey = Survey.objects.get(workflow="appeal")
    assert survey.score is None
    ended(appeal_services.appeal_rate, appeal=w.resolved_a, score="5", comment="", acting_user=w.station)
    survey.refresh_from_db()
    assert (survey.score, survey.answered_by, survey.on_behalf) == (5, w.station, True)


def test_an_appeals_survey_answered_here_is_the_appeals_own_rating_given_once(aworld, ended):
    w = aworld
    ended(appeal_step, w.resolved_a, "close", w.org_staff)
    survey = Survey.objects.get(workflow="appeal")
    services.survey_answer(survey=survey, score="3", comment="", acting_user=w.enterprise_user)
    w.resolved_a.refresh_from_db()
    survey.refresh_from_db()
    assert (w.resolved_a.satisfaction, survey.score) == (3, 3)
    assert AppealEvent.objects.filter(appeal=w.resolved_a, action="rate").count() == 1
    # and the appeal's page cannot rate it again
    with pytest.raises(DomainError):
        appeal_services.appeal_rate(appeal=w.resolved_a, score="5", comment="", acting_user=w.enterprise_user)


# --- answering ---------------------------------------------------------------------------------

def test_the_enterprise_answers_once(loan_survey):
    w = loan_survey
    answered = services.survey_answer(survey=w.survey, score="5", comment=" 服务很好 ", acting_user=w.enterprise_user)
    assert (answered.score, answered.comment, answered.answered_by, answered.on_behalf) == (
        5, "服务很好", w.enterprise_user, False)
    assert answered.answered_at is not None
    assert not FollowUp.objects.exists()
    with pytest.raises(DomainError) as refused:
        services.survey_answer(survey=w.survey, score="4", comment="", acting_user=w.enterprise_user)
    assert refused.value.code == "already_answered"
    assert AuditLog.objects.filter(action="quality.survey.answer", object_id=str(w.survey.pk)).count() == 1


def test_the_station_of_the_enterprises_area_records_the_answer_on_its_behalf(loan_survey):
    w = loan_survey
    answered = services.survey_answer(survey=w.survey, score="4", comment="", acting_user=w.station)
    assert (answered.answered_by, answered.on_behalf) == (w.station, True)


@pytest.mark.parametrize(("score", "comment", "field", "message"), [
    ("0", "", "score", "请选择 1 至 5 分的满意度。"),
    ("", "", "score", "请选择 1 至 5 分的满意度。"),
    ("2", "太慢", "comment", "评分为 2 分及以下时，请写明不满意的原因（不少于 5 个字）。"),
])
def test_an_answer_refused_at_its_field_writes_nothing(loan_survey, score, comment, field, message):
    w = loan_survey
    with pytest.raises(DomainError) as refused:
        services.survey_answer(survey=w.survey, score=score, comment=comment, acting_user=w.enterprise_user)
    assert (refused.value.field, refused.value.message) == (field, message)
    w.survey.refresh_from_db()
    assert w.survey.score is None


@pytest.mark.parametrize("who", ["enterprise_b_user", "station_b_user", "park_station_user", "bank_officer",
                                 "town_staff", "org_staff"])
def test_nobody_else_answers_for_the_enterprise(loan_survey, who):
    w = loan_survey
    with pytest.raises(AccessDenied):
        services.survey_answer(survey=w.survey, score="5", comment="", acting_user=getattr(w, who))
    w.survey.refresh_from_db()
    assert w.survey.score is None


# --- the follow-up -----------------------------------------------------------------------------

def low(w, *, by=None):
    return services.survey_answer(survey=w.survey, score="1", comment="审批拖了一个多月",
                                  acting_user=by or w.enterprise_user)


def test_a_low_score_opens_a_follow_up_due_in_ten_working_days(loan_survey):
    w = loan_survey
    followup = low(w).followup
    assert (followup.status, followup.enterprise, followup.version) == ("open", w.ent_a, 1)
    assert followup.due_on == add_working_days(timezone.localdate(), 10)
    event = FollowUpEvent.objects.get(followup=followup)
    assert (event.action, event.from_status, event.to_status, event.actor, event.actor_name) == (
        "open", "", "open", None, "系统")
    assert event.note == "满意度 1 分：审批拖了一个多月"
    assert AuditLog.objects.filter(action="quality.followup.open", object_id=str(followup.pk)).count() == 1


def test_the_department_takes_up_and_closes_a_follow_up_and_the_enterprise_reads_and_hears_the_outcome(
        loan_survey, ended):
    from notifications.models import Notification

    w = loan_survey
    followup = low(w).followup
    due = followup.due_on
    followup = services.followup_act(acting_user=w.org_staff, followup=followup, action="start",
                                     expected_version=1)
    assert (followup.status, followup.due_on) == ("in_progress", due)  # one clock from opening to closing
    outcome = "已约谈农商银行，重新受理并在五个工作日内审结。"
    followup = ended(services.followup_act, acting_user=w.org_staff, followup=followup, action="close",
                     outcome=outcome, expected_version=2)
    assert (followup.status, followup.outcome, followup.closed_by, followup.due_on) == (
        "closed", outcome, w.org_staff, None)
    assert list(followup.events.values_list("action", flat=True)) == ["open", "start", "close"]
    assert AuditLog.objects.filter(action__startswith="quality.followup.", object_id=str(followup.pk)).count() == 3
    w.survey.refresh_from_db()
    assert w.survey.followup.outcome == outcome
    heard = Notification.objects.get(recipient=w.enterprise_user, kind="followup_closed")
    assert heard.title == f"回访整改已办结：{w.survey.case_label}"


def test_a_follow_up_closes_only_with_its_outcome_and_only_by_the_department(loan_survey):
    w = loan_survey
    followup = services.followup_act(acting_user=w.org_staff, followup=low(w).followup, action="start")
    with pytest.raises(DomainError) as refused:
        services.followup_act(acting_user=w.org_staff, followup=followup, action="close", outcome="已处理")
    assert refused.value.field == "outcome"
    for who in (w.enterprise_user, w.station, w.bank_officer, w.town_staff, w.leader):
        with pytest.raises(AccessDenied):
            services.followup_act(acting_user=who, followup=followup, action="close",
                                  outcome="已约谈农商银行，重新受理。")
    followup.refresh_from_db()
    assert followup.status == "in_progress"


def test_a_stale_form_and_a_step_out_of_place_are_refused(loan_survey):
    w = loan_survey
    followup = low(w).followup
    with pytest.raises(DomainError) as refused:
        services.followup_act(acting_user=w.org_staff, followup=followup, action="close",
                              outcome="已约谈农商银行，重新受理。")
    assert refused.value.code == "not_allowed"
    services.followup_act(acting_user=w.org_staff, followup=followup, action="start", expected_version=1)
    with pytest.raises(DomainError) as refused:
        services.followup_act(acting_user=w.org_staff, followup=followup, action="start", expected_version=1)
    assert refused.value.code == "stale"


def test_a_low_appeal_rating_opens_a_follow_up_too(aworld, ended):
    w = aworld
    ended(appeal_step, w.resolved_a, "close", w.org_staff)
    ended(appeal_services.appeal_rate, appeal=w.resolved_a, score="2", comment="办理结果没有落实",
          acting_user=w.enterprise_user)
    assert FollowUp.objects.get().survey.case_pk == w.resolved_a.pk


def test_a_new_survey_tells_the_enterprise(loan_survey):
    from notifications.models import Notification

    w = loan_survey
    heard = Notification.objects.get(recipient=w.enterprise_user, kind="survey_asked")
    assert heard.url == f"/quality/surveys/{w.survey.pk}/"


def test_a_database_emptied_gets_the_follow_ups_limit_back_but_one_set_by_the_department_is_kept(world):
    import datetime

    from workflow.limits import limit_for
    from workflow.models import StepLimit

    StepLimit.objects.filter(workflow="followup").delete()
    assert services.followup_limit_ensure() == 1
    assert limit_for("followup", "open", datetime.date(2026, 6, 1)) == 10
    assert limit_for("followup", "in_progress", datetime.date(2026, 6, 1)) == 10  # one clock with "open"
    StepLimit.objects.filter(workflow="followup").delete()
    StepLimit.objects.create(workflow="followup", state="open", working_days=5, effective_from=datetime.date(2026, 1, 1))
    assert services.followup_limit_ensure() == 0
    assert limit_for("followup", "open", datetime.date(2026, 6, 1)) == 5


def test_an_appeals_survey_is_answered_by_whoever_may_rate_the_appeal(aworld, ended):
    # given another station of 东湖镇, through which the appeal was not raised
    from portal.choices import Role, StationLevel
    from quality.selectors import can_answer_survey
    from tests.factories import StationFactory, user_with_role

    w = aworld
    other = user_with_role("t_station_a2", Role.STATION_OPERATOR,
                           station=StationFactory(name="东湖镇第二金融服务站", region=w.town_a, level=StationLevel.TOWN))
    ended(appeal_step, w.resolved_a, "close", w.org_staff)
    survey = Survey.objects.get(workflow="appeal")
    # then it may not record the answer, the station that raised it and the enterprise may
    assert not can_answer_survey(other, survey)
    assert can_answer_survey(w.station, survey)
    assert can_answer_survey(w.enterprise_user, survey)
    with pytest.raises(AccessDenied):
        services.survey_answer(survey=survey, score="5", comment="", acting_user=other)
