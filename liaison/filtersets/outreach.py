"""Filtersets of outreach: one per list, shared by the HTML page and any API that comes later."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.filtersets import year_filter, yes_no_filter
from portal.rules import clean_text

from ..models import CareActivity, Consultation, Lawyer, MentoringPair, PolicyNotice
from ..rules.outreach import (
    CareKind,
    ConsultationCategory,
    ConsultationChannel,
    ConsultationStatus,
    MentorKind,
    NoticeAudience,
    NoticeStatus,
)


def _current_q(today):
    return Q(resident_since__lte=today, is_active=True) & (Q(resident_until__isnull=True)
                                                           | Q(resident_until__gte=today))


class LawyerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("姓名或律师事务所"), method="search")
    on_duty = yes_no_filter(_("当前常驻"), method="on_duty_only")

    class Meta:
        model = Lawyer
        fields = ["q", "on_duty"]

    def search(self, queryset, name, value):
        value = clean_text(value)
        return queryset.filter(Q(name__icontains=value) | Q(law_firm__icontains=value)) if value else queryset

    def on_duty_only(self, queryset, name, value):
        now = _current_q(timezone.localdate())
        return queryset.filter(now) if value else queryset.exclude(now)


class ConsultationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    category = django_filters.ChoiceFilter(label=_("类别"), choices=ConsultationCategory.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ConsultationStatus.choices, empty_label=_("全部"))
    channel = django_filters.ChoiceFilter(label=_("方式"), choices=ConsultationChannel.choices, empty_label=_("全部"))
    lawyer = django_filters.ModelChoiceFilter(label=_("律师"), queryset=Lawyer.objects.all(), empty_label=_("全部"))
    since = django_filters.DateFilter(label=_("咨询日期起"), field_name="consulted_on", lookup_expr="gte")
    until = django_filters.DateFilter(label=_("咨询日期止"), field_name="consulted_on", lookup_expr="lte")

    class Meta:
        model = Consultation
        fields = ["q", "category", "status", "channel", "lawyer", "since", "until"]

    def search(self, queryset, name, value):
        value = clean_text(value)
        if not value:
            return queryset
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc__istartswith=value.upper()))


class NoticeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("标题"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=NoticeStatus.choices, empty_label=_("全部"))
    audience = django_filters.ChoiceFilter(label=_("推送范围"), choices=NoticeAudience.choices, empty_label=_("全部"))

    class Meta:
        model = PolicyNotice
        fields = ["q", "status", "audience"]


class CareActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("活动名称"), field_name="title", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=CareKind.choices, empty_label=_("全部"))
    year = year_filter("held_on")

    class Meta:
        model = CareActivity
        fields = ["q", "kind", "year"]


class MentoringFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("导师或新生代企业家姓名"), method="search")
    mentor_kind = django_filters.ChoiceFilter(label=_("导师类型"), choices=MentorKind.choices, empty_label=_("全部"))
    current = yes_no_filter(_("进行中"), method="current_only")

    class Meta:
        model = MentoringPair
        fields = ["q", "mentor_kind", "current"]

    def search(self, queryset, name, value):
        value = clean_text(value)
        if not value:
            return queryset
        return queryset.filter(Q(mentor_person__name__icontains=value) | Q(mentor_name__icontains=value)
                               | Q(mentee__name__icontains=value))

    def current_only(self, queryset, name, value):
        return queryset.filter(ended_on__isnull=value)
