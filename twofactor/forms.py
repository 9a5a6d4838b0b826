from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules


class CodeForm(forms.Form):
    """One code: six digits from the authenticator, or (where `recovery` is allowed) a recovery code.
    Only the shape is checked here; whether it is right is the service's (it counts failures)."""

    code = forms.CharField(
        label=_("验证码"), max_length=32, strip=True,
        widget=forms.TextInput(attrs={"class": "form-control form-control-lg font-monospace twofactor-code",
                                      "autocomplete": "one-time-code", "autocapitalize": "off",
                                      "spellcheck": "false", "autofocus": True}),
        error_messages={"required": _("请输入验证码。")},
    )

    def __init__(self, *args, recovery: bool = True, compact: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.recovery = recovery
        if compact:
            # One of several forms on a page (account security): no focus taken, a field of a code's width.
            attrs = self.fields["code"].widget.attrs
            attrs.pop("autofocus", None)
            attrs["class"] = "form-control font-monospace twofactor-code twofactor-code-compact"
        if recovery:
            self.fields["code"].help_text = _("手机验证器上的 6 位数字；手机不在身边时，可输入一个恢复码。")
        else:
            self.fields["code"].help_text = _("验证器应用为本门户显示的 6 位数字。")
            self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        code = self.cleaned_data["code"]
        kind = rules.code_kind(code)
        if kind is None or (kind == "recovery" and not self.recovery):
            if self.recovery:
                raise forms.ValidationError(_("请输入验证器上的 6 位数字，或一个恢复码。"))
            raise forms.ValidationError(_("请输入验证器上显示的 6 位数字。"))
        return code


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=_("重置原因"), max_length=400,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("例如：手机丢失，本人到窗口核实身份后申请重置。原因记入审计日志。"),
        error_messages={"required": _("请填写重置原因。")},
    )


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("账号或姓名"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}))
