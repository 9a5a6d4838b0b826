from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin

from . import rules


class SurveyAnswerForm(BootstrapMixin, forms.Form):
    # Plain fields: the service checks the score and the comment and answers at each in its own words.
    score = forms.CharField(label=_("满意度"), required=False, max_length=4,
                            widget=forms.RadioSelect(choices=[(str(n), "★" * n) for n in rules.SCORES]))
    comment = forms.CharField(label=_("评价意见"), max_length=rules.MAX_COMMENT, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("评分为 2 分及以下时，请写明原因（不少于 5 个字）。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].widget.attrs["class"] = "form-check-input"


class FollowUpActForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.CharField(label=_("整改结果"), max_length=rules.MAX_OUTCOME, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("企业将在满意度回访中看到这段答复。"))


class PeriodForm(BootstrapMixin, forms.Form):
    start = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The period asked for; by default this year up to today."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("start") or today.replace(month=1, day=1), data.get("end") or today
