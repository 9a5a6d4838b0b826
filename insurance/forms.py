"""Forms of the insurance pages: they parse input; the services decide. Amounts and rates are text
fields on purpose: the rules parse them and say in Chinese what is wrong (a thousands separator is
fine, "12,3a" is not), which a DecimalField's generic message would not."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError
from portal.forms import BootstrapMixin
from portal.models import Institution

from . import rules, selectors
from .choices import ProductCategory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProductForm(BootstrapMixin, forms.Form):
    insurer = forms.ModelChoiceField(label=_("保险公司"), queryset=Institution.objects.filter(kind="insurer"))
    name = forms.CharField(label=_("产品名称"), max_length=60)
    category = forms.ChoiceField(label=_("险种"), choices=ProductCategory.choices)
    description = forms.CharField(label=_("说明"), max_length=300, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    is_active = forms.BooleanField(label=_("在售"), required=False, initial=True)

    FIELDS = ("insurer", "name", "category", "description", "is_active")


class DiscountTableForm(BootstrapMixin, forms.Form):
    effective_from = forms.DateField(label=_("生效日期"), widget=DATE)
    note = forms.CharField(label=_("依据"), max_length=200, required=False,
                           help_text=_("如：星湖市党建+保险工作实施方案（2026 年修订）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for stars in rules.STARS:
            self.fields[f"rate_{stars}"] = forms.CharField(
                label=_("%(n)d 星保费优惠（%%）") % {"n": stars}, required=False, max_length=20,
                initial=rules.DEFAULT_DISCOUNTS[stars],
                widget=forms.TextInput(attrs={"class": "form-control text-end", "inputmode": "decimal"}))

    def rates(self) -> dict[int, str]:
        return {stars: self.cleaned_data.get(f"rate_{stars}", "") for stars in rules.STARS}


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.insurer.short_name} · {obj.get_category_display()} · {obj.name}"


class QuoteForm(BootstrapMixin, forms.Form):
    """The enterprise is found by its credit code or its name, as on the eligibility page; the page
    suggests matches as one types (insurance/static/insurance/enterprise_search.js)."""

    enterprise = forms.CharField(label=_("企业名称或统一社会信用代码"), max_length=60,
                                 error_messages={"required": _("请填写企业名称或统一社会信用代码。")},
                                 help_text=_("输入名称或信用代码的一部分，从提示中选择。"))
    product = ProductChoiceField(label=_("保险产品"), queryset=None, empty_label=_("请选择"),
                                 error_messages={"required": _("请选择保险产品。")})
    base_premium = forms.CharField(label=_("基础保费（元）"), max_length=30,
                                   error_messages={"required": _("请填写基础保费。")},
                                   help_text=_("按保险公司费率计算的保费，精确到分。"),
                                   widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, user=None, search_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["product"].queryset = selectors.quotable_products(user=user)
        self.fields["enterprise"].widget.attrs.update({
            "list": "enterprise-options", "autocomplete": "off", "data-enterprise-search": search_url})
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["aria-required"] = "true"

    def clean_enterprise(self):
        try:
            return selectors.find_quotable_enterprise(user=self.user, raw_code=self.cleaned_data["enterprise"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from None


class PolicyIssueForm(BootstrapMixin, forms.Form):
    policy_number = forms.CharField(label=_("保单号"), max_length=40, required=False,
                                    help_text=_("格式为“公司编号-年份-8 位序号”；留空则按报价编号自动编号。"))
    starts_on = forms.DateField(label=_("保险起期"), required=False, widget=DATE, help_text=_("留空为今天。"))
    ends_on = forms.DateField(label=_("保险止期"), required=False, widget=DATE, help_text=_("留空为起期后一年。"))
