"""One FilterSet per list serves the HTML page and the API alike."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import EnterpriseKind, Industry, StationHost, StationLevel
from .models import AuditLog, Enterprise, Park, Person, Region, ServiceStation
from .rules import clean_text

YES_NO = [("true", _("是")), ("false", _("否"))]


class YearFilter(django_filters.NumberFilter):
    # A whole year: the date lookup needs an int, and "2024.5" is refused at the field.
    field_class = forms.IntegerField


def year_filter(field: str, label=None):
    """A year between 1990 and 2100: `?year=0` or `?year=99999` is refused at the field (a 400 in the
    API), never handed to the database's date lookup, where year 0 does not exist."""
    return YearFilter(label=label or _("年度"), field_name=field, lookup_expr="year", min_value=1990, max_value=2100)


def yes_no_filter(label, **kwargs):
    return django_filters.BooleanFilter(
        label=label, widget=forms.Select(choices=[("", _("全部"))] + YES_NO), **kwargs
    )


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或信用代码"), method="search")
    kind = django_filters.ChoiceFilter(label=_("主体类型"), choices=EnterpriseKind.choices, empty_label=_("全部"))
    industry = django_filters.ChoiceFilter(label=_("行业门类"), choices=Industry.choices, empty_label=_("全部"))
    region = django_filters.ModelChoiceFilter(
        label=_("区划（含下级）"), queryset=Region.objects.exclude(level="village"), method="within_region", empty_label=_("全部")
    )
    park = django_filters.ModelChoiceFilter(label=_("园区"), queryset=Park.objects.all(), empty_label=_("全部"))
    is_key = yes_no_filter(_("重点民企"))

    class Meta:
        model = Enterprise
        fields = ["q", "kind", "industry", "region", "park", "is_key"]

    def search(self, queryset, name, value):
        value = clean_text(value)
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(uscc__istartswith=value.upper()))

    def within_region(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(region__code__startswith=value.prefix)


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("姓名"), field_name="name", lookup_expr="icontains")
    is_new_generation = yes_no_filter(_("新生代企业家"))

    class Meta:
        model = Person
        fields = ["q", "is_new_generation"]


class StationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或编号"), method="search")
    level = django_filters.ChoiceFilter(label=_("层级"), choices=StationLevel.choices, empty_label=_("全部"))
    host = django_filters.ChoiceFilter(label=_("设立地点"), choices=StationHost.choices, empty_label=_("全部"))
    region = django_filters.ModelChoiceFilter(
        label=_("区划（含下级）"), queryset=Region.objects.exclude(level="village"), method="within_region", empty_label=_("全部")
    )

    class Meta:
        model = ServiceStation
        fields = ["q", "level", "host", "region"]

    def search(self, queryset, name, value):
        value = clean_text(value)
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value)) if value else queryset

    def within_region(self, queryset, name, value):
        return queryset.filter(region__code__startswith=value.prefix) if value else queryset


class RegionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或代码"), method="search")
    level = django_filters.ChoiceFilter(label=_("层级"), choices=Region._meta.get_field("level").choices, empty_label=_("全部"))
    parent = django_filters.ModelChoiceFilter(label=_("上级"), queryset=Region.objects.exclude(level="village"), empty_label=_("全部"))

    class Meta:
        model = Region
        fields = ["q", "level", "parent"]

    def search(self, queryset, name, value):
        value = clean_text(value)
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value)) if value else queryset


class AuditLogFilterSet(django_filters.FilterSet):
    actor_name = django_filters.CharFilter(label=_("操作人账号"), lookup_expr="iexact")
    action = django_filters.CharFilter(label=_("操作"), lookup_expr="istartswith")
    object_type = django_filters.CharFilter(label=_("对象类型"))
    object_id = django_filters.CharFilter(label=_("对象编号"))
    since = django_filters.DateFilter(label=_("起始日期"), field_name="at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("截止日期"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditLog
        fields = ["actor_name", "action", "object_type", "object_id", "since", "until"]


# --- choices limited to what the reader may see ---------------------------------------------------

def regions_for_filter(user):
    """The regions a user's region filters offer: a town's staff, and the operator of a town's or a
    village's station, its own area with its villages; whoever reads the whole city, its towns and
    streets (without the city's hundreds of villages)."""
    from .access import user_assignments
    from .choices import Role

    areas = []
    for assignment in user_assignments(user):
        if assignment.role == Role.TOWN_STAFF and assignment.region_id:
            areas.append(assignment.region)
        elif assignment.role == Role.STATION_OPERATOR and assignment.station_id and not assignment.station.park_id:
            areas.append(assignment.station.region)
        else:
            return Region.objects.exclude(level="village").order_by("code")
    if not areas:
        return Region.objects.exclude(level="village").order_by("code")
    within = Q(pk__in=[])
    for region in areas:
        within |= Q(code__startswith=region.prefix)
    return Region.objects.filter(within).order_by("code")


def scope_filter_choices(filterset, user) -> None:
    """Narrow the region choices of a list's filters to the reader's own area (before its form is
    built): a town's staff is not offered every town of the city. A region outside is then refused
    like any invalid choice."""
    for item in filterset.filters.values():
        if isinstance(item, django_filters.ModelChoiceFilter) and getattr(item.queryset, "model", None) is Region:
            item.queryset = regions_for_filter(user)
