"""The dashboards' filters (region and period) and the form that asks for the work report."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin

from .figures.period import FIRST_YEAR, default_period

EARLIEST = datetime.date(FIRST_YEAR, 1, 1)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(BootstrapMixin, forms.Form):
    """The period of a dashboard: from a day to a day (the figures are as of the second), this year so far
    when left empty."""

    date_from = forms.DateField(label=_("开始日期"), required=False, widget=_date_widget(),
                                error_messages={"invalid": _("日期格式应为 YYYY-MM-DD。")})
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=_date_widget(),
                              error_messages={"invalid": _("日期格式应为 YYYY-MM-DD。")})

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["date_from"].initial, self.fields["date_to"].initial = default_period(self.today)

    def clean_date_to(self):
        day = self.cleaned_data.get("date_to") or self.today
        if day > self.today:
            raise forms.ValidationError(_("截止日期不能晚于今天（%(day)s）。") % {"day": self.today.isoformat()})
        if day < EARLIEST:
            raise forms.ValidationError(_("截止日期不能早于 %(day)s。") % {"day": EARLIEST.isoformat()})
        return day

    def clean(self):
        cleaned = super().clean()
        day_to = cleaned.get("date_to")
        if day_to is None:
            return cleaned
        day_from = cleaned.get("date_from")
        if day_from is None and "date_from" not in self.errors:
            day_from = day_to.replace(month=1, day=1)
        if day_from is not None and day_from > day_to:
            self.add_error("date_from", _("开始日期不能晚于截止日期。"))
        else:
            cleaned["date_from"] = day_from
        return cleaned

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        """(from, to) of a valid form, or this year so far."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["date_from"], self.cleaned_data["date_to"]
        return default_period(self.today)


class LeaderFilterForm(PeriodForm):
    """The leaders' dashboard: a period and a town (or the whole city). Town staff choose among their own
    towns only, and must choose one."""

    region = forms.ModelChoiceField(label=_("区域"), queryset=None, required=False, empty_label=_("全市"),
                                    error_messages={"invalid_choice": _("请选择列表中的镇（街道）。")})

    field_order = ["region", "date_from", "date_to"]

    def __init__(self, *args, regions, region_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.region_required = region_required
        if region_required:
            # Their own town is the default: the whole city is not theirs to see.
            self.fields["region"].empty_label = None
            self.fields["region"].initial = regions.first()

    def clean_region(self):
        region = self.cleaned_data.get("region")
        if region is None and self.region_required:
            region = self.fields["region"].queryset.first()
        return region

    @property
    def chosen_region(self):
        if self.is_bound and self.is_valid():
            return self.cleaned_data["region"]
        return self.fields["region"].initial if self.region_required else None


class WorkReportForm(BootstrapMixin, forms.Form):
    """Asking for the work report: its day and, optionally, a town. The service checks both again."""

    as_of = forms.DateField(label=_("数据截止日期"), widget=_date_widget(),
                            error_messages={"required": _("请填写报告截止日期。"),
                                            "invalid": _("日期格式应为 YYYY-MM-DD。")})
    region = forms.ModelChoiceField(label=_("区域"), queryset=None, required=False, empty_label=_("全市"),
                                    error_messages={"invalid_choice": _("请选择列表中的镇（街道），或留空统计全市。")})

    def __init__(self, *args, regions, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["as_of"].initial = today or timezone.localdate()
        self.fields["as_of"].help_text = _("报告统计截至该日的数据（不晚于今天），期间为该日所在年度的 1 月 1 日至该日。")
