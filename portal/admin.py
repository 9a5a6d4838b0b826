"""The admin site is for system administrators: accounts and roles. It shows the audit log read-only
and writes an audit row for every account or role change it makes."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .accounts import actor_label, display_name, role_names
from .audit import audit_record, snapshot
from .models import AuditArchive, AuditLog, RoleAssignment
from .punctuation import series

User = get_user_model()

admin.site.site_header = _("党建+服务门户 · 系统管理")
admin.site.site_title = _("系统管理")


class AuditedAdminMixin:
    audit_fields: list[str] | None = None

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk), self.audit_fields) if change else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user, action=f"{obj._meta.model_name}.{'update' if change else 'create'}", obj=obj,
            before=before, after=snapshot(obj, self.audit_fields),
        )

    def delete_model(self, request, obj):
        before = snapshot(obj, self.audit_fields)
        label, pk, text = obj._meta.label_lower, str(obj.pk), str(obj)
        super().delete_model(request, obj)
        audit_record(actor=request.user, action=f"{obj._meta.model_name}.delete", object_type=label,
                     object_id=pk, object_repr=text, before=before)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["region", "station", "institution", "enterprise"]


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django joins this help text with its warning when its module is imported, which fixes it in the
    # language of that moment (Chinese here): join them when the form is shown instead.
    usable_password_help_text = format_lazy(
        "{}{}", SetUnusablePasswordMixin.usable_password_help_text,
        mark_safe('<ul id="id_unusable_warning" class="messagelist"><li class="warning">'  # noqa: S308 - constant
                  "If disabled, the current password for this user will be lost.</li></ul>"))


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(AuditedAdminMixin, UserAdmin):
    change_password_form = PasswordChangeForm
    audit_fields = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser"]
    inlines = [RoleAssignmentInline]
    # One name column in Chinese order (黄海涛), and the roles the account holds.
    list_display = ["username", "person_name", "roles", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "last_name", "first_name", "email"]

    @admin.display(description=_("姓名"), ordering="last_name")
    def person_name(self, user):
        return display_name(user)

    @admin.display(description=_("角色"))
    def roles(self, user):
        return series(role_names(user))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_assignments")

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit_record(actor=request.user, action="roleassignment.delete", obj=obj, before=snapshot(obj))
            obj.delete()
        for obj in instances:
            created = obj.pk is None
            obj.save()
            audit_record(actor=request.user, action=f"roleassignment.{'create' if created else 'update'}",
                         obj=obj, after=snapshot(obj))
        formset.save_m2m()


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "region", "station", "institution", "enterprise", "is_head"]
    list_filter = ["role", "is_head"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user", "region", "station", "institution", "enterprise"]


class ReadOnlyAdminMixin:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "actor_name", "action", "object_type", "object_id", "object_repr", "ip"]
    list_select_related = ["actor"]

    @admin.display(description=_("操作人"))
    def actor(self, log):
        return actor_label(log.actor, log.actor_name)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("actor__role_assignments")
    list_filter = ["action"]
    search_fields = ["actor_name", "object_repr", "object_id"]
    readonly_fields = [f.name for f in AuditLog._meta.fields]


@admin.register(AuditArchive)
class AuditArchiveAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The archive files of the audit log's oldest rows (manage.py audit_archive, monthly by beat)."""

    list_display = ["first_at", "last_at", "rows", "first_id", "last_id", "sha256", "created_at"]


# Registered only so the role inline can search them; administrators change them through the portal.
from .models import Enterprise, Institution, Region, ServiceStation  # noqa: E402


class _SearchOnly(ReadOnlyAdminMixin, admin.ModelAdmin):
    def has_module_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


@admin.register(Region)
class RegionAdmin(_SearchOnly):
    search_fields = ["name", "code"]


@admin.register(ServiceStation)
class StationAdmin(_SearchOnly):
    search_fields = ["name", "code"]


@admin.register(Institution)
class InstitutionAdmin(_SearchOnly):
    search_fields = ["name", "short_name", "code"]


@admin.register(Enterprise)
class EnterpriseAdmin(_SearchOnly):
    search_fields = ["name", "uscc"]
