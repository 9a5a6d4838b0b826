"""The admin shows the insurance data read-only: every change goes through the services (with their
rules, locks and audit rows), reached from the portal's own pages."""

from django.contrib import admin

from portal.admin import ReadOnlyAdminMixin

from .models import DiscountTable, InsuranceProduct, Policy, Quote


class _ReadOnly(ReadOnlyAdminMixin, admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(InsuranceProduct)
class InsuranceProductAdmin(_ReadOnly):
    list_display = ("name", "insurer", "category", "is_active")
    list_filter = ("category", "is_active")
    list_select_related = ("insurer",)


@admin.register(DiscountTable)
class DiscountTableAdmin(_ReadOnly):
    list_display = ("effective_from", "note", "created_at")


@admin.register(Quote)
class QuoteAdmin(_ReadOnly):
    list_display = ("number", "enterprise", "insurer", "product", "stars", "base_premium", "discount_percent",
                    "net_premium", "status", "quoted_on")
    list_filter = ("status", "channel", "insurer")
    search_fields = ("enterprise__name", "enterprise__uscc")
    list_select_related = ("enterprise", "insurer", "product")


@admin.register(Policy)
class PolicyAdmin(_ReadOnly):
    list_display = ("policy_number", "insurer", "starts_on", "ends_on", "issued_by_name", "issued_at")
    list_filter = ("insurer",)
    search_fields = ("policy_number",)
    list_select_related = ("insurer",)
