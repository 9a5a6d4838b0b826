import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import ReportKind, ReportState
from .models import Report


class ReportFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=ReportKind.choices)
    state = django_filters.ChoiceFilter(label=_("状态"), choices=ReportState.choices)

    class Meta:
        model = Report
        fields = ["kind", "state"]
