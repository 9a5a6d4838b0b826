"""Forms of outreach: they parse input; the services decide, and say what is wrong at each field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.choices import EnterpriseKind, Industry, RegionLevel
from portal.forms import BootstrapMixin, EnterpriseByCodeField, PersonByNumberField
from portal.models import Region

from ..models import Lawyer
from ..rules.outreach import CareKind, ConsultationCategory, ConsultationChannel, MentorKind, NoticeAudience
from ..services.outreach_base import REQUIRED

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(choices, blank=True):
    return ([("", "—")] if blank else []) + list(choices)


# --- legal service centre ------------------------------------------------------------------------

class LawyerForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=32, error_messages={"required": REQUIRED["name"]})
    law_firm = forms.CharField(label=_("律师事务所"), max_length=80, error_messages={"required": REQUIRED["law_firm"]})
    specialties = forms.CharField(label=_("擅长领域"), max_length=200, required=False,
                                  help_text=_("如：合同纠纷、劳动用工、知识产权"))
    mobile = forms.CharField(label=_("手机号"), max_length=20, required=False)
    resident_since = forms.DateField(label=_("常驻起始日期"), widget=DATE)
    resident_until = forms.DateField(label=_("常驻截止日期"), widget=DATE, required=False,
                                     help_text=_("常驻期未定的，留空。"))
    is_active = forms.BooleanField(label=_("在岗"), required=False, initial=True)


class ConsultationForm(BootstrapMixin, forms.Form):
    topic = forms.CharField(label=_("咨询事项"), max_length=120, error_messages={"required": REQUIRED["topic"]})
    category = forms.ChoiceField(label=_("类别"), choices=_choices(ConsultationCategory.choices), required=False)
    lawyer = forms.ModelChoiceField(label=_("答复律师"), queryset=Lawyer.objects.none(), required=False,
                                    empty_label="—")
    consulted_on = forms.DateField(label=_("咨询日期"), widget=DATE, required=False)
    channel = forms.ChoiceField(label=_("方式"), choices=_choices(ConsultationChannel.choices), required=False)
    outcome = forms.CharField(label=_("答复意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("当场答复的，可直接填写；否则留空，答复后再补录。"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"enterprise": EnterpriseByCodeField(user=user, error_messages={"required": _("请填写企业统一社会信用代码。")}), **self.fields}
        self.fields["lawyer"].queryset = Lawyer.objects.filter(is_active=True).order_by("law_firm", "name")
        self.fields["lawyer"].label_from_instance = _lawyer_label


def _lawyer_label(lawyer) -> str:
    # A lawyer whose residency has ended stays on the list for consultations of the past: say so.
    ended = _("（常驻至 %(d)s）") % {"d": lawyer.resident_until.isoformat()} if lawyer.resident_until else ""
    return f"{lawyer.name} · {lawyer.law_firm}{ended}"


class AnswerForm(BootstrapMixin, forms.Form):
    outcome = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": REQUIRED["outcome"]})
    answered_on = forms.DateField(label=_("答复日期"), widget=DATE, required=False, help_text=_("留空为今天。"))


# --- policy notices ------------------------------------------------------------------------------

class NoticeForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120, error_messages={"required": REQUIRED["title"]})
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": REQUIRED["body"]})
    audience = forms.ChoiceField(label=_("推送范围"), choices=_choices(NoticeAudience.choices), required=False)
    audience_kind = forms.ChoiceField(label=_("主体类型"), choices=_choices(EnterpriseKind.choices), required=False,
                                      help_text=_("推送范围为“某类市场主体”时填写。"))
    audience_industry = forms.ChoiceField(label=_("行业门类"), choices=_choices(Industry.choices), required=False,
                                          help_text=_("推送范围为“某一行业”时填写。"))
    audience_region = forms.ModelChoiceField(label=_("区域"), queryset=Region.objects.none(), required=False,
                                             empty_label="—", help_text=_("推送范围为“某一区域”时填写，含其下级区划。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Towns and the city: a village-level notice is rare, and a province has thousands of villages.
        self.fields["audience_region"].queryset = Region.objects.exclude(level=RegionLevel.VILLAGE).order_by("code")


class WithdrawForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200, error_messages={"required": REQUIRED["reason"]})


# --- care activities -----------------------------------------------------------------------------

class CareActivityForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=_choices(CareKind.choices), required=False)
    title = forms.CharField(label=_("活动名称"), max_length=120, error_messages={"required": REQUIRED["care_title"]})
    held_on = forms.DateField(label=_("活动日期"), widget=DATE, required=False)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    organizer = forms.CharField(label=_("组织单位"), max_length=80, error_messages={"required": REQUIRED["organizer"]})
    enterprise_codes = forms.CharField(
        label=_("受益企业统一社会信用代码"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个，也可用逗号分隔。"))
    beneficiaries = forms.IntegerField(label=_("受益人数"), required=False)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- mentoring -----------------------------------------------------------------------------------

class MentoringPairForm(BootstrapMixin, forms.Form):
    mentor_kind = forms.ChoiceField(label=_("导师类型"), choices=_choices(MentorKind.choices), required=False)
    mentor_name = forms.CharField(label=_("老干部姓名"), max_length=32, required=False,
                                  help_text=_("导师为老干部活动中心的老干部时填写。"))
    mentor_title = forms.CharField(label=_("导师职务"), max_length=80, required=False,
                                   help_text=_("如：原市政协副主席、某公司董事长"))
    started_on = forms.DateField(label=_("结对日期"), widget=DATE, required=False)
    focus = forms.CharField(label=_("帮带重点"), max_length=200, error_messages={"required": REQUIRED["focus"]})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        mentor = PersonByNumberField(user=user, label=_("导师（资深企业家）"), required=False,
                                     help_text=_("导师为资深企业家时，输入姓名或完整身份证号，从搜索结果中选择。"))
        mentee = PersonByNumberField(user=user, label=_("新生代企业家"), required=False)
        fields = dict(self.fields)
        self.fields = {"mentor_kind": fields.pop("mentor_kind"), "mentor_person": mentor,
                       "mentor_name": fields.pop("mentor_name"), "mentor_title": fields.pop("mentor_title"),
                       "mentee": mentee, **fields}
        for name in ("mentor_person", "mentee"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")

    def clean(self):
        data = super().clean()
        data.setdefault("mentor_person", None)
        data.setdefault("mentee", None)
        return data


class EndForm(BootstrapMixin, forms.Form):
    ended_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False)


class SessionForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label=_("活动日期"), widget=DATE, required=False)
    topic = forms.CharField(label=_("活动主题"), max_length=120, error_messages={"required": REQUIRED["session_topic"]})
    attendees = forms.IntegerField(label=_("参加人数"), required=False, initial=2)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
