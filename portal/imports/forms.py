from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ..forms import BootstrapMixin


class ImportUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("登记表文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Excel 工作簿（.xlsx）或 CSV（UTF-8 或 GBK 编码，逗号或制表符分隔），不超过 %(limit)s。"
        ) % {"limit": filesizeformat(settings.PORTAL_IMPORT_MAX_BYTES)}
