"""Loan pages: eligibility lookup, the station desk, applications and their steps, policies."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.access import CHANGE, VIEW, can, has_role, user_assignments
from portal.audit import audit_record
from portal.choices import Role
from portal.errors import AccessDenied, DomainError
from portal.refusals import page_for_roles
from portal.views.base import FilteredListView, RoleRequiredMixin, apply_domain_error

from .. import rules, selectors, services
from ..choices import LoanAction, LoanStatus
from ..filtersets import LoanApplicationFilterSet
from ..forms import ApproveForm, LoanApplicationForm, ProductForm, QuotaTableForm, RejectForm, StepForm
from ..models import LoanApplication, LoanProduct, QuotaTable

A = LoanAction


class LookupRequiredMixin(RoleRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.can_look_up(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class EligibilityLookupView(LookupRequiredMixin, View):
    """Search an enterprise by credit code or name and see what its rating is worth, and why not."""

    def get(self, request):
        query = request.GET.get("q", "")
        enterprises = list(selectors.lookup_enterprises(user=request.user, query=query))
        answers = list(selectors.eligibility_for(enterprises).values()) if enterprises else []
        if answers and has_role(request.user, Role.BANK_OFFICER, Role.INSURER_OFFICER):
            # Banks and insurers may look up any enterprise: every look is on the record.
            audit_record(actor=request.user, action="eligibility.lookup", object_type="portal.enterprise",
                         object_id=",".join(str(a.enterprise.pk) for a in answers)[:64],
                         object_repr="、".join(a.enterprise.name for a in answers)[:200], note=query[:100])
        return render(request, "finance/lookup.html", {"query": query, "answers": answers,
                                                        "too_short": 0 < len(query.strip()) < 2})


class LoanApplicationListView(FilteredListView):
    model = LoanApplication
    filterset_class = LoanApplicationFilterSet
    selector = staticmethod(selectors.loan_application_list)
    template_name = "finance/application_list.html"
    paginate_by = 30
    export_name = gettext_lazy("贷款申请")
    export_columns = [
        (gettext_lazy("编号"), "pk"), (gettext_lazy("企业"), "enterprise.name"),
        (gettext_lazy("统一社会信用代码"), "enterprise.uscc"), (gettext_lazy("银行"), "bank.short_name"),
        (gettext_lazy("产品"), "product.name"), (gettext_lazy("申请金额（元）"), "amount"),
        (gettext_lazy("批准金额（元）"), "approved_amount"), (gettext_lazy("状态"), "get_status_display"),
        (gettext_lazy("渠道"), "get_channel_display"), (gettext_lazy("提交时间"), "submitted_at"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reasons"] = selectors.in_flight_reasons(context["object_list"])
        context["can_submit"] = has_role(self.request.user, Role.STATION_OPERATOR, Role.ENTERPRISE_USER)
        return context


class LoanApplicationCreateView(RoleRequiredMixin, View):
    model = LoanApplication

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_role(request.user, Role.STATION_OPERATOR, Role.ENTERPRISE_USER):
            raise PermissionDenied(page_for_roles(request.user, [Role.STATION_OPERATOR, Role.ENTERPRISE_USER]))
        return super().dispatch(request, *args, **kwargs)

    def _own(self, request):
        """An enterprise user applies for its own enterprise; a station names the enterprise."""
        if has_role(request.user, Role.STATION_OPERATOR):
            return None
        for a in user_assignments(request.user):
            if a.role == Role.ENTERPRISE_USER:
                return a.enterprise
        return None

    def get(self, request):
        own = self._own(request)
        form = LoanApplicationForm(user=request.user, with_enterprise=own is None,
                                   initial={"enterprise": request.GET.get("enterprise", "")})
        return self._render(request, form, own)

    def post(self, request):
        own = self._own(request)
        form = LoanApplicationForm(request.POST, user=request.user, with_enterprise=own is None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = services.loan_application_submit(
                    acting_user=request.user, enterprise=own or data["enterprise"], bank=data["bank"],
                    product=data["product"], amount=data["amount"], purpose=data["purpose"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已提交贷款申请，等待%(b)s受理。") % {"b": application.bank.short_name})
                return redirect("finance:application_detail", pk=application.pk)
        return self._render(request, form, own, status=400)

    def _render(self, request, form, own, status=200):
        answer = selectors.eligibility(own) if own is not None else None
        return render(request, "finance/application_form.html", {"form": form, "own": own, "answer": answer},
                      status=status)


class LoanApplicationDetailView(RoleRequiredMixin, View):
    model = LoanApplication

    def get(self, request, pk, forms=None, status=200):
        application = selectors.access_loan_application(user=request.user, pk=pk)
        forms = forms or {}
        steps = [a for a in rules.allowed_actions(application.status)
                 if services.loans._acting_role(request.user, application, a)]
        answer = (selectors.eligibility(application.enterprise)
                  if application.status in (LoanStatus.SUBMITTED, LoanStatus.ACCEPTED) else None)
        return render(request, "finance/application_detail.html", {
            "application": application,
            "events": application.events.select_related("actor").prefetch_related("actor__role_assignments"),
            "reasons": selectors.in_flight_reasons([application]).get(application.pk, []),
            "steps": steps,
            "approve_form": forms.get("approve") or ApproveForm.for_application(application, answer),
            "reject_form": forms.get("reject") or RejectForm(initial={"version": application.version}),
            "answer": answer,
        }, status=status)


class LoanApplicationActionView(RoleRequiredMixin, View):
    model = LoanApplication
    required_action = CHANGE
    http_method_names = ["post"]

    def action_form_page(self, request, pk, action):
        # A refresh after a refused approval lands here with GET: show the forms again, on their page.
        if action in (A.APPROVE, A.REJECT):
            return LoanApplicationDetailView().get(request, pk)
        return None

    def post(self, request, pk, action):
        application = selectors.access_loan_application(user=request.user, pk=pk)
        if action not in A.values or action == A.SUBMIT:
            raise Http404
        form_class = {A.APPROVE: ApproveForm, A.REJECT: RejectForm}.get(action, StepForm)
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.loan_application_act(
                    acting_user=request.user, application=application, action=action,
                    expected_version=data["version"], amount=data.get("amount"), reason=data.get("reason", ""),
                    note=data.get("note", ""))
            except AccessDenied as error:
                raise PermissionDenied(error.message) from None
            except DomainError as error:
                if action in (A.APPROVE, A.REJECT):
                    apply_domain_error(form, error)
                    return LoanApplicationDetailView().get(request, pk, forms={action: form}, status=400)
                messages.error(request, error.message)
            else:
                messages.success(request, _("已%(a)s。") % {"a": A(action).label})
        else:
            messages.error(request, _("请刷新页面后重试。"))
        return redirect("finance:application_detail", pk=pk)


class PoliciesView(RoleRequiredMixin, View):
    """Loan products by bank and the quota tables over time; staff add a table or a product."""

    model = QuotaTable

    def get(self, request, table_form=None, product_form=None):
        return render(request, "finance/policies.html", {
            "tables": selectors.quota_table_list(user=request.user),
            "in_force": selectors.quota_table_in_force(),
            "products": selectors.product_list(user=request.user).order_by("bank__code", "name"),
            "can_manage": can(request.user, QuotaTable, CHANGE),
            "table_form": table_form or QuotaTableForm(),
            "product_form": product_form or ProductForm(),
        }, status=400 if (table_form or product_form) else 200)


class QuotaTableCreateView(RoleRequiredMixin, View):
    model = QuotaTable
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request):
        form = QuotaTableForm(request.POST)
        if form.is_valid():
            try:
                table = services.quota_table_create(acting_user=request.user,
                                                    effective_from=form.cleaned_data["effective_from"],
                                                    amounts=form.amounts(), note=form.cleaned_data["note"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已新增额度标准，自 %(d)s 起执行。") % {"d": table.effective_from})
                return redirect("finance:policies")
        return PoliciesView().get(request, table_form=form)


class ProductCreateView(RoleRequiredMixin, View):
    model = LoanProduct
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request):
        form = ProductForm(request.POST)
        if form.is_valid():
            try:
                product = services.product_create(acting_user=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已新增贷款产品：%(p)s") % {"p": product})
                return redirect("finance:policies")
        return PoliciesView().get(request, product_form=form)


class ProductToggleView(RoleRequiredMixin, View):
    """Take a product off sale, or back on: applications already made keep it."""

    model = LoanProduct
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        product = selectors.access_product(user=request.user, pk=pk)
        try:
            product = services.product_update(acting_user=request.user, product=product,
                                              is_active=not product.is_active)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, (_("已恢复在售：%(p)s") if product.is_active else _("已停售：%(p)s"))
                             % {"p": product})
        return redirect("finance:policies")


def enterprise_credit_tab(request, enterprise):
    """The enterprise page's tab: what its rating is worth today, and its loan applications."""
    if not can(request.user, LoanApplication, VIEW):
        return None
    return {
        "credit_answer": selectors.eligibility(enterprise),
        "credit_applications": selectors.loan_application_list(user=request.user).filter(enterprise=enterprise)[:50],
    }
