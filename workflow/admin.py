"""The organization department's overrides of the working-day calendar, audited like every other
change made in the admin site."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import AuditedAdminMixin

from .models import WorkdayOverride

WEEKDAYS = [_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日")]


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_fields = ["date", "is_working_day", "name", "note"]
    list_display = ["date", "weekday", "is_working_day", "name", "updated_by", "updated_at"]
    list_filter = ["is_working_day"]
    list_select_related = ["updated_by"]
    date_hierarchy = "date"
    search_fields = ["name", "note"]
    fields = ["date", "is_working_day", "name", "note", "updated_by", "updated_at", "created_at"]
    readonly_fields = ["updated_by", "updated_at", "created_at"]

    @admin.display(description=_("星期"), ordering="date")
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
