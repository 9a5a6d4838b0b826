"""One FilterSet per list, for the HTML page and the API alike."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Institution
from portal.rules import clean_text

from .choices import Channel, LoanStatus
from .models import LoanApplication


class LoanApplicationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=LoanStatus.choices, empty_label=_("全部"))
    bank = django_filters.ModelChoiceFilter(label=_("银行"), queryset=Institution.objects.filter(kind="bank"),
                                            empty_label=_("全部"))
    channel = django_filters.ChoiceFilter(label=_("申请渠道"), choices=Channel.choices, empty_label=_("全部"))
    since = django_filters.DateFilter(label=_("提交日期起"), field_name="submitted_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("提交日期止"), field_name="submitted_at", lookup_expr="date__lte")

    class Meta:
        model = LoanApplication
        fields = ["q", "status", "bank", "channel", "since", "until"]

    def search(self, queryset, name, value):
        value = clean_text(value)
        if not value:
            return queryset
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc__istartswith=value.upper()))

