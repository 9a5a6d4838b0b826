"""Benefit applications: submitted from a talent's page by its employer or the station of its area,
decided by the organization department, withdrawn by the submitter while pending."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.access import CHANGE, has_role
from portal.choices import Role
from portal.errors import AccessDenied, DomainError
from portal.refusals import page_for_roles
from portal.views.base import FilteredListView, RoleRequiredMixin, apply_domain_error

from .. import rules, selectors, services
from ..choices import BenefitAction
from ..filtersets import BenefitApplicationFilterSet
from ..forms import ApproveForm, BenefitApplicationForm, RejectForm, StepForm
from ..models import BenefitApplication

A = BenefitAction


class BenefitApplicationListView(FilteredListView):
    model = BenefitApplication
    filterset_class = BenefitApplicationFilterSet
    selector = staticmethod(selectors.benefit_application_list)
    template_name = "talent/benefit_list.html"
    paginate_by = 30
    export_name = gettext_lazy("人才待遇申请")
    export_columns = [
        (gettext_lazy("申请编号"), "reference"), (gettext_lazy("人才"), "talent.person.name"),
        (gettext_lazy("用人单位"), "enterprise.name"), (gettext_lazy("政策项目"), "item.name"),
        (gettext_lazy("申请金额（元）"), "amount_requested"), (gettext_lazy("批准金额（元）"), "amount_approved"),
        (gettext_lazy("状态"), "get_status_display"), (gettext_lazy("提交时间"), "submitted_at"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_submit"] = has_role(self.request.user, Role.STATION_OPERATOR, Role.ENTERPRISE_USER)
        return context


class BenefitApplicationCreateView(RoleRequiredMixin, View):
    model = BenefitApplication
    required_action = CHANGE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_role(request.user, Role.STATION_OPERATOR, Role.ENTERPRISE_USER):
            raise PermissionDenied(page_for_roles(request.user, [Role.STATION_OPERATOR, Role.ENTERPRISE_USER]))
        return super().dispatch(request, *args, **kwargs)

    def _talent(self, request, pk):
        talent = selectors.access_talent(user=request.user, pk=pk)
        if not services.can_submit_for(request.user, talent):
            raise PermissionDenied
        return talent

    def get(self, request, pk):
        talent = self._talent(request, pk)
        return self._render(request, BenefitApplicationForm(initial={"item": request.GET.get("item")},
                                                               talent=talent), talent)

    def post(self, request, pk):
        talent = self._talent(request, pk)
        form = BenefitApplicationForm(request.POST, talent=talent)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = services.benefit_application_submit(
                    acting_user=request.user, talent=talent, item=data["item"],
                    amount_requested=data["amount_requested"], reason=data["reason"])
            except AccessDenied as error:
                raise PermissionDenied(error.message) from None
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已提交待遇申请，申请编号 %(r)s。") % {"r": application.reference})
                return redirect("talent:benefit_detail", pk=application.pk)
        return self._render(request, form, talent, status=400)

    def _render(self, request, form, talent, status=200):
        return render(request, "talent/benefit_form.html", {
            "form": form, "talent": talent, "person": talent.person,
            "open_items": selectors.items_open_to(talent)}, status=status)


class BenefitApplicationDetailView(RoleRequiredMixin, View):
    model = BenefitApplication

    def get(self, request, pk, forms=None, status=200):
        application = selectors.access_benefit_application(user=request.user, pk=pk)
        forms = forms or {}
        steps = [a for a in rules.allowed_actions(application.status)
                 if services.acting_role(request.user, application, a)]
        return render(request, "talent/benefit_detail.html", {
            "application": application,
            "person": application.talent.person,
            "events": application.events.select_related("actor").prefetch_related("actor__role_assignments"),
            "steps": steps,
            "approve_form": forms.get(A.APPROVE) or ApproveForm(initial={
                "version": application.version,
                "amount": application.amount_requested if application.amount_requested is not None else ""}),
            "reject_form": forms.get(A.REJECT) or RejectForm(initial={"version": application.version}),
        }, status=status)


class BenefitApplicationActionView(RoleRequiredMixin, View):
    model = BenefitApplication
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk, action):
        application = selectors.access_benefit_application(user=request.user, pk=pk)
        if action not in (A.APPROVE, A.REJECT, A.WITHDRAW):
            raise Http404
        form_class = {A.APPROVE: ApproveForm, A.REJECT: RejectForm}.get(action, StepForm)
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("请刷新页面后重试。"))
            return redirect("talent:benefit_detail", pk=pk)
        data = form.cleaned_data
        try:
            services.benefit_application_act(
                acting_user=request.user, application=application, action=action,
                expected_version=data["version"], amount=data.get("amount"), note=data.get("note", ""))
        except AccessDenied as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            if error.field and action in (A.APPROVE, A.REJECT):
                apply_domain_error(form, error)
                return BenefitApplicationDetailView().get(request, pk, forms={action: form}, status=400)
            messages.error(request, error.message)
        else:
            messages.success(request, _("已%(a)s。") % {"a": A(action).label})
        return redirect("talent:benefit_detail", pk=pk)
