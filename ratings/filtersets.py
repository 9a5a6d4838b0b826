"""One FilterSet per list serves the HTML page and the API alike (see portal/filtersets.py)."""

import django_filters
from django import forms
from django.db.models import BooleanField, ExpressionWrapper
from django.utils.translation import gettext_lazy as _

from portal.filtersets import yes_no_filter
from portal.models import Region
from portal.rules import clean_text
from workflow.filtersets import DueFilterSet

from .choices import OrgKind, RatingStatus
from .models import Cycle, PartyOrganization, Rating
from .selectors import overdue_q

STAR_CHOICES = [(5, _("五星")), (4, _("四星")), (3, _("三星")), (2, _("二星")), (1, _("一星"))]
HIGH_STARS = 4


class IntegerFilter(django_filters.NumberFilter):
    """A whole number: NumberFilter's DecimalField would take 2025.5 and the database would round it."""

    field_class = forms.IntegerField


def _regions():
    return Region.objects.exclude(level="village")


class RatingFilterSet(DueFilterSet):
    q = django_filters.CharFilter(label=_("党组织名称"), method="search")
    cycle = django_filters.ModelChoiceFilter(label=_("评定周期"), queryset=Cycle.objects.all(), empty_label=_("全部"))
    year = IntegerFilter(label=_("年度"), field_name="cycle__year", min_value=1, max_value=32767)
    stars = django_filters.ChoiceFilter(label=_("星级"), choices=STAR_CHOICES, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RatingStatus.choices, empty_label=_("全部"))
    # `field_name` says what is filtered (and lets the API schema type it); the method widens it
    # to the region's sub-regions.
    region = django_filters.ModelChoiceFilter(
        label=_("区划（含下级）"), queryset=_regions(), field_name="organization__region", method="within_region",
        empty_label=_("全部"),
    )
    high = yes_no_filter(_("四星及以上"), method="four_stars_or_more")
    overdue = yes_no_filter(_("审核逾期"), method="filter_overdue")
    # What the leaders' dashboard counts (reports.figures): valid on a day, or published by a day and
    # not revoked by it (the 4★+5★ trend by cycle).
    valid_on = django_filters.DateFilter(label=_("某日有效"), method="valid_on_day",
                                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    published_by = django_filters.DateFilter(label=_("截至某日已命名"), method="published_by_day",
                                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    class Meta:
        model = Rating
        fields = ["q", "cycle", "year", "stars", "status", "region", "high", "valid_on", "published_by"]

    def published_by_day(self, queryset, name, value):
        return (queryset.filter(status__in=(RatingStatus.PUBLISHED, RatingStatus.REVOKED), valid_from__lte=value)
                .exclude(revoked_on__lte=value))

    def valid_on_day(self, queryset, name, value):
        return self.published_by_day(queryset, name, value).filter(valid_to__gte=value)

    def search(self, queryset, name, value):
        value = clean_text(value)
        return queryset.filter(organization__name__icontains=value) if value else queryset

    def within_region(self, queryset, name, value):
        return queryset.filter(organization__region__code__startswith=value.prefix) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        q = overdue_q()
        return (queryset.filter(q) if value else queryset.exclude(q)).annotate(
            is_overdue=ExpressionWrapper(q, output_field=BooleanField()))

    def four_stars_or_more(self, queryset, name, value):
        # `exclude` keeps the ratings with no stars yet (still in self-assessment, or vetoed).
        return queryset.filter(stars__gte=HIGH_STARS) if value else queryset.exclude(stars__gte=HIGH_STARS)


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称"), method="search")
    kind = django_filters.ChoiceFilter(label=_("组织类型"), choices=OrgKind.choices, empty_label=_("全部"))
    region = django_filters.ModelChoiceFilter(
        label=_("区划（含下级）"), queryset=_regions(), method="within_region", empty_label=_("全部")
    )
    active = yes_no_filter(_("存续中"), field_name="dissolved_on", lookup_expr="isnull")

    class Meta:
        model = PartyOrganization
        fields = ["q", "kind", "region", "active"]

    def search(self, queryset, name, value):
        value = clean_text(value)
        return queryset.filter(name__icontains=value) if value else queryset

    def within_region(self, queryset, name, value):
        return queryset.filter(region__code__startswith=value.prefix) if value else queryset
