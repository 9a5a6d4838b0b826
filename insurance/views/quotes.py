"""Quotes and policies: the insurer officer or the station makes a quote, the insurer issues the
policy, the enterprise and the registry's staff follow them."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.access import CHANGE, VIEW, can, has_role
from portal.audit import audit_record
from portal.choices import Role
from portal.errors import DomainError
from portal.views.base import FilteredListView, RoleRequiredMixin, apply_domain_error
from ratings.selectors import enterprise_rating

from .. import selectors, services
from ..filtersets import PolicyFilterSet, QuoteFilterSet
from ..forms import PolicyIssueForm, QuoteForm
from ..models import ISSUE, Policy, Quote


class QuoteListView(FilteredListView):
    model = Quote
    filterset_class = QuoteFilterSet
    selector = staticmethod(selectors.quote_list)
    template_name = "insurance/quote_list.html"
    export_name = gettext_lazy("保险报价")
    export_columns = [
        (gettext_lazy("报价编号"), "number"), (gettext_lazy("企业"), "enterprise.name"),
        (gettext_lazy("保险公司"), "insurer.short_name"), (gettext_lazy("产品"), "product.name"),
        (gettext_lazy("星级"), "stars"), (gettext_lazy("基础保费（元）"), "base_premium"),
        (gettext_lazy("优惠比例（%）"), "discount_percent"), (gettext_lazy("优惠金额（元）"), "discount_amount"),
        (gettext_lazy("优惠后保费（元）"), "net_premium"), (gettext_lazy("报价日期"), "quoted_on"),
        (gettext_lazy("渠道"), "get_channel_display"), (gettext_lazy("服务站"), "station.name"),
        (gettext_lazy("状态"), "get_status_display"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can(self.request.user, Quote, CHANGE)
        return context


class QuoteCreateView(RoleRequiredMixin, View):
    """The quote form. "计算" prices the quote without writing anything (the same pricing the service
    uses); "生成报价" makes it. `?enterprise=<credit code>` fills the code in (the station desk's link)."""

    model = Quote
    required_action = CHANGE

    def _render(self, request, form, pricing=None, status=200):
        return render(request, "insurance/quote_form.html", {"form": form, "pricing": pricing}, status=status)

    def _form(self, request, *args, **kwargs):
        return QuoteForm(*args, user=request.user, search_url=reverse("insurance:quote_enterprise_search"), **kwargs)

    def get(self, request):
        return self._render(request, self._form(request, initial={"enterprise": request.GET.get("enterprise", "")[:40]}))

    def post(self, request):
        form = self._form(request, request.POST)
        pricing = None
        if form.is_valid():
            values = {"enterprise": form.cleaned_data["enterprise"], "product": form.cleaned_data["product"],
                      "base_premium": form.cleaned_data["base_premium"]}
            try:
                if request.POST.get("action") == "preview":
                    pricing = selectors.quote_pricing(**values)
                else:
                    quote = services.quote_create(acting_user=request.user, **values)
                    messages.success(request, _("已生成报价 %(n)s：优惠后保费 %(v)s 元。") % {
                        "n": quote.number, "v": f"{quote.net_premium:,.2f}"})
                    return redirect("insurance:quote_detail", pk=quote.pk)
            except DomainError as error:
                apply_domain_error(form, error)
        return self._render(request, form, pricing, status=200 if pricing is not None else 400)


class QuoteEnterpriseSearchView(RoleRequiredMixin, View):
    """The quote form's search as you type: a few enterprises the user may quote, by code or name.
    An insurer's look at the registry is on the record, as on the eligibility page."""

    model = Quote
    required_action = CHANGE

    def get(self, request):
        query = request.GET.get("q", "")[:60]
        found = selectors.quotable_enterprise_search(user=request.user, query=query)
        if found and has_role(request.user, Role.INSURER_OFFICER):
            audit_record(actor=request.user, action="eligibility.lookup", object_type="portal.enterprise",
                         object_id=",".join(str(e.pk) for e in found)[:64],
                         object_repr="、".join(e.name for e in found)[:200], note=query[:100])
        return JsonResponse({"results": [{"uscc": e.uscc, "name": e.name, "region": e.region.name if e.region_id else ""}
                                         for e in found]})


class QuoteDetailView(RoleRequiredMixin, View):
    model = Quote

    def get(self, request, pk, form=None):
        quote = selectors.access_quote(user=request.user, pk=pk)
        can_issue = selectors.can_issue_policy(request.user, quote)
        today = timezone.localdate()
        return render(request, "insurance/quote_detail.html", {
            "quote": quote,
            "policy": getattr(quote, "policy", None) if quote.status == "issued" else None,
            "can_issue": can_issue,
            "issue_form": form or PolicyIssueForm(),
            "answer_today": enterprise_rating(quote.enterprise, on=today) if can_issue else None,
            "lapsed": quote.status == "quoted" and quote.valid_until < today,
        }, status=400 if form is not None else 200)


class PolicyIssueView(RoleRequiredMixin, View):
    model = Policy
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        quote = selectors.access_quote(user=request.user, pk=pk, action=ISSUE)
        form = PolicyIssueForm(request.POST)
        if form.is_valid():
            try:
                policy = services.policy_issue(acting_user=request.user, quote=quote, **form.cleaned_data)
            except DomainError as error:
                if not error.errors:  # about the quote, not the form: say why on the quote's page
                    messages.error(request, error.message)
                    return redirect("insurance:quote_detail", pk=quote.pk)
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已出具保单 %(n)s。") % {"n": policy.policy_number})
                return redirect("insurance:policy_detail", pk=policy.pk)
        return QuoteDetailView().get(request, pk, form=form)


class PolicyListView(FilteredListView):
    model = Policy
    filterset_class = PolicyFilterSet
    selector = staticmethod(selectors.policy_list)
    template_name = "insurance/policy_list.html"
    export_name = gettext_lazy("保单")
    export_columns = [
        (gettext_lazy("保单号"), "policy_number"), (gettext_lazy("企业"), "quote.enterprise.name"),
        (gettext_lazy("保险公司"), "insurer.short_name"), (gettext_lazy("产品"), "quote.product.name"),
        (gettext_lazy("保险起期"), "starts_on"), (gettext_lazy("保险止期"), "ends_on"),
        (gettext_lazy("优惠比例（%）"), "quote.discount_percent"), (gettext_lazy("保费（元）"), "quote.net_premium"),
        (gettext_lazy("出单人"), "issued_by_name"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = selectors.discount_summary(user=self.request.user)
        return context


class PolicyDetailView(RoleRequiredMixin, View):
    model = Policy

    def get(self, request, pk):
        policy = selectors.access_policy(user=request.user, pk=pk)
        return render(request, "insurance/policy_detail.html", {"policy": policy, "quote": policy.quote})


def enterprise_insurance_tab(request, enterprise):
    """The enterprise page's tab "保险优惠": what its stars are worth today, its quotes and policies."""
    if not can(request.user, Quote, VIEW):
        return None
    context = selectors.enterprise_insurance(enterprise, user=request.user)
    context["insurance_can_quote"] = can(request.user, Quote, CHANGE)
    return context
