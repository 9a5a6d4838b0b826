"""The organization department's page of service-time settings (限时办结): each step's limit in
force and those set for later, a new limit from a day on, and the working-day overrides."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portal.access import CHANGE
from portal.errors import DomainError
from portal.views.base import RoleRequiredMixin, apply_domain_error

from . import services
from .forms import StepLimitForm, WorkdayOverrideForm
from .limits import STEPS
from .models import StepLimit, WorkdayOverride


def _steps(user, today):
    """Each step with its limit in force today and the rows set for later days."""
    rows = list(StepLimit.objects.restrict(user).select_related("set_by").order_by("effective_from", "pk"))
    steps = []
    for key, state, label in STEPS:
        own = [row for row in rows if (row.workflow, row.state) == (key, state)]
        current = [row for row in own if row.effective_from <= today]
        steps.append({"key": key, "state": state, "label": label, "in_force": current[-1] if current else None,
                      "later": [row for row in own if row.effective_from > today], "history": own})
    return steps


class ServiceTimeView(RoleRequiredMixin, View):
    model = StepLimit

    def get(self, request, limit_form=None, override_form=None):
        today = timezone.localdate()
        overrides = WorkdayOverride.objects.restrict(request.user).select_related("updated_by")
        return render(request, "workflow/service_time.html", {
            "today": today,
            "steps": _steps(request.user, today),
            "upcoming": overrides.filter(date__gte=today).order_by("date"),
            "past": overrides.filter(date__lt=today).order_by("-date")[:20],
            "limit_form": limit_form or StepLimitForm(),
            "override_form": override_form or WorkdayOverrideForm(),
        }, status=400 if (limit_form or override_form) else 200)


class StepLimitCreateView(RoleRequiredMixin, View):
    model = StepLimit
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request):
        form = StepLimitForm(request.POST)
        if form.is_valid():
            key, state = form.step_key_state()
            try:
                row = services.step_limit_set(acting_user=request.user, workflow=key, state=state,
                                              working_days=form.cleaned_data["working_days"],
                                              effective_from=form.cleaned_data["effective_from"],
                                              note=form.cleaned_data["note"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已设定：自 %(d)s 起 %(n)d 个工作日。") % {
                    "d": row.effective_from.isoformat(), "n": row.working_days})
                return redirect("service_time:settings")
        return ServiceTimeView().get(request, limit_form=form)


class WorkdayOverrideCreateView(RoleRequiredMixin, View):
    model = WorkdayOverride
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request):
        form = WorkdayOverrideForm(request.POST)
        if form.is_valid():
            try:
                row = services.workday_override_add(acting_user=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已添加工作日调整：%(d)s %(n)s。") % {"d": row.date.isoformat(), "n": row.name})
                return redirect("service_time:settings")
        return ServiceTimeView().get(request, override_form=form)


class WorkdayOverrideDeleteView(RoleRequiredMixin, View):
    model = WorkdayOverride
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        override = get_object_or_404(WorkdayOverride.objects.restrict(request.user, CHANGE), pk=pk)
        try:
            services.workday_override_remove(acting_user=request.user, override=override)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已删除 %(d)s 的工作日调整。") % {"d": override.date.isoformat()})
        return redirect("service_time:settings")
