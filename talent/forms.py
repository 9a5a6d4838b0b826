"""Forms of the talent pages: they parse input; the services decide. Most fields are optional here
so that a service's Chinese message, not a generic "required", appears at the field, and the
service's refusals of a form show together."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin, CleanTextMixin, EnterpriseByCodeField
from portal.models import Enterprise
from portal.punctuation import clauses, mark, parens
from portal.rules import check_uscc

from .choices import (
    PolicyCategory,
    ProjectKind,
    ProjectStatus,
    RegistrationKind,
    TalentField,
    TalentLevel,
    TalentSource,
)
from .models import IncubationBase, PolicyItem
from .rules import normalize_id_tail, normalize_reference

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(choices):
    return [("", "—")] + list(choices.choices)


class EnterpriseCodesField(forms.CharField):
    """Several enterprises, by credit code, one per line (commas and spaces also separate)."""

    widget = forms.Textarea(attrs={"rows": 3, "class": "form-control font-monospace"})

    def __init__(self, *args, user=None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("每行一个统一社会信用代码"))
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self, value):
        value = super().clean(value) or ""
        codes, problems = [], []
        for raw in re.split(r"[\s,，;；、]+", value):
            if not raw:
                continue
            result = check_uscc(raw)
            if not result.ok:
                problems.append(f"{raw}{mark('：')}{result.error}")
            elif result.value not in codes:
                codes.append(result.value)
        found = {e.uscc: e for e in Enterprise.objects.restrict(self.user, "view").filter(uscc__in=codes)}
        problems += [str(_("没有找到信用代码为 %(c)s 的企业。") % {"c": c}) for c in codes if c not in found]
        if problems:
            raise forms.ValidationError(problems)
        return [found[c] for c in codes]


def codes_of(enterprises) -> str:
    return "\n".join(e.uscc for e in enterprises)


class PolicyItemForm(BootstrapMixin, forms.Form):
    FIELDS = ("name", "category", "conditions", "levels", "amount", "is_active")

    name = forms.CharField(label=_("项目名称"), max_length=60, required=False)
    category = forms.ChoiceField(label=_("类别"), choices=_choices(PolicyCategory), required=False)
    levels = forms.MultipleChoiceField(label=_("适用人才类别"), choices=TalentLevel.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    amount = forms.CharField(label=_("标准金额（元）"), max_length=24, required=False,
                             help_text=_("服务类项目（如子女入学安排、配偶就业安置）不涉及金额，留空"))
    conditions = forms.CharField(label=_("申请条件"), widget=forms.Textarea(attrs={"rows": 4}), max_length=1000,
                                 required=False)
    is_active = forms.BooleanField(label=_("有效（受理申请）"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].widget.attrs["class"] = "form-check-input"


class TalentForm(BootstrapMixin, forms.Form):
    PERSON = ("name", "id_number", "mobile")
    FIELDS = ("level", "field", "employer", "source", "source_institution", "introduced_on", "base", "note")

    name = forms.CharField(label=_("姓名"), max_length=32, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=24, required=False)
    mobile = forms.CharField(label=_("手机号"), max_length=20, required=False)
    level = forms.ChoiceField(label=_("人才类别"), choices=_choices(TalentLevel), required=False)
    field = forms.ChoiceField(label=_("领域"), choices=_choices(TalentField), required=False)
    source = forms.ChoiceField(label=_("引进渠道"), choices=_choices(TalentSource), required=False)
    source_institution = forms.CharField(label=_("来源单位"), max_length=100, required=False,
                                         help_text=_("科研院所、高校或园区的名称"))
    introduced_on = forms.DateField(label=_("引进日期"), widget=DATE, required=False)
    base = forms.ModelChoiceField(label=_("孵化基地"), queryset=IncubationBase.objects.all(), required=False,
                                  empty_label=_("（无）"))
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args, user=None, talent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {**{k: self.fields[k] for k in ("name", "id_number", "mobile")},
                       "employer": EnterpriseByCodeField(user=user, required=False, label=_("用人单位统一社会信用代码")),
                       **{k: v for k, v in self.fields.items() if k not in ("name", "id_number", "mobile")}}
        self.talent = talent
        if talent is not None:
            # The whole numbers are never put in the page: left empty, they stay as they are.
            person = talent.person
            self.fields["id_number"].help_text = _("当前：%(v)s；不修改请留空") % {"v": person.id_number_masked}
            self.fields["mobile"].help_text = _("当前：%(v)s；不修改请留空") % {"v": person.mobile_masked}

    def person_values(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.PERSON}
        if self.talent is not None:
            data = {k: v for k, v in data.items() if k == "name" or (v or "").strip()}
        return data

    def talent_values(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.FIELDS}


class BenefitApplicationForm(BootstrapMixin, forms.Form):
    item = forms.ModelChoiceField(label=_("政策项目"), queryset=PolicyItem.objects.filter(is_active=True),
                                  required=False)
    amount_requested = forms.CharField(label=_("申请金额（元）"), max_length=24, required=False,
                                       help_text=_("服务类项目不涉及金额，留空"))
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500,
                             required=False)

    def __init__(self, *args, talent=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        field.empty_label = "—"
        # Offer only the items the talent's level qualifies for; a posted one is checked by the service,
        # whose refusal names the levels the item is for.
        if talent is not None and not self.is_bound:
            field.queryset = field.queryset.filter(levels__contains=talent.level)
        field.queryset = field.queryset.order_by("category", "name")

        def label(item):
            money = _("服务类") if item.amount is None else _("标准 %(a)s 元") % {"a": f"{item.amount:,.2f}"}
            return f"{item.get_category_display()} · {item.name}" + parens(clauses([item.levels_display, money]))

        field.label_from_instance = label


class ApproveForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.CharField(label=_("批准金额（元）"), max_length=24, required=False)
    note = forms.CharField(label=_("审核意见"), max_length=300, required=False)


class RejectForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("不予批准的理由"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class StepForm(CleanTextMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(max_length=300, required=False)


class BaseForm(BootstrapMixin, forms.Form):
    FIELDS = ("name", "city", "address", "opened_on", "partner", "note", "is_active")

    name = forms.CharField(label=_("基地名称"), max_length=80, required=False)
    city = forms.CharField(label=_("所在城市"), max_length=20, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    opened_on = forms.DateField(label=_("设立日期"), widget=DATE, required=False)
    partner = forms.CharField(label=_("合作单位"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    is_active = forms.BooleanField(label=_("运行中"), required=False, initial=True)


class ProjectForm(BootstrapMixin, forms.Form):
    FIELDS = ("name", "partner", "kind", "status", "signed_on", "landed_on", "base", "description")

    name = forms.CharField(label=_("项目名称"), max_length=100, required=False)
    partner = forms.CharField(label=_("合作方"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=_choices(ProjectKind), required=False)
    status = forms.ChoiceField(label=_("进展"), choices=_choices(ProjectStatus), required=False)
    signed_on = forms.DateField(label=_("签约日期"), widget=DATE, required=False)
    landed_on = forms.DateField(label=_("落地日期"), widget=DATE, required=False,
                                help_text=_("已落地项目填实际落地日期，其余可填计划日期"))
    base = forms.ModelChoiceField(label=_("孵化基地"), queryset=IncubationBase.objects.all(), required=False,
                                  empty_label=_("（无）"))
    description = forms.CharField(label=_("简介"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
                                  required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"] = EnterpriseCodesField(label=_("参与企业"), user=user)


class IPActionForm(BootstrapMixin, forms.Form):
    FIELDS = ("held_on", "partner", "title", "patents", "consultations", "note")

    held_on = forms.DateField(label=_("日期"), widget=DATE, required=False)
    partner = forms.CharField(label=_("合作单位"), max_length=100, required=False)
    title = forms.CharField(label=_("活动名称"), max_length=120, required=False)
    patents = forms.CharField(label=_("专利服务（件）"), max_length=10, required=False, initial="0")
    consultations = forms.CharField(label=_("咨询（人次）"), max_length=10, required=False, initial="0")
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"] = EnterpriseCodesField(label=_("服务企业"), user=user)


class TrainingSessionForm(BootstrapMixin, forms.Form):
    FIELDS = ("school", "topic", "held_on", "trainees", "note")

    school = forms.CharField(label=_("职业院校"), max_length=60, required=False)
    topic = forms.CharField(label=_("培训主题"), max_length=120, required=False)
    held_on = forms.DateField(label=_("日期"), widget=DATE, required=False)
    trainees = forms.CharField(label=_("参训人数"), max_length=10, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"] = EnterpriseCodesField(label=_("参训企业"), user=user)


class RegistrationForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("入驻类型"), choices=_choices(RegistrationKind), required=False)
    registered_on = forms.DateField(label=_("入驻日期"), widget=DATE, required=False)
    count = forms.CharField(label=_("人数/户数"), max_length=10, required=False, initial="1",
                            help_text=_("单位入驻为 1；技术人才填本批入驻人数"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"kind": self.fields["kind"],
                       "enterprise": EnterpriseByCodeField(label=_("企业统一社会信用代码"), user=user, required=False),
                       **{k: v for k, v in self.fields.items() if k != "kind"}}


class ProgressForm(BootstrapMixin, forms.Form):
    reference = forms.CharField(label=_("申请编号"), max_length=30, required=False,
                                widget=forms.TextInput(attrs={"placeholder": "RC2026-000123", "autocomplete": "off"}))
    id_tail = forms.CharField(label=_("身份证号后六位"), max_length=10, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    # Left empty by people; filled by robots that fill every field.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def clean(self):
        data = super().clean()
        if not normalize_reference(data.get("reference")):
            self.add_error("reference", _("请填写申请编号，格式如 RC2026-000123。"))
        if not normalize_id_tail(data.get("id_tail")):
            self.add_error("id_tail", _("请填写身份证号的后六位（最后一位可能为 X）。"))
        return data
