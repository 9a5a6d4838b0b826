"""FilterSets of the pairings part, shared by the HTML lists and the API.

Cadres and enterprises are filtered by id (a number), not by a choice among all rows: a choice would
refuse an id outside the list and so tell a user that such a row exists."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.filtersets import yes_no_filter
from portal.rules import clean_text

from ..choices import CadreLevel, ContactKind, PairingKind
from ..models import Cadre, Pairing, Visit
from ..rules import pairings as rules

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CadreFilterSet(django_filters.FilterSet):
    """Over `selectors.cadre_list`, whose rows carry the counts and `range_state`."""

    q = django_filters.CharFilter(label=_("姓名、职务或单位"), method="search")
    level = django_filters.ChoiceFilter(label=_("干部层级"), choices=CadreLevel.choices, empty_label=_("全部"))
    range_state = django_filters.ChoiceFilter(label=_("结对数量"), choices=rules.RANGE_STATES, method="in_state",
                                              empty_label=_("全部"),
                                              help_text=_("只考核县级领导干部：各联系重点民企、企业家 1 至 3 个。"))
    is_active = yes_no_filter(_("在岗"))

    class Meta:
        model = Cadre
        fields = ["q", "level", "range_state", "is_active"]

    def search(self, queryset, name, value):
        value = clean_text(value)
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(post__icontains=value) | Q(unit__icontains=value))

    def in_state(self, queryset, name, value):
        # "under" and "over" each look at either kind, so a cadre short of entrepreneurs but with four
        # enterprises answers to both.
        from ..selectors.pairings import over_q, under_q

        if value == rules.UNDER:
            return queryset.filter(under_q())
        if value == rules.OVER:
            return queryset.filter(over_q())
        if value == rules.OK:
            return queryset.filter(level=CadreLevel.COUNTY).exclude(under_q()).exclude(over_q())
        return queryset


def _current(queryset, name, value):
    if value is None:
        return queryset
    return queryset.filter(ended_on__isnull=value)


class PairingFilterSet(django_filters.FilterSet):
    cadre = django_filters.NumberFilter(label=_("联系领导编号"), field_name="cadre_id")
    kind = django_filters.ChoiceFilter(label=_("联系对象"), choices=PairingKind.choices, empty_label=_("全部"))
    current = yes_no_filter(_("当前结对"), method=_current)
    enterprise = django_filters.NumberFilter(label=_("企业编号"), field_name="enterprise_id")
    q = django_filters.CharFilter(label=_("领导、企业或企业家"), method="search")

    class Meta:
        model = Pairing
        fields = ["cadre", "kind", "current", "enterprise", "q"]

    def search(self, queryset, name, value):
        value = clean_text(value)
        if not value:
            return queryset
        return queryset.filter(Q(cadre__name__icontains=value) | Q(enterprise__name__icontains=value)
                               | Q(person__name__icontains=value))


class VisitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("领导、企业或内容"), method="search")
    cadre = django_filters.NumberFilter(label=_("联系领导编号"), field_name="cadre_id", widget=forms.HiddenInput)
    enterprise = django_filters.NumberFilter(label=_("企业编号"), field_name="enterprise_id",
                                             widget=forms.HiddenInput)
    kind = django_filters.ChoiceFilter(label=_("联系方式"), choices=ContactKind.choices, empty_label=_("全部"))
    since = django_filters.DateFilter(label=_("起始日期"), field_name="visited_on", lookup_expr="gte", widget=DATE)
    until = django_filters.DateFilter(label=_("截止日期"), field_name="visited_on", lookup_expr="lte", widget=DATE)

    class Meta:
        model = Visit
        fields = ["q", "cadre", "enterprise", "kind", "since", "until"]

    def search(self, queryset, name, value):
        value = clean_text(value)
        if not value:
            return queryset
        return queryset.filter(Q(cadre__name__icontains=value) | Q(enterprise__name__icontains=value)
                               | Q(discussed__icontains=value) | Q(follow_ups__icontains=value))

