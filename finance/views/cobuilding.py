"""Co-building (组织共建) pages: the overview of pairings and cadre exchanges with their figures, a
pairing with its activities, and the forms that create a pairing, end it, add an activity and create
an exchange. Every role may read them; only the organization department writes (the models'
`reference_data_scope`)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal import navigation
from portal.access import CHANGE, VIEW, can
from portal.errors import DomainError
from portal.views.base import FilteredListView, RoleRequiredMixin, apply_domain_error

from .. import selectors_cobuilding as selectors
from ..forms_cobuilding import ActivityForm, EndForm, ExchangeForm, PairFilterSet, PairForm
from ..models import CadreExchange, CoBuildingPair
from ..services import cobuilding as services

# The URL namespace these pages are included under (finance/urls_cobuilding.py). Until finance's own
# urls.py includes them (as "finance"), portal/urls.py includes them as "cobuilding".
URL_NAMESPACE = "cobuilding"
TEMPLATES = "finance/cobuilding/"


def url_name(name: str) -> str:
    return f"{URL_NAMESPACE}:{name}"


def register_menu() -> None:
    """Add "组织共建" to the menu; FinanceConfig.ready() calls it. Calling it again adds nothing."""
    name = url_name("cobuilding_overview")
    if any(entry.url_name == name for entry in navigation.MENU):
        return
    navigation.MENU.append(navigation.MenuEntry(gettext_lazy("组织共建"), name, "diagram-3",
                                                lambda u: can(u, CoBuildingPair, VIEW), group="finance"))


class CoBuildingMixin(RoleRequiredMixin):
    model = CoBuildingPair

    def render(self, template: str, context: dict, status: int = 200):
        context = {"ns": URL_NAMESPACE, "can_change": can(self.request.user, CoBuildingPair, CHANGE), **context}
        return render(self.request, TEMPLATES + template, context, status=status)


class CoBuildingOverviewView(FilteredListView):
    """The pairings (filtered, with their activity counts), the cadre exchanges and the figures."""

    model = CoBuildingPair
    filterset_class = PairFilterSet
    selector = staticmethod(selectors.pair_list)
    template_name = TEMPLATES + "overview.html"
    export_name = gettext_lazy("组织共建结对")
    export_columns = [
        (gettext_lazy("结对对象"), lambda p: p.park.name if p.park_id else
         " · ".join(r.name for r in (p.region.parent, p.region) if r is not None)),
        (gettext_lazy("类型"), lambda p: _("园区") if p.park_id else p.region.get_kind_display()),
        (gettext_lazy("银行"), "bank.short_name"), (gettext_lazy("网点"), "branch.name"),
        (gettext_lazy("结对日期"), "started_on"), (gettext_lazy("结束日期"), "ended_on"),
        (gettext_lazy("共建活动"), "activity_count"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        context.update({
            "ns": URL_NAMESPACE,
            "today": today,
            "can_change": can(user, CoBuildingPair, CHANGE),
            "can_change_exchanges": can(user, CadreExchange, CHANGE),
            "by_bank": selectors.pairs_by_bank(user=user, today=today),
            "by_direction": selectors.exchanges_by_direction(user=user, today=today),
            "exchanges_not_over": selectors.exchanges_not_over(user=user, today=today),
            "exchanges_past": selectors.exchanges_past(user=user, today=today),
        })
        return context


class PairDetailView(CoBuildingMixin, View):
    def get(self, request, pk, activity_form=None, end_form=None):
        pair = selectors.access_pair(user=request.user, pk=pk)
        return self.render("pair_detail.html", {
            "pair": pair,
            "activities": selectors.pair_activities(pair),
            "history": selectors.pair_history(pair, user=request.user),
            "today": timezone.localdate(),
            "activity_form": activity_form or ActivityForm(),
            "end_form": end_form or EndForm(),
        }, status=400 if activity_form is not None or end_form is not None else 200)


class PairCreateView(CoBuildingMixin, View):
    required_action = CHANGE

    def get(self, request):
        return self.render("pair_form.html", {"form": PairForm()})

    def post(self, request):
        form = PairForm(request.POST)
        if form.is_valid():
            try:
                pair = services.pair_create(acting_user=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已建立结对：%(p)s") % {"p": pair})
                return redirect(url_name("cobuilding_pair_detail"), pk=pair.pk)
        return self.render("pair_form.html", {"form": form}, status=400)


class PairEndView(CoBuildingMixin, View):
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        pair = selectors.access_pair(user=request.user, pk=pk, action=CHANGE)
        form = EndForm(request.POST)
        if form.is_valid():
            try:
                services.pair_end(acting_user=request.user, pair=pair, ended_on=form.cleaned_data["ended_on"])
            except DomainError as error:
                if not error.errors:  # already ended (say, from a page opened before): no form to show it at
                    messages.error(request, error.message)
                    return redirect(url_name("cobuilding_pair_detail"), pk=pair.pk)
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已结束结对：%(p)s") % {"p": pair})
                return redirect(url_name("cobuilding_pair_detail"), pk=pair.pk)
        return PairDetailView(request=request).get(request, pk, end_form=form)


class ActivityAddView(CoBuildingMixin, View):
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        pair = selectors.access_pair(user=request.user, pk=pk, action=CHANGE)
        form = ActivityForm(request.POST)
        if form.is_valid():
            try:
                activity = services.activity_add(acting_user=request.user, pair=pair, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已记录共建活动：%(t)s") % {"t": activity.title})
                return redirect(url_name("cobuilding_pair_detail"), pk=pair.pk)
        return PairDetailView(request=request).get(request, pk, activity_form=form)


class ExchangeCreateView(CoBuildingMixin, View):
    model = CadreExchange
    required_action = CHANGE

    def get(self, request):
        return self.render("exchange_form.html", {"form": ExchangeForm()})

    def post(self, request):
        form = ExchangeForm(request.POST)
        if form.is_valid():
            try:
                exchange = services.exchange_create(acting_user=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已登记干部互派互挂：%(n)s") % {"n": exchange.person_name})
                return redirect(url_name("cobuilding_overview"))
        return self.render("exchange_form.html", {"form": form}, status=400)
