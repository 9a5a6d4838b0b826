"""The organization department's forms for the service-time settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin

from .limits import MAX_DAYS, MIN_DAYS, STEPS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def step_value(key: str, state: str) -> str:
    return f"{key}.{state}"


class StepLimitForm(BootstrapMixin, forms.Form):
    step = forms.ChoiceField(label=_("办理环节"), choices=[("", "---------")] + [
        (step_value(key, state), label) for key, state, label in STEPS])
    # The range is the service's rule; the field only says it is a number, so the message is the service's.
    working_days = forms.IntegerField(label=_("办理时限（工作日）"), help_text=_("%(a)d 至 %(b)d 个工作日。") % {
        "a": MIN_DAYS, "b": MAX_DAYS}, error_messages={"invalid": _("请填写整数个工作日。")})
    effective_from = forms.DateField(label=_("生效日期"), widget=DATE,
                                     help_text=_("自该日起进入本环节的事项适用新时限；不能早于今天。"))
    note = forms.CharField(label=_("依据"), max_length=200, required=False)

    def step_key_state(self) -> tuple[str, str]:
        key, _sep, state = (self.cleaned_data.get("step") or "").partition(".")
        return key, state


class WorkdayOverrideForm(BootstrapMixin, forms.Form):
    date = forms.DateField(label=_("日期"), widget=DATE)
    is_working_day = forms.TypedChoiceField(
        label=_("当天"), coerce=lambda value: value == "1",
        choices=[("0", _("放假（如台风停工）")), ("1", _("上班（如调休上班日）"))])
    name = forms.CharField(label=_("名称"), max_length=50, help_text=_("如：台风停工。"))
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("依据的通知文号等。"))
