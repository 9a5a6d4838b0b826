"""The station's one-stop desk: the enterprises of its area, what their rating is worth today, and
what the operator can do for each, most actionable first."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views import View

from portal.access import has_role, user_assignments
from portal.choices import Role
from portal.refusals import page_for_roles
from portal.views.base import RoleRequiredMixin, style_filter_form

from .. import selectors
from ..filtersets import StationDeskFilterSet


class StationDeskView(RoleRequiredMixin, View):
    """Filter by star, town, village and loan application; a fixed number of queries whatever the
    area's size: the filters, the ranking and the page are the database's, and the page's rows get
    their answer and their applications under way in one go."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_role(request.user, Role.STATION_OPERATOR):
            raise PermissionDenied(page_for_roles(request.user, [Role.STATION_OPERATOR]))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        stations = [a.station for a in user_assignments(request.user) if a.role == Role.STATION_OPERATOR]
        towns, villages = selectors.station_area_regions(stations)
        enterprises = selectors.desk_annotate(selectors.station_area_enterprises(stations)).select_related("region")
        filterset = StationDeskFilterSet(request.GET or None, queryset=enterprises, towns=towns, villages=villages)
        style_filter_form(filterset.form)
        refused = filterset.is_bound and not filterset.is_valid()
        queryset = enterprises.none() if refused else filterset.qs
        page = Paginator(queryset, 30).get_page(request.GET.get("page"))
        answers = selectors.eligibility_for(page.object_list)
        under_way = selectors.open_applications_of(page.object_list)
        rows = [{"answer": answers[e.pk], "open_applications": under_way.get(e.pk, [])} for e in page.object_list]
        query_string = request.GET.copy()
        query_string.pop("page", None)
        return render(request, "finance/desk.html", {
            "stations": stations, "filter": filterset, "page_obj": page, "rows": rows,
            "query_string": query_string.urlencode()}, status=400 if refused else 200)
