"""One FilterSet per list, for the HTML page and the API alike."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.filter_scopes import ScopedChoicesMixin
from portal.models import Enterprise, Institution, Region
from portal.rules import clean_text
from workflow.filtersets import DueFilterSet

from .choices import Channel, LoanStatus
from .models import LoanApplication

STAGES = {"pending": (LoanStatus.SUBMITTED, LoanStatus.ACCEPTED), "outstanding": (LoanStatus.APPROVED, LoanStatus.DISBURSED)}
STAGE_CHOICES = [("pending", _("在途（已提交或银行已受理）")), ("outstanding", _("占用额度（已审批或已放款）"))]


def _towns_and_city():
    from portal.models import Region

    return Region.objects.exclude(level="village")


class LoanApplicationFilterSet(ScopedChoicesMixin, DueFilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=LoanStatus.choices, empty_label=_("全部"))
    bank = django_filters.ModelChoiceFilter(label=_("银行"), queryset=Institution.objects.filter(kind="bank"),
                                            empty_label=_("全部"))
    channel = django_filters.ChoiceFilter(label=_("申请渠道"), choices=Channel.choices, empty_label=_("全部"))
    since = django_filters.DateFilter(label=_("提交日期起"), field_name="submitted_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("提交日期止"), field_name="submitted_at", lookup_expr="date__lte")
    # The leaders' dashboard links here with the filters of the figure clicked (reports.figures.links).
    stage = django_filters.ChoiceFilter(label=_("办理阶段"), choices=STAGE_CHOICES, empty_label=_("全部"),
                                        method="by_stage")
    approved_from = django_filters.DateFilter(label=_("审批日期起"), method="approved_between")
    approved_to = django_filters.DateFilter(label=_("审批日期止"), method="approved_between")
    region = django_filters.ModelChoiceFilter(label=_("区划（含下级）"), queryset=_towns_and_city(),
                                              field_name="enterprise__region", method="within_region",
                                              empty_label=_("全部"))

    class Meta:
        model = LoanApplication
        fields = ["q", "status", "bank", "channel", "since", "until", "stage", "approved_from", "approved_to",
                  "region"]

    def by_stage(self, queryset, name, value):
        return queryset.filter(status__in=STAGES[value]) if value else queryset

    def approved_between(self, queryset, name, value):
        """Approved (the approve step) within the dates given; both dates are read at once."""
        from .choices import LoanAction
        from .models import LoanEvent

        data = self.form.cleaned_data
        start, end = data.get("approved_from"), data.get("approved_to")
        if name == "approved_to" and start is not None:
            return queryset  # already applied with approved_from
        events = LoanEvent.objects.filter(action=LoanAction.APPROVE)
        if start is not None:
            events = events.filter(at__date__gte=start)
        if end is not None:
            events = events.filter(at__date__lte=end)
        return queryset.filter(pk__in=events.values("application_id"))

    def within_region(self, queryset, name, value):
        return queryset.filter(enterprise__region__code__startswith=value.prefix) if value else queryset

    def search(self, queryset, name, value):
        value = clean_text(value)
        if not value:
            return queryset
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc__istartswith=value.upper()))



STAR_CHOICES = [("5", _("五星")), ("4", _("四星")), ("3", _("三星")), ("2", _("二星")), ("1", _("一星")),
                ("none", _("无有效星级"))]
NOT_APPLIED, UNDER_WAY = "none", "open"
APPLICATION_CHOICES = [(NOT_APPLIED, _("尚未申请")), (UNDER_WAY, _("办理中（已提交或已受理）")), *LoanStatus.choices]
SORT_CHOICES = [("stars", _("星级从高到低")), ("available", _("可用额度从高到低")), ("name", _("企业名称"))]
DEFAULT_ORDER = ("desk_rank", F("stars_now").desc(nulls_last=True), F("available_now").desc(nulls_last=True),
                 "name", "pk")


class RegionChoiceFilter(django_filters.ModelChoiceFilter):
    """A town or a village of the station's area: the enterprises registered in it or below it."""

    def filter(self, queryset, value):
        return queryset.filter(region__code__startswith=value.prefix) if value else queryset


class StationDeskFilterSet(django_filters.FilterSet):
    """The station desk's filters over the enterprises of its area, annotated by
    `selectors.desk_annotate`. `towns` and `villages` are the area's own: a choice outside it is
    refused like any invalid choice. Sorted most actionable first unless asked otherwise."""

    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    stars = django_filters.ChoiceFilter(label=_("星级"), choices=STAR_CHOICES, empty_label=_("全部"),
                                        method="by_stars")
    town = RegionChoiceFilter(label=_("镇（街道）"), queryset=Region.objects.none(), empty_label=_("全部"))
    village = RegionChoiceFilter(label=_("村（社区）"), queryset=Region.objects.none(), empty_label=_("全部"))
    application = django_filters.ChoiceFilter(label=_("贷款申请"), choices=APPLICATION_CHOICES, empty_label=_("全部"),
                                              method="by_application")
    sort = django_filters.ChoiceFilter(label=_("排序"), choices=SORT_CHOICES, empty_label=_("可办理的优先"),
                                       method="sort_by")

    class Meta:
        model = Enterprise
        fields = ["q", "stars", "town", "village", "application", "sort"]

    def __init__(self, data=None, queryset=None, *, towns, villages, **kwargs):
        super().__init__(data, queryset.order_by(*DEFAULT_ORDER), **kwargs)
        self.filters["town"].queryset = towns
        self.filters["village"].queryset = villages
        self.filters["village"].field.label_from_instance = (
            lambda v: f"{v.parent.name} · {v.name}" if v.parent_id else v.name)

    def search(self, queryset, name, value):
        value = clean_text(value)
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(uscc__istartswith=value.upper()))

    def by_stars(self, queryset, name, value):
        if value == "none":
            return queryset.filter(stars_now__isnull=True)
        return queryset.filter(stars_now=int(value))

    def by_application(self, queryset, name, value):
        if value == NOT_APPLIED:
            return queryset.filter(has_applied=False)
        if value == UNDER_WAY:
            return queryset.filter(has_open=True)
        return queryset.filter(pk__in=LoanApplication.objects.filter(status=value).values("enterprise_id"))

    def sort_by(self, queryset, name, value):
        if value == "stars":
            return queryset.order_by(F("stars_now").desc(nulls_last=True), "desk_rank", "name", "pk")
        if value == "available":
            return queryset.order_by(F("available_now").desc(nulls_last=True), "desk_rank", "name", "pk")
        return queryset.order_by("name", "pk")
