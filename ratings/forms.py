"""Forms of the rating pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin, EnterpriseByCodeField, PersonPickerField
from portal.models import Person, Region
from portal.uploads import DocumentField

from .models import PartyOrganization, Rubric
from .rules import check_objection

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def person_field(label, required=False):
    return PersonPickerField(label=label, queryset=Person.objects.all(), required=required)


class OrganizationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = PartyOrganization
        fields = ["name", "kind", "region", "superior", "secretary", "member_count", "founded_on", "dissolved_on"]
        widgets = {"founded_on": DATE, "dissolved_on": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.select_related("parent").order_by("code")
        self.fields["superior"].queryset = PartyOrganization.objects.filter(dissolved_on__isnull=True).exclude(kind="joint")
        self.fields["secretary"] = person_field(_("书记"))
        if self.instance.pk:
            self.fields["superior"].queryset = self.fields["superior"].queryset.exclude(pk=self.instance.pk)


class CoverageForm(BootstrapMixin, forms.Form):
    started_on = forms.DateField(label=_("起始日期"), widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"enterprise": EnterpriseByCodeField(user=user), **self.fields}
        self.fields["enterprise"].widget.attrs["class"] = "form-control font-monospace"


class EndDateForm(BootstrapMixin, forms.Form):
    ended_on = forms.DateField(label=_("终止日期"), widget=DATE)


class InstructorForm(BootstrapMixin, forms.Form):
    instructor = person_field(_("党建指导员"), required=True)
    started_on = forms.DateField(label=_("起始日期"), widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"enterprise": EnterpriseByCodeField(user=user), **self.fields}


class CycleForm(BootstrapMixin, forms.Form):
    """A plain form, not a ModelForm: the service checks the year, the rubric and the dates in its
    transaction and says what is wrong at each field."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("名称"), max_length=80, required=False, help_text=_("留空则为“某某年度星级评定”。"))
    rubric = forms.ModelChoiceField(label=_("评分标准"), queryset=Rubric.objects.all())
    opens_on = forms.DateField(label=_("自评开始日期"), widget=DATE)
    closes_on = forms.DateField(label=_("自评截止日期"), widget=DATE)
    notice_days = forms.IntegerField(label=_("公示天数"), initial=5, min_value=1, max_value=60)
    validity_months = forms.IntegerField(label=_("有效期（月）"), initial=12, min_value=1, max_value=60)
    review_days = forms.IntegerField(label=_("审核时限（天）"), initial=15, min_value=1, max_value=180,
                                     help_text=_("一条评定在某一审核环节停留超过此天数即为逾期。"))


class ScoreForm(BootstrapMixin, forms.Form):
    """One stage's score sheet: a points and a note field per scored item, a box per veto item, the
    reviewer's comment and the version of the rating the reviewer saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items=(), initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_scores = initial_scores or {}
        self.items = list(items)
        for item in self.items:
            previous = initial_scores.get(item.code)
            if item.is_veto:
                self.fields[f"veto_{item.code}"] = forms.BooleanField(
                    label=item.title, required=False, initial=bool(previous and previous.vetoed),
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
            else:
                self.fields[f"points_{item.code}"] = forms.CharField(
                    label=item.title, required=False, initial=previous.points if previous else None,
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm text-end",
                                                  "inputmode": "decimal", "style": "width:6em"}))
                self.fields[f"note_{item.code}"] = forms.CharField(
                    label=_("%(item)s 的扣分说明") % {"item": item.title}, required=False, max_length=300,
                    initial=previous.note if previous else "",
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def score_input(self):
        from .services import ScoreInput

        data = self.cleaned_data
        return ScoreInput(
            points={i.code: data.get(f"points_{i.code}") for i in self.items if not i.is_veto},
            notes={i.code: data.get(f"note_{i.code}", "") for i in self.items if not i.is_veto},
            vetoes={i.code for i in self.items if i.is_veto and data.get(f"veto_{i.code}")},
        )

    def rows(self):
        """(item, points field, note field) for the template, in the rubric's order."""
        return [(i, self[f"points_{i.code}"], self[f"note_{i.code}"]) for i in self.items if not i.is_veto]

    def veto_rows(self):
        return [(i, self[f"veto_{i.code}"]) for i in self.items if i.is_veto]


class EvidenceForm(BootstrapMixin, forms.Form):
    file = DocumentField(label=_("佐证材料"), help_text=_("PDF、图片、Word 或 Excel 文件，不超过 10 MB。"))
    item = forms.ModelChoiceField(label=_("对应评分项目"), queryset=None, required=False, empty_label=_("（整体材料）"))

    def __init__(self, *args, rubric=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = rubric.items.filter(is_veto=False) if rubric else Rubric.objects.none()


class ReasonForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class DowngradeForm(ReasonForm):
    stars = forms.CharField(label=_("降为星级"), max_length=2)


class ObjectionForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=32, required=False)
    contact = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000,
                             required=False)
    # Left empty by people; filled by robots that fill every field.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def clean(self):
        data = super().clean()
        _values, errors = check_objection(data.get("name"), data.get("contact"), data.get("reason"))
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class ResolveForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(label=_("处理结果"), choices=[("dismissed", _("异议不成立")), ("upheld", _("异议成立，退回复核"))])
    resolution = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}))
