"""The admin shows the rating's data read-only: every change goes through the services (with their
rules, locks and audit rows), reached from the portal's own pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.accounts import actor_label
from portal.admin import ReadOnlyAdminMixin

from .models import Cycle, Objection, PartyOrganization, Rating, RatingEvent, Rubric


class _ReadOnly(ReadOnlyAdminMixin, admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(_ReadOnly):
    list_display = ("name", "kind", "region", "member_count", "founded_on", "dissolved_on")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(Rubric)
class RubricAdmin(_ReadOnly):
    list_display = ("name", "version", "status", "published_at")


@admin.register(Cycle)
class CycleAdmin(_ReadOnly):
    list_display = ("year", "name", "rubric", "opens_on", "closes_on")


@admin.register(Rating)
class RatingAdmin(_ReadOnly):
    list_display = ("organization", "cycle", "status", "score", "stars", "valid_from", "valid_to")
    list_filter = ("status", "cycle", "stars")
    search_fields = ("organization__name",)
    list_select_related = ("organization", "cycle")


@admin.register(RatingEvent)
class RatingEventAdmin(_ReadOnly):
    list_display = ("rating", "action", "from_status", "to_status", "actor", "at")
    list_select_related = ("rating__organization", "rating__cycle", "actor")

    @admin.display(description=_("操作人"))
    def actor(self, event):
        return actor_label(event.actor, event.actor_name)


@admin.register(Objection)
class ObjectionAdmin(_ReadOnly):
    list_display = ("rating", "name", "status", "lodged_at")
    list_select_related = ("rating__organization", "rating__cycle")
    # The contact only masked here too: seeing it whole is the rating page's audited action.
    exclude = ("contact",)
    readonly_fields = ("contact_masked",)

    @admin.display(description=_("联系方式"))
    def contact_masked(self, objection):
        return objection.contact_masked
