"""Forms of the co-building pages: they parse input; the services decide (and say what is wrong at
each field). The pairing list's FilterSet lives here too, beside the forms, until co-building joins
finance's own filtersets module."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.choices import InstitutionKind, RegionLevel
from portal.filtersets import yes_no_filter
from portal.forms import BootstrapMixin
from portal.models import Branch, Institution, Park, Region

from .choices import ExchangeDirection
from .models import CoBuildingPair
from .selectors_cobuilding import current_q
from .services.cobuilding import (
    BANK_REQUIRED,
    NAME_REQUIRED,
    ORGAN_REQUIRED,
    POST_REQUIRED,
    TITLE_REQUIRED,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PARTNER_KINDS = [("park", _("园区")), ("village", _("村（社区）"))]


def _banks():
    return Institution.objects.filter(kind=InstitutionKind.BANK).order_by("code")


class BankField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("银行"))
        super().__init__(queryset=_banks(), error_messages={"required": BANK_REQUIRED,
                                                            "invalid_choice": _("请选择一家参与的银行。")}, **kwargs)


class BranchField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.institution.short_name} · {obj.name}"


class VillageField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name if obj.parent_id else ''} · {obj.name}"


class PairFilterSet(django_filters.FilterSet):
    bank = django_filters.ModelChoiceFilter(label=_("银行"), queryset=_banks(), empty_label=_("全部"))
    partner = django_filters.ChoiceFilter(label=_("结对对象"), choices=PARTNER_KINDS, method="partner_kind",
                                          empty_label=_("全部"))
    current = yes_no_filter(_("当前结对"), method="current_only")

    class Meta:
        model = CoBuildingPair
        fields = ["bank", "partner", "current"]

    def partner_kind(self, queryset, name, value):
        if value == "park":
            return queryset.filter(park__isnull=False)
        if value == "village":
            return queryset.filter(region__isnull=False)
        return queryset

    def current_only(self, queryset, name, value):
        now = current_q(timezone.localdate())
        return queryset.filter(now) if value else queryset.exclude(now)


class PairForm(BootstrapMixin, forms.Form):
    bank = BankField()
    branch = BranchField(label=_("网点"), required=False, queryset=Branch.objects.none(), empty_label=_("（全行）"),
                         help_text=_("可选：具体承担结对的网点，须属于所选银行。"))
    park = forms.ModelChoiceField(label=_("结对园区"), required=False, queryset=Park.objects.none(),
                                  empty_label=_("（不是园区）"))
    region = VillageField(label=_("结对村（社区）"), required=False, queryset=Region.objects.none(),
                          empty_label=_("（不是村、社区）"), help_text=_("园区与村（社区）二选一。"),
                          error_messages={"invalid_choice": _("请选择一个村（社区）。")})
    started_on = forms.DateField(label=_("结对日期"), widget=DATE)
    note = forms.CharField(label=_("共建内容"), required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = (Branch.objects.filter(institution__kind=InstitutionKind.BANK)
                                          .select_related("institution").order_by("institution__code", "name"))
        self.fields["park"].queryset = Park.objects.order_by("code")
        self.fields["region"].queryset = (Region.objects.filter(level=RegionLevel.VILLAGE)
                                          .select_related("parent").order_by("code"))


class EndForm(BootstrapMixin, forms.Form):
    ended_on = forms.DateField(label=_("结束日期"), widget=DATE)


class ActivityForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label=_("活动日期"), widget=DATE)
    title = forms.CharField(label=_("活动名称"), max_length=120, error_messages={"required": TITLE_REQUIRED})
    participants = forms.IntegerField(label=_("参加人数"), initial=0)
    description = forms.CharField(label=_("活动内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ExchangeForm(BootstrapMixin, forms.Form):
    person_name = forms.CharField(label=_("姓名"), max_length=32, error_messages={"required": NAME_REQUIRED})
    direction = forms.ChoiceField(label=_("方向"), choices=ExchangeDirection.choices)
    organ = forms.CharField(label=_("机关单位"), max_length=100, error_messages={"required": ORGAN_REQUIRED})
    bank = BankField()
    post = forms.CharField(label=_("挂职岗位"), max_length=100, error_messages={"required": POST_REQUIRED})
    started_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ended_on = forms.DateField(label=_("结束日期"), widget=DATE, help_text=_("挂职期一般为一年。"))
