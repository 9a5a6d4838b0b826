"""The policy package's items: everyone in the programme reads them, the organization department
keeps them."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views import View

from portal import exports
from portal.access import CHANGE, can
from portal.views.base import FilteredListView, RoleRequiredMixin

from .. import selectors, services
from ..choices import BenefitStatus
from ..filtersets import PolicyItemFilterSet
from ..forms import PolicyItemForm
from ..models import PolicyItem
from .common import RecordFormView


class PolicyItemListView(FilteredListView):
    model = PolicyItem
    filterset_class = PolicyItemFilterSet
    selector = staticmethod(selectors.policy_item_list)
    template_name = "talent/policy_item_list.html"
    export_name = gettext_lazy("人才政策项目")
    export_columns = [
        (gettext_lazy("类别"), "get_category_display"), (gettext_lazy("项目名称"), "name"),
        (gettext_lazy("适用人才类别"), "levels_display"), (gettext_lazy("标准金额（元）"), "amount"),
        (gettext_lazy("申请条件"), "conditions"),
        (gettext_lazy("状态"), exports.flag("is_active", gettext_lazy("受理中"), gettext_lazy("停止受理"))),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can(self.request.user, PolicyItem, CHANGE)
        return context


class PolicyItemDetailView(RoleRequiredMixin, View):
    model = PolicyItem

    def get(self, request, pk):
        item = selectors.access_policy_item(user=request.user, pk=pk)
        # Counts of the applications the reader may see, not the whole city's.
        counts = selectors.benefit_application_list(user=request.user).filter(item=item).aggregate(
            pending=Count("pk", filter=Q(status=BenefitStatus.PENDING)),
            approved=Count("pk", filter=Q(status=BenefitStatus.APPROVED)))
        return render(request, "talent/policy_item_detail.html", {
            "item": item, "counts": counts, "can_change": can(request.user, PolicyItem, CHANGE),
        })


class PolicyItemFormView(RecordFormView):
    model = PolicyItem
    form_class = PolicyItemForm
    list_url_name = "talent:policy_item_list"
    detail_url_name = "talent:policy_item_detail"
    list_label = PolicyItem._meta.verbose_name_plural

    def access(self, request, pk):
        return selectors.access_policy_item(user=request.user, pk=pk, action=CHANGE)

    def form_kwargs(self, request, instance):
        return {}

    def initial(self, item):
        return {"name": item.name, "category": item.category, "conditions": item.conditions,
                "levels": list(item.levels), "amount": "" if item.amount is None else item.amount,
                "is_active": item.is_active}

    def save(self, request, item, form):
        values = {f: form.cleaned_data[f] for f in PolicyItemForm.FIELDS}
        if item is None:
            return services.policy_item_create(acting_user=request.user, **values)
        return services.policy_item_update(acting_user=request.user, item=item, **values)
