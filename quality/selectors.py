"""Every read of the service-quality follow-up, limited to what the user may see; and the figures
per station, bank, insurer, department and programme for a period."""

from __future__ import annotations

import datetime

from django.db.models import Count, Sum
from django.http import Http404
from django.urls import reverse

from portal.access import CHANGE, VIEW, has_role, user_roles
from portal.choices import InstitutionKind, Role
from portal.models import Institution, ServiceStation

from . import rules
from .choices import CaseKind, SurveyState
from .models import FollowUp, Survey
from .sources import SOURCES, case_get

# --- surveys -----------------------------------------------------------------------------------


def survey_list(*, user, state: str = ""):
    rows = Survey.objects.restrict(user, VIEW).select_related(
        "enterprise", "institution", "station", "department", "programme", "followup")
    if state == SurveyState.PENDING:
        rows = rows.filter(score__isnull=True)
    elif state == SurveyState.ANSWERED:
        rows = rows.filter(score__isnull=False)
    return rows


def surveys_to_answer(*, user):
    """The surveys this user may answer and nobody has yet (the enterprise's 待评价)."""
    return Survey.objects.restrict(user, CHANGE).filter(score__isnull=True)


def access_survey(*, user, pk: int) -> Survey:
    survey = survey_list(user=user).filter(pk=pk).first()
    if survey is None:
        raise Http404
    return survey


def can_answer_survey(user, survey: Survey) -> bool:
    """Whether the user speaks for the survey's enterprise: its own user, or a station of its area. An
    appeal's survey is its rating, which the appeal's own rule gives (a station rates only what was
    raised through it)."""
    if survey.is_answered or not Survey.objects.restrict(user, CHANGE).filter(pk=survey.pk).exists():
        return False
    if survey.workflow == CaseKind.APPEAL:
        from liaison.choices_appeals import AppealAction
        from liaison.selectors.appeals import can_act_on_appeal

        appeal = case_get(CaseKind.APPEAL, survey.case_pk)
        return appeal is not None and can_act_on_appeal(user, appeal, AppealAction.RATE)
    return True


def survey_case_url(user, survey: Survey) -> str:
    """The ended case's page, for a user who may open it; "" for one who may not."""
    from django.apps import apps

    source = SOURCES.get(survey.workflow)
    if source is None or not apps.get_model(source.model).objects.restrict(user, VIEW).filter(
            pk=survey.case_pk).exists():
        return ""
    return reverse(source.url_name, args=[survey.case_pk])


# --- follow-ups --------------------------------------------------------------------------------


def followup_list(*, user, status: str = ""):
    rows = FollowUp.objects.restrict(user, VIEW).select_related("survey", "enterprise", "closed_by")
    return rows.filter(status=status) if status else rows


def access_followup(*, user, pk: int) -> FollowUp:
    followup = followup_list(user=user).filter(pk=pk).first()
    if followup is None:
        raise Http404
    return followup


def can_act_on_followup(user, followup: FollowUp, action: str) -> bool:
    """Whether the user's role may take the step (the graph's actors) over this follow-up."""
    return any(rules.GRAPH.may_act(role, action) for role in user_roles(user)) and \
        FollowUp.objects.restrict(user, CHANGE).filter(pk=followup.pk).exists()


def followup_actions(user, followup: FollowUp) -> list[str]:
    return [a for a in rules.GRAPH.allowed_actions(followup.status) if can_act_on_followup(user, followup, a)]


def can_see_figures(user) -> bool:
    return has_role(user, Role.ORG_STAFF, Role.LEADER)


# --- figures -----------------------------------------------------------------------------------

# Each group of the figures: the survey's field naming who handled the case, and the rows it names.
GROUPS: dict[str, tuple[str, object]] = {
    "station": ("station", lambda: ServiceStation.objects.all()),
    "bank": ("institution", lambda: Institution.objects.filter(kind=InstitutionKind.BANK)),
    "insurer": ("institution", lambda: Institution.objects.filter(kind=InstitutionKind.INSURER)),
    "department": ("department", None),
    "programme": ("programme", None),
}
INSTITUTION_KIND = {"bank": InstitutionKind.BANK, "insurer": InstitutionKind.INSURER}


def _handlers(group: str, ids: set[int]) -> dict[int, str]:
    from django.apps import apps

    field, rows = GROUPS[group]
    if rows is None:
        model = apps.get_model("liaison.Department" if group == "department" else "talent.PolicyItem")
        queryset = model.objects.all()
    else:
        queryset = rows()
    return {row.pk: str(row) for row in queryset.filter(pk__in=ids)}


def quality_figures(*, start: datetime.date, end: datetime.date) -> dict[str, list[dict]]:
    """Per group, one row for each station, bank, insurer, department or programme with anything in
    the period (start and end included, Beijing days): the cases that ended then (each asked once),
    how many of them were answered and their average score; the follow-ups opened and those closed in
    the period. Rows by name."""
    figures: dict[str, list[dict]] = {}
    for group, (field, _rows) in GROUPS.items():
        key = f"{field}_id"
        kind = INSTITUTION_KIND.get(group)
        surveys = Survey.objects.filter(**{f"{key}__isnull": False})
        followups = FollowUp.objects.filter(**{f"survey__{key}__isnull": False})
        if kind is not None:
            surveys, followups = surveys.filter(institution__kind=kind), followups.filter(survey__institution__kind=kind)
        row_of: dict[int, dict] = {}

        def row(pk, row_of=row_of):
            return row_of.setdefault(pk, {"id": pk, "handled": 0, "answered": 0, "total": 0, "opened": 0,
                                          "closed": 0})

        asked = (surveys.filter(asked_at__date__gte=start, asked_at__date__lte=end)
                 .values(key).annotate(handled=Count("pk"), answered=Count("score"), total=Sum("score")).order_by())
        for r in asked:
            row(r[key]).update(handled=r["handled"], answered=r["answered"], total=r["total"] or 0)
        for name, date_field in (("opened", "opened_at"), ("closed", "closed_at")):
            counted = (followups.filter(**{f"{date_field}__date__gte": start, f"{date_field}__date__lte": end})
                       .values(f"survey__{key}").annotate(n=Count("pk")).order_by())
            for r in counted:
                row(r[f"survey__{key}"])[name] = r["n"]
        names = _handlers(group, set(row_of))
        rows = []
        for pk, r in row_of.items():
            r["name"] = names.get(pk, str(pk))
            r["average"] = rules.average(r.pop("total"), r["answered"])
            rows.append(r)
        figures[group] = sorted(rows, key=lambda r: (r["name"], r["id"]))
    return figures
