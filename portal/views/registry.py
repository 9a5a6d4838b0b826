"""HTML pages of the registry: thin adapters over the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from .. import exports, selectors, services
from ..access import CHANGE, UNMASK, VIEW, can, user_assignments
from ..accounts import actor_label
from ..errors import DomainError
from ..filtersets import (
    AuditLogFilterSet,
    EnterpriseFilterSet,
    PersonFilterSet,
    RegionFilterSet,
    StationFilterSet,
)
from ..forms import EnterpriseForm, PersonForm
from ..models import AuditLog, Enterprise, Institution, Person, Region, ServiceStation
from .base import ExportMixin, FilteredListView, RoleRequiredMixin, apply_domain_error, post_action

# Tabs of the enterprise page. A later app appends (slug, label, template, context function);
# the context function receives (request, enterprise) and returns a dict, or None to hide the tab.
ENTERPRISE_TABS: list[tuple[str, str, str, object]] = []

# Cards of the home page. A later app appends (template, context function); the function receives
# the request and returns a dict for the template, or None to leave the card out for this user.
HOME_CARDS: list[tuple[str, object]] = []


@method_decorator(login_required, name="dispatch")
class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["assignments"] = user_assignments(user)
        # Each role's cards only (portal.views.home): the registry's own first, then each app's.
        from .home import admin_card, registry_card

        own_cards = [("portal/home_card_registry.html", registry_card), ("portal/home_card_admin.html", admin_card)]
        cards = []
        for template, context_fn in [*own_cards, *HOME_CARDS]:
            extra = context_fn(self.request)
            if extra is not None:
                cards.append({"template": template, **extra})
        context["home_cards"] = cards
        return context


class EnterpriseListView(FilteredListView):
    model = Enterprise
    filterset_class = EnterpriseFilterSet
    selector = staticmethod(selectors.enterprise_list)
    template_name = "portal/enterprise_list.html"
    export_name = gettext_lazy("市场主体")
    export_columns = [
        (gettext_lazy("名称"), "name"), (gettext_lazy("统一社会信用代码"), "uscc"),
        (gettext_lazy("主体类型"), "get_kind_display"), (gettext_lazy("行业门类"), "get_industry_display"),
        (gettext_lazy("所在区划"), "region.name"), (gettext_lazy("园区"), "park.name"),
        (gettext_lazy("从业人数"), "employees"), (gettext_lazy("重点民企"), "is_key"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can(self.request.user, Enterprise, CHANGE)
        return context


class EnterpriseDetailView(RoleRequiredMixin, View):
    model = Enterprise

    def get(self, request, pk, tab="overview"):
        enterprise = selectors.access_enterprise(user=request.user, pk=pk)
        tabs = [{"slug": "overview", "label": _("基本信息")}]
        tab_context = {}
        active_template = "portal/enterprise_tab_overview.html"
        for slug, label, template, context_fn in ENTERPRISE_TABS:
            extra = context_fn(request, enterprise)
            if extra is None:
                continue
            tabs.append({"slug": slug, "label": label})
            if slug == tab:
                active_template, tab_context = template, extra
        if tab not in {t["slug"] for t in tabs}:
            return redirect("enterprise_detail", pk=enterprise.pk)
        people = enterprise.person_links.select_related("person").order_by("link", "person__name")
        return render(request, "portal/enterprise_detail.html", {
            "enterprise": enterprise,
            "tabs": tabs,
            "active_tab": tab,
            "tab_template": active_template,
            "people": people,
            "can_change": Enterprise.objects.restrict(request.user, CHANGE).filter(pk=enterprise.pk).exists(),
            **tab_context,
        })


class EnterpriseFormView(RoleRequiredMixin, View):
    model = Enterprise
    required_action = CHANGE

    def get(self, request, pk=None):
        enterprise = self._instance(request, pk)
        form = EnterpriseForm(instance=enterprise, user=request.user)
        return self._render(request, form, enterprise)

    def post(self, request, pk=None):
        enterprise = self._instance(request, pk)
        form = EnterpriseForm(request.POST, instance=enterprise or Enterprise(), user=request.user)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                saved = services.enterprise_save_with_people(acting_user=request.user, enterprise=enterprise,
                                                             new_people=form.new_people, **values)
                if enterprise is None:
                    messages.success(request, _("已登记：%(name)s") % {"name": saved.name})
                else:
                    messages.success(request, _("已保存：%(name)s") % {"name": saved.name})
                return redirect("enterprise_detail", pk=saved.pk)
            except DomainError as error:
                apply_domain_error(form, error)
        return self._render(request, form, enterprise, status=400)

    def _instance(self, request, pk):
        if pk is None:
            return None
        return selectors.access_enterprise(user=request.user, pk=pk, action=CHANGE)

    def _render(self, request, form, enterprise, status=200):
        return render(request, "portal/enterprise_form.html", {"form": form, "enterprise": enterprise},
                      status=status)


class PersonSearchView(RoleRequiredMixin, View):
    """Search as you type for a form's person picker: the people the user sees whose name holds the
    text, or whose whole ID number it is (a part of a number finds nothing: the numbers stay masked
    and cannot be guessed digit by digit). At most ten, ID number and mobile masked."""

    model = Person
    LIMIT = 10

    def get(self, request):
        text = (request.GET.get("q") or "").strip()[:40]
        if not text:
            return JsonResponse({"results": []})
        people = (selectors.person_list(user=request.user)
                  .filter(Q(name__icontains=text) | Q(id_number=text.upper())).order_by("name", "pk")[:self.LIMIT])
        return JsonResponse({"results": [
            {"id": p.pk, "name": p.name, "id_number": p.id_number_masked, "mobile": p.mobile_masked}
            for p in people]})


class PersonListView(FilteredListView):
    model = Person
    filterset_class = PersonFilterSet
    selector = staticmethod(selectors.person_list)
    template_name = "portal/person_list.html"
    export_name = gettext_lazy("人员")
    # Masked, as on the page: the whole numbers are only ever shown one person at a time, audited.
    export_columns = [
        (gettext_lazy("姓名"), "name"), (gettext_lazy("身份证号"), "id_number_masked"),
        (gettext_lazy("手机号"), "mobile_masked"), (gettext_lazy("新生代企业家"), "is_new_generation"),
    ]


class PersonDetailView(RoleRequiredMixin, View):
    model = Person

    def get(self, request, pk):
        person = selectors.access_person(user=request.user, pk=pk)
        links = person.enterprise_links.filter(
            enterprise__in=selectors.enterprise_list(user=request.user)
        ).select_related("enterprise")
        return render(request, "portal/person_detail.html", {
            "person": person,
            "links": links,
            "can_unmask": Person.objects.restrict(request.user, UNMASK).filter(pk=person.pk).exists(),
            "can_change": can(request.user, Person, CHANGE),
        })


class PersonFormView(RoleRequiredMixin, View):
    model = Person
    required_action = CHANGE

    def get(self, request, pk=None):
        person = selectors.access_person(user=request.user, pk=pk, action=CHANGE) if pk else None
        return render(request, "portal/person_form.html", {"form": PersonForm(instance=person), "person": person})

    def post(self, request, pk=None):
        person = selectors.access_person(user=request.user, pk=pk, action=CHANGE) if pk else None
        form = PersonForm(request.POST, instance=person or Person())
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                if person is None:
                    person = services.person_create(acting_user=request.user, **values)
                else:
                    person = services.person_update(acting_user=request.user, person=person, **values)
                messages.success(request, _("已保存：%(name)s") % {"name": person.name})
                return redirect("person_detail", pk=person.pk)
            except DomainError as error:
                apply_domain_error(form, error)
        return render(request, "portal/person_form.html", {"form": form, "person": person}, status=400)


@post_action
@login_required
def person_unmask_view(request, pk):
    """Reveal a person's whole ID number and mobile: POST only, checked, audited."""
    person = selectors.access_person(user=request.user, pk=pk)
    try:
        values = services.person_unmask(acting_user=request.user, person=person)
    except DomainError as error:
        raise PermissionDenied(error.message) from None
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(values)
    links = person.enterprise_links.filter(
        enterprise__in=selectors.enterprise_list(user=request.user)
    ).select_related("enterprise")
    return render(request, "portal/person_detail.html", {
        "person": person, "links": links, "unmasked": values, "can_unmask": True,
        "can_change": can(request.user, Person, CHANGE),
    })


class StationListView(FilteredListView):
    model = ServiceStation
    filterset_class = StationFilterSet
    selector = staticmethod(selectors.station_list)
    template_name = "portal/station_list.html"
    export_name = gettext_lazy("金融服务站")
    export_columns = [
        (gettext_lazy("编号"), "code"), (gettext_lazy("名称"), "name"), (gettext_lazy("层级"), "get_level_display"),
        (gettext_lazy("设立地点"), "get_host_display"),
        (gettext_lazy("服务区域"), lambda s: s.park.name if s.park_id else s.region.name),
        (gettext_lazy("电话"), "phone"),
        (gettext_lazy("状态"), exports.flag("is_active", gettext_lazy("在用"), gettext_lazy("停用"))),
    ]


class StationDetailView(RoleRequiredMixin, View):
    model = ServiceStation

    def get(self, request, pk):
        station = selectors.access_station(user=request.user, pk=pk)
        served = selectors.enterprise_list(user=request.user).filter(station.enterprise_q())
        return render(request, "portal/station_detail.html", {
            "station": station,
            "served_count": served.count() if can(request.user, Enterprise, VIEW) else None,
            "served": served[:20] if can(request.user, Enterprise, VIEW) else [],
        })


class RegionListView(FilteredListView):
    model = Region
    filterset_class = RegionFilterSet
    selector = staticmethod(selectors.region_list)
    template_name = "portal/region_list.html"
    paginate_by = 100
    export_name = gettext_lazy("行政区划")
    export_columns = [
        (gettext_lazy("代码"), "code"), (gettext_lazy("名称"), "name"), (gettext_lazy("层级"), "get_kind_display"),
        (gettext_lazy("上级"), "parent.name"), (gettext_lazy("下级数"), "child_count"),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(child_count=Count("children")).order_by("code")


class InstitutionListView(RoleRequiredMixin, ExportMixin, View):
    model = Institution
    export_name = gettext_lazy("金融机构")
    export_columns = [
        (gettext_lazy("类型"), "get_kind_display"), (gettext_lazy("名称"), "name"), (gettext_lazy("简称"), "short_name"),
        (gettext_lazy("网点数"), "branch_count"),
    ]

    def get_export_queryset(self):
        # A grouped query ignores Meta.ordering: name it, so that the page and the file agree.
        return (selectors.institution_list(user=self.request.user).annotate(branch_count=Count("branches"))
                .order_by(*Institution._meta.ordering))

    def get(self, request):
        institutions = self.get_export_queryset()
        return render(request, "portal/institution_list.html", {
            "banks": [i for i in institutions if i.kind == "bank"],
            "insurers": [i for i in institutions if i.kind == "insurer"],
            **self.export_context(),
        })


class AuditLogListView(FilteredListView):
    model = AuditLog
    filterset_class = AuditLogFilterSet
    selector = staticmethod(selectors.audit_log_list)
    template_name = "portal/audit_list.html"
    export_name = gettext_lazy("审计日志")
    export_columns = [
        (gettext_lazy("时间"), "at"), (gettext_lazy("操作人"), lambda log: actor_label(log.actor, log.actor_name)),
        (gettext_lazy("操作人账号"), "actor_name"), (gettext_lazy("操作"), "action"),
        (gettext_lazy("对象"), "object_repr"), (gettext_lazy("对象类型"), "object_type"),
        (gettext_lazy("对象编号"), "object_id"), (gettext_lazy("说明"), "note"),
        (gettext_lazy("修改前"), lambda log: exports.as_json(log.before)),
        (gettext_lazy("修改后"), lambda log: exports.as_json(log.after)), (gettext_lazy("客户端地址"), "ip"),
        # The chain's two hashes: an exported log can be checked against the portal's (audit_verify).
        (gettext_lazy("前一条的校验值"), "prev_hash"), (gettext_lazy("校验值"), "row_hash"),
    ]


def enterprise_detail_url(enterprise) -> str:
    return reverse("enterprise_detail", kwargs={"pk": enterprise.pk})
