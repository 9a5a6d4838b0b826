"""What every list of cases with a due date offers, for the HTML page and the API alike: the cases
overdue or due within two working days, and the order by due date."""

import datetime

import django_filters
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .calendar import add_working_days
from .limits import SOON_DAYS

OVERDUE, SOON = "overdue", "soon"
DUE_CHOICES = [(OVERDUE, _("已超期")), (SOON, _("2 个工作日内到期"))]
SORT_CHOICES = [("due", _("期限（最早在前）")), ("-due", _("期限（最晚在前）"))]


def overdue_q(today: datetime.date) -> Q:
    """Still waiting on someone (a due date is set only then) and past it: the due date itself is in time."""
    return Q(due_on__lt=today)


def due_soon_q(today: datetime.date) -> Q:
    return Q(due_on__gte=today, due_on__lte=add_working_days(today, SOON_DAYS))


class DueFilterSet(django_filters.FilterSet):
    """Mixed into a case list's FilterSet (its model has `due_on`)."""

    due = django_filters.ChoiceFilter(label=_("期限"), choices=DUE_CHOICES, empty_label=_("全部"), method="by_due")
    sort = django_filters.ChoiceFilter(label=_("排序"), choices=SORT_CHOICES, empty_label=_("默认"),
                                       method="sort_by_due")

    def by_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == OVERDUE:
            return queryset.filter(overdue_q(today))
        if value == SOON:
            return queryset.filter(due_soon_q(today))
        return queryset

    def sort_by_due(self, queryset, name, value):
        if value == "due":
            return queryset.order_by(F("due_on").asc(nulls_last=True), "pk")
        if value == "-due":
            return queryset.order_by(F("due_on").desc(nulls_last=True), "-pk")
        return queryset
