"""Demo data of the service-quality follow-up: the demo city's ended cases (written in bulk by the
other apps' demos, so no step asked anyone) each get their survey. Most are answered, the newest
are waiting; an appeal's survey takes the appeal's own rating. The low scores' follow-ups are closed
with an outcome, but for the newest, which the organization department still has open."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model

from portal.demo import SeedContext, register_step

from . import notify, services
from .models import Survey
from .sources import survey_fields

# workflow: (model, its end states, the moment it ended, related rows its label reads)
ENDED = {
    "loan": ("finance.LoanApplication", ("approved", "rejected", "disbursed", "repaid"), "decided_at", ("bank",)),
    "benefit": ("talent.BenefitApplication", ("approved", "rejected"), "decided_at", ("item",)),
    "appeal": ("liaison.Appeal", ("closed",), "closed_at", ()),
}
ANSWERED_SHARE = 0.75
SCORES, WEIGHTS = (5, 4, 3, 2, 1), (50, 30, 12, 5, 3)
COMMENTS = {
    5: ("办理很快，服务周到", "工作人员主动上门，非常满意", ""),
    4: ("整体满意，材料可以再精简一些", "办理顺利", ""),
    3: ("办理时间偏长", "一般"),
    2: ("等待时间太长，多次催问才有答复", "要求补充的材料前后说法不一致"),
    1: ("审批拖了一个多月，影响了生产安排", "办理人员态度冷淡，问题没有解决"),
}
OUTCOME = "已约谈承办单位负责人，查明延误原因并落实整改；已向企业当面说明情况，后续同类事项限时办结。"


def _ended(workflow: str) -> list[Survey]:
    model_path, states, ended_field, related = ENDED[workflow]
    rows = (apps.get_model(model_path).objects.filter(status__in=states, **{f"{ended_field}__isnull": False})
            .select_related(*related).order_by(ended_field, "pk"))
    return [Survey(workflow=workflow, case_pk=case.pk, asked_at=getattr(case, ended_field),
                   **survey_fields(workflow, case)) for case in rows]


def _answer(rng, survey: Survey) -> None:
    score = rng.choices(SCORES, weights=WEIGHTS)[0]
    survey.score, survey.comment = score, rng.choice(COMMENTS[score])
    survey.answered_at = survey.asked_at + datetime.timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 8))


def _appeal_rating(survey: Survey, appeals: dict) -> None:
    appeal = appeals.get(survey.case_pk)
    if appeal is not None and appeal.satisfaction is not None:
        survey.score, survey.comment = appeal.satisfaction, appeal.satisfaction_comment[:500]
        survey.answered_at, survey.answered_by = appeal.rated_at or survey.asked_at, appeal.rated_by


@register_step(name="quality.surveys", label="满意度回访")
def seed_surveys(ctx: SeedContext) -> None:
    rng = ctx.rng
    appeals = {a.pk: a for a in apps.get_model("liaison.Appeal").objects.filter(
        status="closed", satisfaction__isnull=False).select_related("rated_by")}
    surveys = []
    for workflow in ENDED:
        rows = _ended(workflow)
        newest = {s.case_pk for s in rows[-max(2, len(rows) // 5):]}  # the newest fifth still waits
        for survey in rows:
            if workflow == "appeal":
                _appeal_rating(survey, appeals)
            elif survey.case_pk not in newest and rng.random() < ANSWERED_SHARE:
                _answer(rng, survey)
        surveys += rows
    asked_here = [s for s in surveys if s.workflow != "appeal"]
    if asked_here and not any(s.is_low for s in surveys):
        # one complaint at least, so the follow-up shows
        survey = asked_here[len(asked_here) // 2]
        survey.score, survey.comment = 2, COMMENTS[2][0]
        survey.answered_at = survey.asked_at + datetime.timedelta(days=2)
    Survey.objects.bulk_create(surveys, batch_size=1000)
    low = list(Survey.objects.filter(score__lte=2).order_by("answered_at", "pk"))
    staff = get_user_model().objects.filter(username="orgstaff").first()
    with notify.quiet():
        followups = [services.followup_open(survey=s) for s in low]
        if staff is not None:
            for followup in followups[:-1]:
                services.followup_act(acting_user=staff, followup=followup, action="start")
                services.followup_act(acting_user=staff, followup=followup, action="close", outcome=OUTCOME)
    ctx.count("满意度回访", len(surveys))
    ctx.count("已评价", sum(1 for s in surveys if s.score is not None))
    ctx.count("回访整改", len(followups))
