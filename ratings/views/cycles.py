"""Cycles and rubric versions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.access import CHANGE, can
from portal.errors import DomainError
from portal.views.base import ExportMixin, RoleRequiredMixin, apply_domain_error

from .. import selectors, services
from ..forms import CycleForm
from ..models import Cycle, Rubric
from .common import refuse


class CycleListView(RoleRequiredMixin, ExportMixin, View):
    model = Cycle
    export_name = gettext_lazy("评定周期")
    export_columns = [
        (gettext_lazy("名称"), "name"), (gettext_lazy("评分标准"), "rubric"),
        (gettext_lazy("自评开始日期"), "opens_on"), (gettext_lazy("自评截止日期"), "closes_on"),
        (gettext_lazy("公示天数"), "notice_days"), (gettext_lazy("有效期（月）"), "validity_months"),
        (gettext_lazy("已命名"), lambda c: c.trend.get("total", 0)),
        (gettext_lazy("四星及以上"), lambda c: c.trend.get("high", 0)),
    ]

    def get_export_queryset(self):
        return selectors.cycle_list(user=self.request.user)

    def export_prepare_rows(self, rows):
        trend = {row["year"]: row for row in selectors.star_trend(user=self.request.user)}
        for cycle in rows:
            cycle.trend = trend.get(cycle.year, {})
        return rows

    def get(self, request):
        return render(request, "ratings/cycle_list.html", {
            "cycles": self.get_export_queryset(),
            "trend": {row["year"]: row for row in selectors.star_trend(user=request.user)},
            "can_add": can(request.user, Cycle, CHANGE),
            **self.export_context(),
        })


class CycleDetailView(RoleRequiredMixin, View):
    model = Cycle

    def get(self, request, pk):
        cycle = selectors.access_cycle(user=request.user, pk=pk)
        return render(request, "ratings/cycle_detail.html", {
            "cycle": cycle,
            "summary": selectors.cycle_summary(user=request.user, cycle=cycle),
            "overdue": selectors.overdue_ratings(user=request.user, cycle=cycle).order_by("step_entered_on")[:100],
            "can_manage": can(request.user, Cycle, CHANGE),
        })


class CycleCreateView(RoleRequiredMixin, View):
    model = Cycle
    required_action = CHANGE

    def get(self, request):
        return render(request, "ratings/cycle_form.html", {"form": CycleForm()})

    def post(self, request):
        form = CycleForm(request.POST)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            try:
                cycle = services.cycle_create(acting_user=request.user, **values)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已创建：%(c)s") % {"c": cycle})
                return redirect("ratings:cycle_detail", pk=cycle.pk)
        return render(request, "ratings/cycle_form.html", {"form": form}, status=400)


class CycleOpenView(RoleRequiredMixin, View):
    model = Cycle
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        cycle = selectors.access_cycle(user=request.user, pk=pk)
        try:
            count = services.cycle_open_ratings(acting_user=request.user, cycle=cycle)
        except DomainError as error:
            return refuse(request, error, "ratings:cycle_detail", pk=cycle.pk)
        messages.success(request, _("已为 %(n)d 个党组织启动自评。") % {"n": count})
        return redirect("ratings:cycle_detail", pk=cycle.pk)


class RubricListView(RoleRequiredMixin, ExportMixin, View):
    model = Rubric
    export_name = gettext_lazy("评分标准")
    export_columns = [
        (gettext_lazy("名称"), "name"), (gettext_lazy("版本"), "version"), (gettext_lazy("状态"), "get_status_display"),
        (gettext_lazy("项目数"), "item_count"), (gettext_lazy("发布时间"), "published_at"),
    ]

    def get_export_queryset(self):
        return selectors.rubric_list(user=self.request.user).order_by("name", "-version")

    def get(self, request):
        return render(request, "ratings/rubric_list.html", {
            "rubrics": self.get_export_queryset(), **self.export_context(),
        })


class RubricDetailView(RoleRequiredMixin, View):
    model = Rubric

    def get(self, request, pk, errors=None):
        rubric = selectors.access_rubric(user=request.user, pk=pk)
        groups, vetoes = selectors.rubric_structure(rubric)
        return render(request, "ratings/rubric_detail.html", {
            "rubric": rubric, "groups": groups, "vetoes": vetoes,
            "total": sum((g["max_points"] for g in groups), start=services.rules.Decimal("0")),
            "can_manage": can(request.user, Rubric, CHANGE), "errors": errors or {},
            "editing": errors is not None or (request.GET.get("edit") == "1" and not rubric.is_published),
            "threshold_values": [(n, request.POST.get(f"min_{n}", v)) if errors is not None else (n, v)
                                 for n, v in rubric.thresholds],
            "cycles": rubric.cycles.all(),
        }, status=400 if errors else 200)

    def post(self, request, pk):
        """Save a draft's thresholds and items (the edit mode of this page)."""
        if not can(request.user, Rubric, CHANGE):
            return refuse(request, DomainError(_("您没有执行此操作的权限。")), "ratings:rubric_detail", pk=pk)
        rubric = selectors.access_rubric(user=request.user, pk=pk)
        items = {}
        for item in rubric.items.all():
            items[item.code] = {"title": request.POST.get(f"title_{item.code}", item.title),
                                "deduction_notes": request.POST.get(f"notes_{item.code}", item.deduction_notes)}
            if not item.is_veto:
                items[item.code]["max_points"] = request.POST.get(f"max_points_{item.code}", item.max_points)
        thresholds = [(stars, request.POST.get(f"min_{stars}", "")) for stars in (5, 4, 3, 2)]
        try:
            thresholds = [(s, services.rules.parse_points(m, services.rules.Decimal("100"))) for s, m in thresholds]
            services.rubric_update_draft(acting_user=request.user, rubric=rubric, thresholds=thresholds, items=items)
        except services.rules.RuleError as error:
            return self.get(request, pk, errors={"five_star_min": [error.message]})
        except DomainError as error:
            if error.code == "published":
                return refuse(request, error, "ratings:rubric_detail", pk=pk)
            return self.get(request, pk, errors=error.errors or {"": [error.message]})
        messages.success(request, _("草稿已保存。"))
        return redirect("ratings:rubric_detail", pk=pk)


class RubricActionView(RoleRequiredMixin, View):
    model = Rubric
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk, action):
        rubric = selectors.access_rubric(user=request.user, pk=pk)
        try:
            if action == "new-version":
                rubric = services.rubric_new_version(acting_user=request.user, source=rubric)
                messages.success(request, _("已创建第 %(v)d 版草稿，修改后发布即可用于新的评定周期。") % {"v": rubric.version})
            elif action == "publish":
                rubric = services.rubric_publish(acting_user=request.user, rubric=rubric)
                messages.success(request, _("已发布：%(r)s") % {"r": rubric})
            else:
                return refuse(request, DomainError(_("未知操作。")), "ratings:rubric_detail", pk=pk)
        except DomainError as error:
            return refuse(request, error, "ratings:rubric_detail", pk=pk)
        return redirect("ratings:rubric_detail", pk=rubric.pk)
