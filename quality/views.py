"""Pages of the service-quality follow-up: thin adapters over the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.access import CHANGE, VIEW, has_role
from portal.choices import Role
from portal.errors import AccessDenied, DomainError
from portal.homecards import list_counter
from portal.views.base import RoleRequiredMixin, apply_domain_error

from . import selectors, services
from .choices import FollowUpAction, FollowUpStatus, SurveyState
from .forms import FollowUpActForm, PeriodForm, SurveyAnswerForm
from .models import FollowUp, Survey

GROUP_LABELS = (
    ("station", gettext_lazy("服务站")), ("bank", gettext_lazy("银行")), ("insurer", gettext_lazy("保险公司")),
    ("department", gettext_lazy("承办部门")), ("programme", gettext_lazy("人才政策项目")),
)


def home_card(request) -> dict | None:
    """The enterprise's (and its station's) surveys waiting for an answer."""
    user = request.user
    if not has_role(user, Role.ENTERPRISE_USER, Role.STATION_OPERATOR):
        return None
    counter = list_counter(request, label=SurveyState.PENDING.label, url_name="quality:survey_list",
                           queryset=selectors.surveys_to_answer(user=user), params={"state": SurveyState.PENDING},
                           tone="warning")
    return {"counters": [counter]}


PER_PAGE = 50


def _page(request, rows):
    """One page of a list (an unknown or out-of-range page number gives the nearest page)."""
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


class SurveyListView(RoleRequiredMixin, View):
    model = Survey

    def get(self, request):
        state = request.GET.get("state", "")
        if state not in SurveyState.values:
            state = ""
        page = _page(request, selectors.survey_list(user=request.user, state=state))
        return render(request, "quality/survey_list.html", {
            "surveys": page.object_list, "page_obj": page, "paginator": page.paginator, "count": page.paginator.count,
            "query_string": f"state={state}" if state else "", "state": state, "states": SurveyState.choices})


class SurveyDetailView(RoleRequiredMixin, View):
    model = Survey

    def get(self, request, pk, form=None, status=200):
        survey = selectors.access_survey(user=request.user, pk=pk)
        followup = getattr(survey, "followup", None)
        return render(request, "quality/survey_detail.html", {
            "survey": survey, "followup": followup,
            "case_url": selectors.survey_case_url(request.user, survey),
            "can_answer": selectors.can_answer_survey(request.user, survey),
            "form": form or SurveyAnswerForm(),
            "can_see_followup": followup is not None and FollowUp.objects.restrict(request.user, VIEW)
            .filter(pk=followup.pk).exists(),
        }, status=status)


class SurveyAnswerView(RoleRequiredMixin, View):
    model = Survey
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        survey = selectors.access_survey(user=request.user, pk=pk)
        form = SurveyAnswerForm(request.POST)
        form.is_valid()
        try:
            survey = services.survey_answer(survey=survey, score=form.cleaned_data.get("score", ""),
                                            comment=form.cleaned_data.get("comment", ""), acting_user=request.user)
        except AccessDenied as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            if not error.errors:
                messages.error(request, error.message)
                return redirect("quality:survey_detail", pk=pk)
            apply_domain_error(form, error)
            return SurveyDetailView().get(request, pk, form=form, status=400)
        messages.success(request, _("感谢您的评价。") if not survey.is_low else
                         _("感谢您的评价，组织部将就您反映的问题回访整改。"))
        return redirect("quality:survey_detail", pk=pk)


class FollowUpListView(RoleRequiredMixin, View):
    model = FollowUp

    def get(self, request):
        status = request.GET.get("status", "")
        if status not in FollowUpStatus.values:
            status = ""
        page = _page(request, selectors.followup_list(user=request.user, status=status))
        return render(request, "quality/followup_list.html", {
            "followups": page.object_list, "page_obj": page, "paginator": page.paginator,
            "count": page.paginator.count, "query_string": f"status={status}" if status else "", "status": status,
            "statuses": FollowUpStatus.choices})


class FollowUpDetailView(RoleRequiredMixin, View):
    model = FollowUp

    def get(self, request, pk, form=None, status=200):
        followup = selectors.access_followup(user=request.user, pk=pk)
        return render(request, "quality/followup_detail.html", {
            "followup": followup, "survey": followup.survey, "events": followup.events.all(),
            "actions": selectors.followup_actions(request.user, followup),
            "case_url": selectors.survey_case_url(request.user, followup.survey),
            "form": form or FollowUpActForm(initial={"version": followup.version}),
        }, status=status)


class FollowUpActView(RoleRequiredMixin, View):
    model = FollowUp
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk, action):
        followup = selectors.access_followup(user=request.user, pk=pk)
        if action not in FollowUpAction.values or action == FollowUpAction.OPEN:
            raise Http404
        form = FollowUpActForm(request.POST)
        if not form.is_valid() and "version" in form.errors:
            messages.error(request, _("请刷新页面后重试。"))
            return redirect("quality:followup_detail", pk=pk)
        try:
            services.followup_act(acting_user=request.user, followup=followup, action=action,
                                  outcome=form.cleaned_data.get("outcome", ""),
                                  expected_version=form.cleaned_data.get("version"))
        except AccessDenied as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            if error.errors:
                apply_domain_error(form, error)
                return FollowUpDetailView().get(request, pk, form=form, status=400)
            messages.error(request, error.message)
        else:
            messages.success(request, _("已%(a)s。") % {"a": FollowUpAction(action).label})
        return redirect("quality:followup_detail", pk=pk)


class QualityFiguresView(RoleRequiredMixin, View):
    """The organization department's figures of service quality per station, bank, insurer,
    department and programme for a period."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.can_see_figures(request.user):
            raise PermissionDenied(_("服务质效统计仅向组织部和市领导开放。"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = PeriodForm(request.GET or None)
        start, end = form.period()
        figures = selectors.quality_figures(start=start, end=end)
        return render(request, "quality/figures.html", {
            "form": form, "start": start, "end": end,
            "groups": [(key, label, figures[key]) for key, label in GROUP_LABELS]})
