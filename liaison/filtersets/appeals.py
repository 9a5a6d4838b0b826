"""The appeal list's filters, shared by the HTML page and the API."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.context_processors import display_name
from portal.filtersets import year_filter, yes_no_filter
from portal.models import Region
from portal.rules import clean_text
from workflow.filtersets import DueFilterSet

from ..choices_appeals import AppealCategory, AppealChannel, AppealPlatform, AppealStatus
from ..models import Appeal, AppealEscalation, Department
from ..rules import appeals as appeal_rules
from ..rules.appeals import OPEN_STATUSES
from ..selectors.appeals import assignees_seen, overdue_q


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class AssigneeFilter(django_filters.ModelChoiceFilter):
    field_class = AssigneeField


class AppealFilterSet(DueFilterSet):
    q = django_filters.CharFilter(label=_("编号、标题或企业"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AppealStatus.choices, empty_label=_("全部"))
    category = django_filters.ChoiceFilter(label=_("诉求类别"), choices=AppealCategory.choices, empty_label=_("全部"))
    platform = django_filters.ChoiceFilter(label=_("直通平台"), choices=AppealPlatform.choices, empty_label=_("全部"))
    channel = django_filters.ChoiceFilter(label=_("反映渠道"), choices=AppealChannel.choices, empty_label=_("全部"))
    department = django_filters.ModelChoiceFilter(label=_("承办部门"), queryset=Department.objects.all(),
                                                  empty_label=_("全部"))
    open = yes_no_filter(_("在办"), method="filter_open")
    overdue = yes_no_filter(_("已超期"), method="filter_overdue")
    escalated = yes_no_filter(_("已督办"), method="filter_escalated")
    # The home page's counters link here: what waits for the enterprise's rating, what was escalated to
    # the signed-in cadre (liaison.selectors.appeals.escalations_to).
    to_rate = yes_no_filter(_("待评价"), method="filter_to_rate")
    escalated_to_me = yes_no_filter(_("督办给我"), method="filter_escalated_to_me")
    year = year_filter("received_at", label=_("受理年度"))
    # Only the people handling the appeals this reader sees (set in __init__): a town's staff is not
    # offered the assignees of the whole city.
    assignee = AssigneeFilter(label=_("承办人"), queryset=get_user_model().objects.none(), empty_label=_("全部"))
    # Set by links from an enterprise's page, not typed: hidden in the HTML form.
    enterprise = django_filters.NumberFilter(label=_("企业编号"), field_name="enterprise_id",
                                             widget=forms.HiddenInput)
    # The leaders' dashboard links here with its period and region (reports.figures.links).
    received_from = django_filters.DateFilter(label=_("受理日期起"), field_name="received_at", lookup_expr="date__gte",
                                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    received_to = django_filters.DateFilter(label=_("受理日期止"), field_name="received_at", lookup_expr="date__lte",
                                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    region = django_filters.ModelChoiceFilter(label=_("区划（含下级）"), queryset=Region.objects.exclude(level="village"),
                                              field_name="enterprise__region", method="within_region",
                                              empty_label=_("全部"))

    class Meta:
        model = Appeal
        fields = ["q", "status", "category", "platform", "channel", "department", "open", "overdue", "escalated",
                  "year", "enterprise", "received_from", "received_to", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["assignee"].queryset = assignees_seen(user=getattr(self.request, "user", None))

    def search(self, queryset, name, value):
        value = clean_text(value)
        if not value:
            return queryset
        return queryset.filter(Q(number__iexact=value) | Q(title__icontains=value)
                               | Q(enterprise__name__icontains=value) | Q(enterprise__uscc__istartswith=value.upper()))

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        q = Q(status__in=OPEN_STATUSES)
        return queryset.filter(q) if value else queryset.exclude(q)

    def within_region(self, queryset, name, value):
        return queryset.filter(enterprise__region__code__startswith=value.prefix) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_to_rate(self, queryset, name, value):
        if value is None:
            return queryset
        q = Q(status__in=appeal_rules.DONE_STATUSES, satisfaction__isnull=True)
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_escalated_to_me(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None:
            return queryset
        escalated = AppealEscalation.objects.filter(cadres__user=user).values("appeal_id")
        return queryset.filter(pk__in=escalated)

    def filter_escalated(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(escalation_level__gt=0) if value else queryset.filter(escalation_level=0)
