"""One FilterSet per list serves the HTML page and the API alike (see portal/filtersets.py)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.filter_scopes import ScopedChoicesMixin
from portal.models import Institution, Region
from portal.rules import clean_text

from .choices import ProductCategory, QuoteChannel, QuoteStatus
from .models import InsuranceProduct, Policy, Quote

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STAR_CHOICES = [(5, _("五星")), (4, _("四星")), (3, _("三星")), (2, _("二星")), (1, _("一星"))]


def _insurers():
    return Institution.objects.filter(kind="insurer").order_by("code")


def _search(queryset, prefix, value):
    value = clean_text(value)
    if not value:
        return queryset
    return queryset.filter(Q(**{f"{prefix}name__icontains": value}) | Q(**{f"{prefix}uscc__istartswith": value.upper()}))


class QuoteFilterSet(ScopedChoicesMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=QuoteStatus.choices, empty_label=_("全部"))
    insurer = django_filters.ModelChoiceFilter(label=_("保险公司"), queryset=_insurers(), empty_label=_("全部"))
    category = django_filters.ChoiceFilter(label=_("险种"), field_name="product__category",
                                           choices=ProductCategory.choices, empty_label=_("全部"))
    channel = django_filters.ChoiceFilter(label=_("报价渠道"), choices=QuoteChannel.choices, empty_label=_("全部"))
    stars = django_filters.ChoiceFilter(label=_("星级"), choices=STAR_CHOICES, empty_label=_("全部"))
    quoted_from = django_filters.DateFilter(label=_("报价日期起"), field_name="quoted_on", lookup_expr="gte",
                                            widget=DATE)
    quoted_to = django_filters.DateFilter(label=_("报价日期止"), field_name="quoted_on", lookup_expr="lte",
                                          widget=DATE)

    class Meta:
        model = Quote
        fields = ["q", "status", "insurer", "category", "channel", "stars", "quoted_from", "quoted_to"]

    def search(self, queryset, name, value):
        return _search(queryset, "enterprise__", value)


class PolicyFilterSet(ScopedChoicesMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业、信用代码或保单号"), method="search")
    insurer = django_filters.ModelChoiceFilter(label=_("保险公司"), queryset=_insurers(), empty_label=_("全部"))
    category = django_filters.ChoiceFilter(label=_("险种"), field_name="quote__product__category",
                                           choices=ProductCategory.choices, empty_label=_("全部"))
    in_force_on = django_filters.DateFilter(label=_("某日在保"), method="in_force", widget=DATE)
    # The leaders' dashboard links here with its period and region (reports.figures.links).
    issued_from = django_filters.DateFilter(label=_("出单日期起"), field_name="issued_at", lookup_expr="date__gte",
                                            widget=DATE)
    issued_to = django_filters.DateFilter(label=_("出单日期止"), field_name="issued_at", lookup_expr="date__lte",
                                          widget=DATE)
    region = django_filters.ModelChoiceFilter(label=_("区划（含下级）"), queryset=Region.objects.exclude(level="village"),
                                              field_name="quote__enterprise__region", method="within_region",
                                              empty_label=_("全部"))

    class Meta:
        model = Policy
        fields = ["q", "insurer", "category", "in_force_on", "issued_from", "issued_to", "region"]

    def within_region(self, queryset, name, value):
        return queryset.filter(quote__enterprise__region__code__startswith=value.prefix) if value else queryset

    def search(self, queryset, name, value):
        value = clean_text(value)
        if not value:
            return queryset
        return _search(queryset, "quote__enterprise__", value) | queryset.filter(policy_number__iexact=value)

    def in_force(self, queryset, name, value):
        return queryset.filter(starts_on__lte=value, ends_on__gte=value) if value else queryset


class ProductFilterSet(django_filters.FilterSet):
    insurer = django_filters.ModelChoiceFilter(label=_("保险公司"), queryset=_insurers(), empty_label=_("全部"))
    category = django_filters.ChoiceFilter(label=_("险种"), choices=ProductCategory.choices, empty_label=_("全部"))

    class Meta:
        model = InsuranceProduct
        fields = ["insurer", "category"]
