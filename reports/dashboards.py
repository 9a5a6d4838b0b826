"""The dashboards: the leaders' (the whole system, or a town), a service station's and a bank's own
figures; and the page that asks for the periodic work report. Thin views over `reports.figures`: the
figures come from the apps' selectors, already limited to the user; the charts read them from the page
itself (json_script), not from further requests."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views import View

from portal.access import has_role, user_assignments
from portal.choices import RegionLevel, Role
from portal.errors import AccessDenied, DomainError
from portal.replica import replica_reads
from portal.selectors import region_list
from portal.views.base import apply_domain_error

from . import services
from .choices import ReportKind
from .dashboard_forms import LeaderFilterForm, PeriodForm, WorkReportForm
from .documents.work_report import can_request_work_report, report_regions
from .figures import figures
from .figures.charts import bank_charts, leader_charts, station_charts
from .figures.links import leader_links
from .figures.own import bank_dashboard, station_dashboard, user_banks, user_stations

LEADER_ROLES = (Role.ORG_STAFF, Role.LEADER, Role.TOWN_STAFF)


def can_see_leader_dashboard(user) -> bool:
    return has_role(user, *LEADER_ROLES)


def can_see_station_dashboard(user) -> bool:
    return has_role(user, Role.STATION_OPERATOR) and bool(user_stations(user))


def can_see_bank_dashboard(user) -> bool:
    return has_role(user, Role.BANK_OFFICER) and bool(user_banks(user))


class RoleDashboardMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; a user for whom `allowed(user)` is false gets 403."""

    allowed = staticmethod(lambda user: False)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not type(self).allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def dashboard_regions(user):
    """The towns the leaders' dashboard may be narrowed to, and whether one must be chosen: the whole
    city's for the organization department and leaders, a town's own staff their town only."""
    if has_role(user, Role.ORG_STAFF, Role.LEADER):
        return region_list(user=user).filter(level=RegionLevel.TOWN).order_by("code"), False
    own = [a.region_id for a in user_assignments(user) if a.role == Role.TOWN_STAFF and a.region_id]
    return region_list(user=user).filter(pk__in=own).order_by("code"), True


class LeaderDashboardView(RoleDashboardMixin, View):
    allowed = staticmethod(can_see_leader_dashboard)

    @replica_reads()
    def get(self, request):
        regions, required = dashboard_regions(request.user)
        form = LeaderFilterForm(request.GET or None, regions=regions, region_required=required)
        context = {"form": form, "work_form": None}
        if not form.is_bound or form.is_valid():
            date_from, date_to = form.period
            result = figures(user=request.user, as_of=date_to, since=date_from, region=form.chosen_region)
            links = leader_links(result)
            context.update(figures=result, scope=result.scope, links=links, charts=leader_charts(result, links))
        if can_request_work_report(request.user):
            context["work_form"] = WorkReportForm(regions=report_regions(request.user),
                                                  initial={"region": form.chosen_region})
        return render(request, "reports/dashboards/leader.html", context)


class StationDashboardView(RoleDashboardMixin, View):
    allowed = staticmethod(can_see_station_dashboard)

    @replica_reads()
    def get(self, request):
        form = PeriodForm(request.GET or None)
        context = {"form": form}
        if not form.is_bound or form.is_valid():
            date_from, date_to = form.period
            result = station_dashboard(user=request.user, as_of=date_to, since=date_from)
            context.update(d=result, charts=station_charts(result))
        return render(request, "reports/dashboards/station.html", context)


class BankDashboardView(RoleDashboardMixin, View):
    allowed = staticmethod(can_see_bank_dashboard)

    @replica_reads()
    def get(self, request):
        form = PeriodForm(request.GET or None)
        context = {"form": form}
        if not form.is_bound or form.is_valid():
            date_from, date_to = form.period
            result = bank_dashboard(user=request.user, as_of=date_to, since=date_from)
            context.update(d=result, charts=bank_charts(result))
        return render(request, "reports/dashboards/bank.html", context)


class WorkReportRequestView(RoleDashboardMixin, View):
    """Ask for the work report: the form (GET), or the request (POST), which queues the report — or
    gives back the one already asked for with the same day and region — and shows its progress."""

    allowed = staticmethod(can_request_work_report)
    template_name = "reports/dashboards/work_report_form.html"

    def get(self, request):
        form = WorkReportForm(regions=report_regions(request.user))
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = WorkReportForm(request.POST, regions=report_regions(request.user))
        if form.is_valid():
            region = form.cleaned_data["region"]
            params = {"as_of": form.cleaned_data["as_of"].isoformat(), "region": region.pk if region else ""}
            try:
                report = services.report_request(kind=ReportKind.WORK_REPORT, params=params,
                                                 acting_user=request.user)
            except AccessDenied as error:
                raise PermissionDenied(error.message) from None
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                return redirect("reports:detail", pk=report.pk)
        return render(request, self.template_name, {"form": form}, status=400)
