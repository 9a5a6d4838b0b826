from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin

from . import rules
from .scopes import SCOPES, scopes_for_kind
from .services import ROTATION_OVERLAP_CHOICES


class ApiKeyForm(BootstrapMixin, forms.Form):
    """Create or edit a key. `institutions`: those the user may choose from (create only; a single
    one is fixed and not asked for). `kind`: the institution kind whose scopes are offered when it is
    known. `with_rate`: the system administrator also sets the key's own rate."""

    institution = forms.ModelChoiceField(label=_("机构"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=50,
                           help_text=_("用途或对接的系统，如“信贷系统生产环境”。"))
    scopes = forms.MultipleChoiceField(label=_("权限范围"), widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": _("请至少选择一项权限范围。")})
    expires_on = forms.DateField(label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=_("密钥在该日 24 时（北京时间）失效；最长两年。"))
    allowed_networks = forms.CharField(
        label=_("允许的来源地址"), required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control font-monospace"}),
        help_text=_("每行一个 IP 地址或网段（CIDR），如 10.8.1.20 或 10.8.0.0/16；为空时不限来源地址。"))
    rate_limit = forms.IntegerField(label=_("每分钟请求上限"), required=False, min_value=1, max_value=100000,
                                    help_text=_("为空时使用系统默认值。"))

    def __init__(self, *args, institutions=None, kind: str | None = None, with_rate: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if institutions is None or len(institutions) <= 1:
            del self.fields["institution"]
        else:
            self.fields["institution"].queryset = institutions
            self.fields["institution"].label_from_instance = lambda i: f"{i.name} · {i.get_kind_display()}"
        offered = scopes_for_kind(kind) if kind else list(SCOPES)
        self.fields["scopes"].choices = [(s.code, s.label) for s in offered]
        self.fields["scopes"].widget.attrs["class"] = "form-check-input"
        self.offered_scopes = offered
        if not with_rate:
            del self.fields["rate_limit"]

    def clean_allowed_networks(self):
        parsed = rules.parse_networks(self.cleaned_data.get("allowed_networks", ""))
        if parsed.errors:
            raise forms.ValidationError(parsed.errors)
        return parsed.networks


class ApiKeyRotateForm(BootstrapMixin, forms.Form):
    overlap_days = forms.TypedChoiceField(
        label=_("旧密钥过渡期"), coerce=int,
        help_text=_("过渡期内新旧密钥都可使用，便于对接系统切换；过渡期满旧密钥自动失效。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["overlap_days"]
        field.choices = [(d, gettext("立即停用旧密钥") if d == 0 else gettext("%(d)d 天") % {"d": d})
                         for d in ROTATION_OVERLAP_CHOICES]
        field.initial = settings.APIKEYS_ROTATION_OVERLAP_DAYS


class ApiKeyRevokeForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("如：密钥泄露、对接系统下线。撤销立即生效，不能恢复。"),
                             error_messages={"required": _("请填写撤销原因。")})


class LegacyCutoffForm(BootstrapMixin, forms.Form):
    cutoff = forms.DateField(label=_("旧式令牌停用日期"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                             help_text=_("自该日零时（北京时间）起，旧式令牌一律拒绝；留空表示暂不停用。"))
