"""Forms of the pairings part: they parse input; the services decide, and say what is wrong at each
field. An enterprise is given by its credit code and a person by number, since a city's key
enterprises and entrepreneurs are too many for a drop-down (the coverage page lists the codes of the
key enterprises still without a leader)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import display_name
from portal.forms import BootstrapMixin, EnterpriseByCodeField, PersonByNumberField
from portal.models import Enterprise, Person

from ..choices import CadreLevel, ContactKind, PairingKind
from ..models import Cadre, cadre_enterprise_q
from ..selectors.pairings import cadre_accounts
from ..services.pairings import (
    DISCUSSED_REQUIRED,
    NAME_REQUIRED,
    POST_REQUIRED,
    REASON_REQUIRED,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccountField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = display_name(obj) if (obj.last_name or obj.first_name) else ""
        taken = getattr(obj, "cadre", None)
        suffix = _("（已关联：%(c)s）") % {"c": taken.name} if taken is not None else ""
        return f"{obj.username}{' · ' + name if name else ''}{suffix}"


class CadreForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=32, error_messages={"required": NAME_REQUIRED})
    post = forms.CharField(label=_("职务"), max_length=80, error_messages={"required": POST_REQUIRED},
                           help_text=_("如：市委常委、组织部部长；副市长。"))
    unit = forms.CharField(label=_("工作单位"), max_length=80, required=False)
    level = forms.ChoiceField(label=_("干部层级"), choices=CadreLevel.choices, initial=CadreLevel.COUNTY,
                              help_text=_("县级领导干部各联系重点民企、企业家 1 至 3 个；市委书记领衔，不计入。"))
    order = forms.IntegerField(label=_("排序号"), required=False, min_value=0, max_value=32767, initial=100,
                               help_text=_("按班子排序，数字小的排在前面。"))
    user = AccountField(label=_("登录账号"), required=False, queryset=None, empty_label=_("（无账号）"),
                        help_text=_("可选：须是已分配“联系领导”角色的账号。"))
    is_active = forms.BooleanField(label=_("在岗"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = cadre_accounts()

    @classmethod
    def of(cls, cadre: Cadre) -> CadreForm:
        return cls(initial={"name": cadre.name, "post": cadre.post, "unit": cadre.unit, "level": cadre.level,
                            "order": cadre.order, "user": cadre.user_id, "is_active": cadre.is_active})


class PairingForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("联系对象"), choices=PairingKind.choices, initial=PairingKind.ENTERPRISE)
    # Organization-department forms: every enterprise and person of the registry may be named.
    enterprise = EnterpriseByCodeField(queryset=Enterprise.objects.all(), label=_("企业（统一社会信用代码）"),
                                       required=False, help_text=_("联系重点民企时填写。"))
    person = PersonByNumberField(queryset=Person.objects.all(), label=_("企业家"), required=False,
                                 help_text=_("联系企业家时，输入姓名或完整身份证号，从搜索结果中选择。"))
    started_on = forms.DateField(label=_("开始日期"), widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class PairingEndForm(BootstrapMixin, forms.Form):
    ended_on = forms.DateField(label=_("结束日期"), widget=DATE)
    reason = forms.CharField(label=_("结束原因"), max_length=200, error_messages={"required": REASON_REQUIRED},
                             help_text=_("如：工作调整、企业迁出、企业家退休。"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"ended_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class VisitForm(BootstrapMixin, forms.Form):
    """For the organization department: any cadre, any enterprise (by credit code). For a cadre: its
    own visits, to the enterprises it reaches, chosen from a list (`own_cadre` given)."""

    cadre = forms.ModelChoiceField(label=_("联系领导"), queryset=Cadre.objects.none(),
                                   error_messages={"required": _("请选择联系领导。")})
    enterprise = EnterpriseByCodeField(queryset=Enterprise.objects.all(), label=_("企业（统一社会信用代码）"),
                                       error_messages={"required": _("请选择走访的企业。")})
    kind = forms.ChoiceField(label=_("联系方式"), choices=ContactKind.choices, initial=ContactKind.VISIT)
    visited_on = forms.DateField(label=_("日期"), widget=DATE)
    participants = forms.CharField(label=_("参加人员"), max_length=200, required=False)
    discussed = forms.CharField(label=_("交流内容"), widget=forms.Textarea(attrs={"rows": 4}),
                                error_messages={"required": DISCUSSED_REQUIRED})
    follow_ups = forms.CharField(label=_("后续事项"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("需要跟进的问题；形成诉求的请另行登记。"))

    def __init__(self, *args, own_cadre: Cadre | None = None, **kwargs):
        kwargs.setdefault("initial", {"visited_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.own_cadre = own_cadre
        if own_cadre is not None:
            del self.fields["cadre"]
            self.fields["enterprise"] = forms.ModelChoiceField(
                label=_("企业"), empty_label=_("（请选择）"),
                queryset=Enterprise.objects.filter(cadre_enterprise_q(own_cadre.user_id)).order_by("name", "pk"),
                error_messages={"required": _("请选择走访的企业。"),
                                "invalid_choice": _("只能选择您当前联系的企业。")})
            self.fields["enterprise"].widget.attrs["class"] = "form-select"
        else:
            self.fields["cadre"].queryset = Cadre.objects.filter(is_active=True).order_by("order", "name", "pk")
        self.order_fields(["cadre", "enterprise", "kind", "visited_on", "participants", "discussed", "follow_ups"])

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if self.own_cadre is not None:
            data["cadre"] = self.own_cadre
        return data
