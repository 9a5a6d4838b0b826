"""Forms of the finance pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin, CleanTextMixin, EnterpriseByCodeField
from portal.models import Institution

from . import rules
from .choices import RejectReason
from .models import LoanProduct

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LoanApplicationForm(BootstrapMixin, forms.Form):
    bank = forms.ModelChoiceField(label=_("银行"), queryset=Institution.objects.filter(kind="bank", is_active=True))
    product = forms.ModelChoiceField(label=_("贷款产品"), queryset=LoanProduct.objects.filter(is_active=True)
                                     .select_related("bank"))
    amount = forms.CharField(label=_("申请金额（元）"), max_length=24)
    purpose = forms.CharField(label=_("贷款用途"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, with_enterprise=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_enterprise:
            self.fields = {"enterprise": EnterpriseByCodeField(user=user), **self.fields}
            self.fields["enterprise"].widget.attrs["class"] = "form-control font-monospace"
        self.fields["product"].label_from_instance = lambda p: _(
            "%(bank)s · %(product)s（%(rate)s%%，%(months)s 个月）") % {
            "bank": p.bank.short_name, "product": p.name, "rate": p.annual_rate, "months": p.term_months}


class ApproveForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.CharField(label=_("批准金额（元）"), max_length=24)

    @classmethod
    def for_application(cls, application, answer=None) -> ApproveForm:
        """The form as first shown: the amount the bank can approve today (the amount asked, or the
        quota left when that is less; `answer` is the enterprise's eligibility answer)."""
        available = answer.available if answer is not None and answer.quota is not None else None
        amount = rules.approval_suggestion(application.amount, available)
        return cls(initial={"version": application.version, "amount": rules.yuan(amount)})


class RejectForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(label=_("不予批准原因"), choices=[("", "—")] + list(RejectReason.choices), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class StepForm(CleanTextMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(max_length=300, required=False)


class QuotaTableForm(BootstrapMixin, forms.Form):
    effective_from = forms.DateField(label=_("生效日期"), widget=DATE)
    stars_1 = forms.CharField(label=_("一星额度（元）"), max_length=24, required=False)
    stars_2 = forms.CharField(label=_("二星额度（元）"), max_length=24, required=False)
    stars_3 = forms.CharField(label=_("三星额度（元）"), max_length=24, required=False)
    stars_4 = forms.CharField(label=_("四星额度（元）"), max_length=24, required=False)
    stars_5 = forms.CharField(label=_("五星额度（元）"), max_length=24, required=False)
    note = forms.CharField(label=_("依据"), max_length=200, required=False)

    def amounts(self):
        return {n: self.cleaned_data.get(f"stars_{n}") for n in range(1, 6)}


class ProductForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = LoanProduct
        fields = ["bank", "name", "annual_rate", "term_months", "description", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = Institution.objects.filter(kind="bank")

    def validate_unique(self):
        pass  # the service decides, with its own message

    def _post_clean(self):
        # The service checks every rule in its transaction; the model's own validation would only
        # repeat them with Django's generic messages.
        pass
