"""The system administrator sees every account's sessions and can end them; the key never shows."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.access import has_role
from portal.choices import Role

from . import services
from .choices import EndReason
from .models import UserSession


class OpenFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("1", _("登录中")), ("0", _("已结束"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(ended_at__isnull=True)
        if self.value() == "0":
            return queryset.filter(ended_at__isnull=False)
        return queryset


def _administrator(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and (user.is_superuser or has_role(user, Role.ADMIN))


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ["user", "device", "ip", "created_at", "last_seen", "ended_at", "end_reason", "ended_by"]
    list_filter = [OpenFilter, "end_reason"]
    list_select_related = ["user", "ended_by"]
    search_fields = ["user__username", "ip", "device"]
    date_hierarchy = "created_at"
    # Never the session key: it is the signed-in browser's secret.
    fields = ["user", "device", "user_agent", "ip", "created_at", "last_seen", "ended_at", "ended_by", "end_reason"]
    readonly_fields = fields
    actions = ["end_sessions"]

    def has_module_permission(self, request):
        return _administrator(request)

    def has_view_permission(self, request, obj=None):
        return _administrator(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the records are the history of who was signed in

    def has_end_permission(self, request):
        return _administrator(request)

    @admin.action(description=_("结束所选会话"), permissions=["end"])
    def end_sessions(self, request, queryset):
        ended = [pk for pk in queryset.filter(ended_at__isnull=True).values_list("pk", flat=True)
                 if services.user_session_end(session_id=pk, actor=request.user, reason=EndReason.ADMIN)]
        self.message_user(request, gettext("已结束 %(n)d 个会话。") % {"n": len(ended)}, messages.SUCCESS)
