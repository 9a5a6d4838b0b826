"""Products and discount tables: the organization department keeps them, everyone reads them."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal import exports
from portal.access import CHANGE, can
from portal.errors import DomainError
from portal.views.base import ExportMixin, FilteredListView, RoleRequiredMixin, apply_domain_error

from .. import rules, selectors, services
from ..filtersets import ProductFilterSet
from ..forms import DiscountTableForm, ProductForm
from ..models import DiscountTable, InsuranceProduct


class ProductListView(FilteredListView):
    """The products, and what each star level is worth under the table in force today."""

    model = InsuranceProduct
    filterset_class = ProductFilterSet
    selector = staticmethod(selectors.product_list)
    template_name = "insurance/product_list.html"
    export_name = gettext_lazy("保险产品")
    export_columns = [
        (gettext_lazy("保险公司"), "insurer.short_name"), (gettext_lazy("险种"), "get_category_display"),
        (gettext_lazy("产品名称"), "name"), (gettext_lazy("说明"), "description"),
        (gettext_lazy("状态"), exports.flag("is_active", gettext_lazy("在售"), gettext_lazy("停售"))),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = selectors.discount_table_in_force()
        context.update({
            "can_add": can(self.request.user, InsuranceProduct, CHANGE),
            "table": table,
            "rates": sorted(table.rates().items(), reverse=True) if table else [],
        })
        return context


class ProductFormView(RoleRequiredMixin, View):
    model = InsuranceProduct
    required_action = CHANGE

    def _render(self, request, form, product, status=200):
        return render(request, "insurance/product_form.html", {"form": form, "product": product}, status=status)

    def get(self, request, pk=None):
        product = selectors.access_product(user=request.user, pk=pk, action=CHANGE) if pk else None
        initial = {f: getattr(product, f) for f in ProductForm.FIELDS} if product else None
        return self._render(request, ProductForm(initial=initial), product)

    def post(self, request, pk=None):
        product = selectors.access_product(user=request.user, pk=pk, action=CHANGE) if pk else None
        form = ProductForm(request.POST)
        if form.is_valid():
            values = {f: form.cleaned_data[f] for f in ProductForm.FIELDS}
            try:
                if product is None:
                    product = services.product_create(acting_user=request.user, **values)
                else:
                    product = services.product_update(acting_user=request.user, product=product, **values)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已保存：%(p)s") % {"p": product})
                return redirect("insurance:product_list")
        return self._render(request, form, product, status=400)


def _rate_column(stars):
    header = lazy(lambda: _("%(n)d 星（%%）") % {"n": stars}, str)()  # translated when the file is written
    return (header, lambda table: table.rates().get(stars))


class DiscountTableListView(RoleRequiredMixin, ExportMixin, View):
    model = DiscountTable
    export_name = gettext_lazy("保费优惠标准")
    export_columns = [
        (gettext_lazy("生效日期"), "effective_from"),
        *(_rate_column(stars) for stars in reversed(rules.STARS)),
        (gettext_lazy("依据"), "note"), (gettext_lazy("创建人"), "created_by.get_full_name"),
    ]

    def get_export_queryset(self):
        return selectors.discount_table_list(user=self.request.user)

    def get(self, request):
        tables = list(self.get_export_queryset())
        in_force = selectors.discount_table_in_force()
        today = timezone.localdate()
        stars = list(reversed(rules.STARS))
        rows = [{"table": t, "cells": [t.rates().get(s) for s in stars],
                 "in_force": in_force is not None and t.pk == in_force.pk, "future": t.effective_from > today}
                for t in tables]
        return render(request, "insurance/discount_table_list.html", {
            "rows": rows, "stars": stars, "can_add": can(request.user, DiscountTable, CHANGE), **self.export_context(),
        })


class DiscountTableCreateView(RoleRequiredMixin, View):
    model = DiscountTable
    required_action = CHANGE

    def get(self, request):
        return render(request, "insurance/discount_table_form.html", {"form": DiscountTableForm()})

    def post(self, request):
        form = DiscountTableForm(request.POST)
        if form.is_valid():
            try:
                table = services.discount_table_create(
                    acting_user=request.user, effective_from=form.cleaned_data["effective_from"],
                    rates=form.rates(), note=form.cleaned_data["note"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已创建：%(t)s") % {"t": table})
                return redirect("insurance:discount_table_list")
        return render(request, "insurance/discount_table_form.html", {"form": form}, status=400)
