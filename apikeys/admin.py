"""The system administrator names each institution's key administrators here and may set the legacy
tokens' cut-off date (also on the portal's key page). Keys themselves are read-only here: they are
made, rotated and revoked in the portal, where the full key is shown once and every step audited."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from rest_framework_api_key.models import APIKey

from portal.admin import ReadOnlyAdminMixin
from portal.errors import DomainError

from . import services
from .models import InstitutionAPIKey, KeyAdministrator, LegacyTokenPolicy, ServiceAccount

# The library's own model is not used: this portal's keys belong to institutions.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


class KeyAdministratorForm(forms.ModelForm):
    class Meta:
        model = KeyAdministrator
        fields = ["user", "institution"]


@admin.register(KeyAdministrator)
class KeyAdministratorAdmin(admin.ModelAdmin):
    form = KeyAdministratorForm
    list_display = ["user", "institution", "created_at"]
    list_filter = ["institution"]
    search_fields = ["user__username", "user__last_name", "institution__name"]
    autocomplete_fields = ["user", "institution"]

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            saved = services.key_administrator_assign(acting_user=request.user, user=obj.user,
                                                      institution=obj.institution)
        except DomainError as error:
            raise ValidationError(error.message) from None
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.key_administrator_remove(acting_user=request.user, administrator=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(LegacyTokenPolicy)
class LegacyTokenPolicyAdmin(admin.ModelAdmin):
    fields = ["cutoff", "deprecated_since", "updated_at", "updated_by"]
    readonly_fields = ["deprecated_since", "updated_at", "updated_by"]
    list_display = ["__str__", "cutoff", "updated_at", "updated_by"]

    def has_add_permission(self, request):
        return not LegacyTokenPolicy.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.legacy_cutoff_set(acting_user=request.user, cutoff=obj.cutoff)


@admin.register(InstitutionAPIKey)
class InstitutionAPIKeyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["institution", "name", "prefix", "expiry_date", "revoked", "last_used_at", "created"]
    list_display_links = None  # the change page's address would carry the library's primary key, the hash
    list_filter = ["institution", "revoked"]
    search_fields = ["prefix", "name", "institution__name"]
    # Never the library's primary key: it carries the hash.
    fields = ["institution", "name", "prefix", "scopes", "allowed_networks", "rate_limit", "expiry_date",
              "created", "created_by", "last_used_at", "last_used_ip", "revoked", "revoked_at", "revoked_by",
              "revoked_reason", "rotated_at"]
    readonly_fields = fields


@admin.register(ServiceAccount)
class ServiceAccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["institution", "user", "created_at"]
