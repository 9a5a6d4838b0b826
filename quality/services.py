"""Every write of the service-quality follow-up: ask the enterprise once when a case ends, take its
answer (or the station's for it), open a follow-up on a low score and move it to its closing."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import VIEW, user_assignments
from portal.audit import audit_record, snapshot
from portal.choices import Role
from portal.errors import AccessDenied, DomainError
from portal.rules import RuleError, strip_invisible

from . import notify, rules
from .choices import CaseKind
from .choices import FollowUpAction as A
from .models import FollowUp, Survey
from .selectors import can_act_on_followup, can_answer_survey
from .sources import SOURCES, case_get, survey_fields
from .workflows import FOLLOWUP


def _speaks_for_itself(user, enterprise_id: int) -> bool:
    return any(a.role == Role.ENTERPRISE_USER and a.enterprise_id == enterprise_id for a in user_assignments(user))


# --- asking ------------------------------------------------------------------------------------

def survey_on_step(*, workflow: str, pk: int, action: str, from_status: str, to_status: str) -> Survey | None:
    """What a step of a case means here (the listener of workflow.signals.case_changed): a case that
    ended asks its enterprise; an appeal rated by its own page answers its survey."""
    if workflow == CaseKind.APPEAL and action == rules.APPEAL_RATE:
        return survey_sync_appeal(appeal_pk=pk)
    if rules.ends_case(workflow, from_status, to_status):
        return survey_ask(workflow=workflow, case_pk=pk)
    return None


@transaction.atomic
def survey_ask(*, workflow: str, case_pk: int) -> Survey | None:
    """Ask the enterprise about an ended case, once: a case already asked (a loan approved, then
    disbursed; a step announced twice) keeps its one survey. An appeal's survey takes the rating the
    appeal already has. None for a kind of case that is not asked about, or a case that is gone."""
    if workflow not in SOURCES:
        return None
    existing = Survey.objects.filter(workflow=workflow, case_pk=case_pk).first()
    if existing is not None:
        return existing
    case = case_get(workflow, case_pk)
    if case is None:
        return None
    try:
        with transaction.atomic():
            survey = Survey.objects.create(workflow=workflow, case_pk=case_pk, **survey_fields(workflow, case))
    except IntegrityError:  # asked at the same moment by another process: its survey stands
        return Survey.objects.get(workflow=workflow, case_pk=case_pk)
    audit_record(actor=None, action="quality.survey.ask", obj=survey, after=snapshot(survey))
    if workflow == CaseKind.APPEAL:
        _take_appeal_rating(survey, case)
    if not survey.is_answered:
        notify.survey_asked(survey)
    return survey


@transaction.atomic
def survey_sync_appeal(*, appeal_pk: int) -> Survey | None:
    """An appeal rated on its own page (liaison's appeal_rate): its survey, if it was asked already,
    takes the rating. An appeal rated before it was closed is asked at its closing with the rating."""
    survey = Survey.objects.select_for_update().filter(workflow=CaseKind.APPEAL, case_pk=appeal_pk).first()
    if survey is None:
        return None
    appeal = case_get(CaseKind.APPEAL, appeal_pk)
    if appeal is not None:
        _take_appeal_rating(survey, appeal)
    return survey


def _take_appeal_rating(survey: Survey, appeal) -> None:
    if survey.is_answered or appeal.satisfaction is None:
        return
    before = snapshot(survey)
    survey.score, survey.comment = appeal.satisfaction, appeal.satisfaction_comment[:rules.MAX_COMMENT]
    survey.answered_by, survey.answered_at = appeal.rated_by, appeal.rated_at or timezone.now()
    survey.on_behalf = appeal.rated_by is not None and not _speaks_for_itself(appeal.rated_by, survey.enterprise_id)
    survey.save()
    audit_record(actor=appeal.rated_by, action="quality.survey.answer", obj=survey, before=before,
                 after=snapshot(survey), note=_("取自诉求的满意度评价"))
    if survey.is_low:
        followup_open(survey=survey)


# --- answering ---------------------------------------------------------------------------------

@transaction.atomic
def survey_answer(*, survey: Survey, score, comment: str, acting_user) -> Survey:
    """The enterprise's answer, or the station's for it (marked on behalf): once, 1 to 5, a low score
    with its reason. An appeal's survey is answered through the appeal's own rating, so the appeal
    is never asked twice; a low score opens a follow-up."""
    locked = Survey.objects.select_for_update().filter(pk=survey.pk).first()
    if locked is None or not Survey.objects.restrict(acting_user, VIEW).filter(pk=locked.pk).exists():
        raise AccessDenied()
    if locked.is_answered:
        raise DomainError(_("该回访已评价，评价不能重复提交或修改。"), code="already_answered")
    if not can_answer_survey(acting_user, locked):
        raise AccessDenied(_("满意度由办件所属企业评价，或由企业所在区域的服务站代为记录。"))
    if locked.workflow == CaseKind.APPEAL:
        return _answer_through_appeal(locked, score=score, comment=comment, acting_user=acting_user)
    try:
        value, text = rules.check_answer(score, strip_invisible(comment or "", multiline=True))
    except RuleError as error:
        raise DomainError(error.message, field=error.field) from None
    before = snapshot(locked)
    locked.score, locked.comment = value, text
    locked.answered_by, locked.answered_at = acting_user, timezone.now()
    locked.on_behalf = not _speaks_for_itself(acting_user, locked.enterprise_id)
    locked.save()
    audit_record(actor=acting_user, action="quality.survey.answer", obj=locked, before=before, after=snapshot(locked),
                 note=_("服务站代为记录") if locked.on_behalf else "")
    if locked.is_low:
        followup_open(survey=locked)
    return locked


def _answer_through_appeal(survey: Survey, *, score, comment, acting_user) -> Survey:
    from liaison.services.appeals import appeal_rate

    appeal = case_get(CaseKind.APPEAL, survey.case_pk)
    if appeal is None:
        raise AccessDenied()
    appeal_rate(appeal=appeal, score=score, comment=comment or "", acting_user=acting_user)
    appeal.refresh_from_db()
    _take_appeal_rating(survey, appeal)
    return survey


# --- the follow-up -----------------------------------------------------------------------------

def followup_open(*, survey: Survey) -> FollowUp:
    """The organization department's follow-up of a low score (inside the caller's transaction); its
    due date is the step limit's (workflow.limits), set as it is recorded."""
    followup = FollowUp.objects.create(survey=survey, enterprise_id=survey.enterprise_id)
    FOLLOWUP.record(followup, actor=None, action=A.OPEN, from_status="", bump=False,
                    note=_("满意度 %(n)d 分：%(c)s") % {"n": survey.score, "c": survey.comment})
    notify.followup_opened(followup)
    return followup


def followup_act(*, acting_user, followup: FollowUp, action: str, outcome: str = "", expected_version=None) -> FollowUp:
    """Take up a follow-up (start) or close it with its written outcome, which the enterprise reads on
    its survey and hears about."""

    def apply(locked, to_status):
        now = timezone.now()
        if action == A.START:
            locked.started_at = now
            return {}
        try:
            text = rules.check_outcome(strip_invisible(outcome or "", multiline=True))
        except RuleError as error:
            raise DomainError(error.message, field=error.field) from None
        locked.outcome, locked.closed_at, locked.closed_by = text, now, acting_user
        return {"note": text}

    with transaction.atomic():
        locked = FOLLOWUP.transition(
            acting_user=acting_user, case=followup, action=action, expected_version=expected_version,
            may_act=can_act_on_followup, refused=lambda _a: _("回访整改由组织部工作人员办理。"), apply=apply,
            related=("survey",), reason_field="outcome")
        if action == A.CLOSE:
            notify.followup_closed(locked)
    return locked


def followup_limit_ensure(*, using: str = "default", **_kwargs) -> int:
    """Give the follow-up its default limit (10 working days from 2025-01-01, as the migration did)
    when it has none at all: run after every migrate, so that a database emptied with `manage.py
    flush` keeps it; a limit the department has set is left alone. The number of rows made."""
    from django.db import connections

    from workflow.limits import DEFAULTS_FROM
    from workflow.models import StepLimit

    if StepLimit._meta.db_table not in connections[using].introspection.table_names():
        return 0
    rows = StepLimit.objects.using(using)
    if rows.filter(workflow=FOLLOWUP.key, state=FOLLOWUP.graph.initial).exists():
        return 0
    rows.create(workflow=FOLLOWUP.key, state=FOLLOWUP.graph.initial, working_days=rules.FOLLOWUP_WORKING_DAYS,
                effective_from=DEFAULTS_FROM, note="回访整改办结")
    return 1
