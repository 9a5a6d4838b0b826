"""Forms of the appeals pages: they parse input; the services decide and say what is wrong at each
field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.access import has_role
from portal.choices import Role
from portal.context_processors import display_name
from portal.forms import BootstrapMixin, CleanTextMixin, EnterpriseByCodeField
from portal.uploads import DocumentField, MultipleDocumentField

from ..choices_appeals import AppealCategory, AppealChannel, AppealPlatform
from ..models import Visit
from ..rules import appeals as rules
from ..selectors import appeals as selectors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Up to this many enterprises the form offers a drop-down; beyond it (a station's area, a town, the
# city) the enterprise is given by its credit code.
SELECT_LIMIT = 100


class AppealForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(label=_("诉求类别"), choices=[("", "—"), *AppealCategory.choices], required=False)
    platform = forms.ChoiceField(label=_("直通平台"), choices=AppealPlatform.choices, initial=AppealPlatform.APPEAL)
    # Not required here: the service checks them and says what is missing in its own words.
    title = forms.CharField(label=_("标题"), max_length=rules.MAX_TITLE, required=False,
                            help_text=_("一句话概括，如“流动资金周转困难，申请对接党建增信贷款”。"))
    description = forms.CharField(label=_("诉求内容"), max_length=rules.MAX_DESCRIPTION, required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleDocumentField(label=_("附件"), required=False,
                              help_text=_("可选，可一次选择多个：PDF、图片、Word 或 Excel 文件，每个不超过 10 MB，最多 10 个。"))

    def __init__(self, *args, user=None, with_enterprise=True, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        if with_enterprise:
            enterprises = selectors.creatable_enterprises(user=user).order_by("name", "pk")
            if enterprises[:SELECT_LIMIT + 1].count() <= SELECT_LIMIT:
                fields["enterprise"] = forms.ModelChoiceField(label=_("企业"), queryset=enterprises,
                                                              empty_label="—")
                fields["enterprise"].widget.attrs["class"] = "form-select"
            else:
                fields["enterprise"] = EnterpriseByCodeField(
                    queryset=enterprises, not_found=_("信用代码为 %(c)s 的企业不在您可以代为提交诉求的范围内。"))
        self.fields = {**fields, **self.fields}
        if has_role(user, Role.ORG_STAFF, Role.TOWN_STAFF):
            self.fields["channel"] = forms.ChoiceField(
                label=_("反映渠道"), choices=[(c, AppealChannel(c).label) for c in rules.CREATOR_CHANNELS[Role.ORG_STAFF]],
                widget=forms.Select(attrs={"class": "form-select"}))
        if has_role(user, Role.CADRE):
            self.fields["visit"] = forms.ModelChoiceField(
                label=_("关联走访记录"), required=False, empty_label=_("（不关联）"),
                queryset=Visit.objects.filter(cadre__user=user).select_related("enterprise").order_by("-visited_on", "-pk"),
                widget=forms.Select(attrs={"class": "form-select"}))
            self.fields["visit"].label_from_instance = lambda v: f"{v.visited_on} · {v.enterprise.name}"


class StepForm(CleanTextMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class AssigneeSelect(forms.Select):
    """The assignee drop-down: each option names the departments the person handles appeals for
    (data-departments), so that static/portal/assignee_by_department.js shows only the chosen
    department's people. The service checks the same membership."""

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = departments or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        pk = getattr(value, "value", value)
        if pk not in (None, ""):
            option["attrs"]["data-departments"] = " ".join(str(d) for d in self.departments.get(int(pk), []))
        return option


class AssignForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=None, required=False, empty_label="—")
    assignee = forms.ModelChoiceField(label=_("承办人"), queryset=None, required=False, empty_label=_("（不指定）"))
    deadline = forms.DateField(label=_("办理期限"), required=False, widget=DATE)
    note = forms.CharField(label=_("交办意见"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.active_departments()
        assignee = self.fields["assignee"]
        assignee.queryset = selectors.assignable_users().filter(appeal_departments__is_active=True).distinct()
        assignee.label_from_instance = display_name
        assignee.widget = AssigneeSelect(departments=selectors.assignee_departments(),
                                         attrs={"data-follows": "department"})
        assignee.widget.choices = assignee.choices
        assignee.help_text = _("只列出所选承办部门的承办人员。")


class LeadForm(BootstrapMixin, forms.Form):
    """A leader's comment, instruction (批示) or pressing (催办): the button pressed says which."""

    note = forms.CharField(label=_("意见或批示"), required=False, max_length=rules.MAX_LEADER_NOTE,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("提出意见、作出批示须写明内容；催办可附言。"))


class ResolveForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    resolution = forms.CharField(label=_("办理结果"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("理由"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RateForm(BootstrapMixin, forms.Form):
    # A plain field: the service checks the score and answers at "score" in its own words.
    score = forms.CharField(label=_("满意度"), required=False, max_length=4,
                            widget=forms.RadioSelect(choices=[(str(n), "★" * n) for n in rules.SCORES]))
    comment = forms.CharField(label=_("评价意见"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].widget.attrs["class"] = "form-check-input"


class AttachmentForm(BootstrapMixin, forms.Form):
    file = DocumentField(label=_("附件"), required=False,
                         help_text=_("PDF、图片、Word 或 Excel 文件，不超过 10 MB。"))


class DepartmentForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("部门名称"), max_length=60, required=False)
    short_name = forms.CharField(label=_("简称"), max_length=20, required=False)


class DepartmentMembersForm(BootstrapMixin, forms.Form):
    members = forms.ModelMultipleChoiceField(label=_("承办人员"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text=_("诉求交办到本部门时，只能指定这些人员为承办人。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = selectors.assignable_users()
        self.fields["members"].label_from_instance = display_name


# The form each step's page post uses.
STEP_FORMS = {"assign": AssignForm, "reassign": AssignForm, "resolve": ResolveForm, "reopen": ReasonForm,
              "dismiss": ReasonForm}
