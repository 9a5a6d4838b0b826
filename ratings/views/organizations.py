"""Party organizations, their coverage of enterprises, instructors, and coverage by region."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal import selectors as registry
from portal.access import CHANGE, can
from portal.errors import DomainError
from portal.models import Region
from portal.views.base import FilteredListView, RoleRequiredMixin, apply_domain_error

from .. import selectors, services
from ..filtersets import OrganizationFilterSet
from ..forms import CoverageForm, EndDateForm, InstructorForm, OrganizationForm
from ..models import InstructorAssignment, OrgCoverage, PartyOrganization
from .common import refuse

INSTRUCTORS_PER_PAGE = 50
AREAS_PER_PAGE = 50


class OrganizationListView(FilteredListView):
    model = PartyOrganization
    filterset_class = OrganizationFilterSet
    selector = staticmethod(selectors.organization_list)
    template_name = "ratings/organization_list.html"
    export_name = gettext_lazy("党组织")
    export_columns = [
        (gettext_lazy("名称"), "name"), (gettext_lazy("组织类型"), "get_kind_display"),
        (gettext_lazy("所在区划"), "region.name"), (gettext_lazy("书记"), "secretary.name"),
        (gettext_lazy("党员人数"), "member_count"), (gettext_lazy("覆盖企业"), "enterprise_count"),
        (gettext_lazy("成立日期"), "founded_on"), (gettext_lazy("撤销日期"), "dissolved_on"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can(self.request.user, PartyOrganization, CHANGE)
        return context


class OrganizationDetailView(RoleRequiredMixin, View):
    model = PartyOrganization

    def get(self, request, pk, coverage_form=None):
        organization = selectors.access_organization(user=request.user, pk=pk)
        return render(request, "ratings/organization_detail.html", {
            "organization": organization,
            "coverages": selectors.organization_coverages(organization, user=request.user),
            "history": selectors.organization_history(organization),
            "can_change": can(request.user, PartyOrganization, CHANGE),
            "coverage_form": coverage_form or CoverageForm(user=request.user),
            "end_form": EndDateForm(),
        }, status=400 if coverage_form is not None else 200)


class OrganizationFormView(RoleRequiredMixin, View):
    model = PartyOrganization
    required_action = CHANGE

    def get(self, request, pk=None):
        organization = selectors.access_organization(user=request.user, pk=pk, action=CHANGE) if pk else None
        form = OrganizationForm(instance=organization)
        return render(request, "ratings/organization_form.html", {"form": form, "organization": organization})

    def post(self, request, pk=None):
        organization = selectors.access_organization(user=request.user, pk=pk, action=CHANGE) if pk else None
        form = OrganizationForm(request.POST, instance=organization or PartyOrganization())
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                if organization is None:
                    organization = services.organization_create(acting_user=request.user, **values)
                else:
                    organization = services.organization_update(acting_user=request.user, organization=organization,
                                                                **values)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已保存：%(n)s") % {"n": organization.name})
                return redirect("ratings:organization_detail", pk=organization.pk)
        return render(request, "ratings/organization_form.html", {"form": form, "organization": organization},
                      status=400)


class CoverageStartView(RoleRequiredMixin, View):
    model = PartyOrganization
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        organization = selectors.access_organization(user=request.user, pk=pk, action=CHANGE)
        form = CoverageForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.coverage_start(acting_user=request.user, organization=organization,
                                        enterprise=form.cleaned_data["enterprise"],
                                        started_on=form.cleaned_data["started_on"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已将 %(e)s 纳入覆盖。") % {"e": form.cleaned_data["enterprise"]})
                return redirect("ratings:organization_detail", pk=organization.pk)
        return OrganizationDetailView().get(request, pk, coverage_form=form)


class CoverageEndView(RoleRequiredMixin, View):
    model = PartyOrganization
    required_action = CHANGE
    http_method_names = ["post"]

    def action_redirect_url(self, request, pk):
        coverage = OrgCoverage.objects.filter(
            pk=pk, organization__in=selectors.organization_list(user=request.user, action=CHANGE)).first()
        return reverse("ratings:organization_detail", args=[coverage.organization_id]) if coverage \
            else reverse("ratings:organization_list")

    def post(self, request, pk):
        coverage = OrgCoverage.objects.filter(
            pk=pk, organization__in=selectors.organization_list(user=request.user, action=CHANGE)).first()
        if coverage is None:
            return refuse(request, DomainError(_("没有找到该覆盖记录。")), "ratings:organization_list")
        form = EndDateForm(request.POST)
        if not form.is_valid():
            return refuse(request, DomainError(_("请填写有效的终止日期。")), "ratings:organization_detail",
                          pk=coverage.organization_id)
        try:
            services.coverage_end(acting_user=request.user, coverage=coverage, ended_on=form.cleaned_data["ended_on"])
        except DomainError as error:
            return refuse(request, error, "ratings:organization_detail", pk=coverage.organization_id)
        messages.success(request, _("已终止覆盖：%(e)s") % {"e": coverage.enterprise})
        return redirect("ratings:organization_detail", pk=coverage.organization_id)


class CoverageByRegionView(RoleRequiredMixin, View):
    """The two coverages by region, drilling from the city to a town; instructors and their form."""

    model = PartyOrganization

    def get(self, request, form=None):
        parent = None
        code = request.GET.get("region", "")
        if code:
            parent = Region.objects.filter(code=code).exclude(level="village").first()
        rows = selectors.coverage_by_region(user=request.user, parent=parent)
        totals = selectors.coverage_totals(rows, parent)
        # The instructors a page at a time: a province has thousands, each row with its own form.
        current = InstructorAssignment.objects.filter(ended_on__isnull=True)
        # Who sees every enterprise needs no "enterprise in (all of them)": at a province's scale that
        # semi-join of 100,000 enterprises was most of the page's count query.
        if not selectors.sees_every_enterprise(request.user):
            current = current.filter(enterprise__in=registry.enterprise_list(user=request.user))
        instructors = Paginator(current.select_related("instructor", "enterprise__region")
                                .order_by("enterprise__name", "pk"), INSTRUCTORS_PER_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        # The areas too, a page at a time (a province's city has hundreds of towns); the totals count all.
        areas = Paginator(rows, AREAS_PER_PAGE).get_page(request.GET.get("areas"))
        areas_query = request.GET.copy()
        areas_query.pop("areas", None)
        return render(request, "ratings/coverage.html", {
            "parent": parent, "rows": rows, "areas": areas, "areas_query": areas_query.urlencode(),
            "totals": totals, "instructors": instructors,
            "page_obj": instructors, "query_string": query.urlencode(),
            "can_change": can(request.user, PartyOrganization, CHANGE),
            "form": form or InstructorForm(user=request.user), "end_form": EndDateForm(),
        }, status=400 if form is not None else 200)


class InstructorAssignView(RoleRequiredMixin, View):
    model = PartyOrganization
    required_action = CHANGE
    http_method_names = ["post"]

    def action_redirect_url(self, request, *args, **kwargs):
        return reverse("ratings:coverage")  # where the instructors are assigned and ended

    def post(self, request):
        form = InstructorForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.instructor_assign(acting_user=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已选派党建指导员。"))
                return redirect("ratings:coverage")
        return CoverageByRegionView().get(request, form=form)


class InstructorEndView(RoleRequiredMixin, View):
    model = PartyOrganization
    required_action = CHANGE
    http_method_names = ["post"]

    def action_redirect_url(self, request, *args, **kwargs):
        return reverse("ratings:coverage")

    def post(self, request, pk):
        assignment = InstructorAssignment.objects.filter(pk=pk).first()
        form = EndDateForm(request.POST)
        if assignment is None or not form.is_valid():
            return refuse(request, DomainError(_("请填写有效的终止日期。")), "ratings:coverage")
        try:
            services.instructor_end(acting_user=request.user, assignment=assignment,
                                    ended_on=form.cleaned_data["ended_on"])
        except DomainError as error:
            return refuse(request, error, "ratings:coverage")
        messages.success(request, _("已终止选派。"))
        return redirect("ratings:coverage")
