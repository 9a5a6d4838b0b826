"""Pages of the pairings part (领导干部联系企业): cadres with their pairings and the forms that add and
end them, the coverage of the range, the visit log, and a cadre's own page; plus the enterprise tab
"联系领导", the home cards and the menu entries (`register()`).

Thin adapters: the selectors decide what a user sees, the services what may be written.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.access import ADD, CHANGE, VIEW, can, has_role, scope_q
from portal.choices import Role
from portal.errors import DomainError
from portal.refusals import page_for_roles
from portal.views.base import FilteredListView, RoleRequiredMixin, apply_domain_error

from ..filtersets.pairings import CadreFilterSet, VisitFilterSet
from ..forms.pairings import CadreForm, PairingEndForm, PairingForm, VisitForm
from ..models import Cadre, Pairing, Visit
from ..rules import pairings as rules
from ..selectors import pairings as selectors
from ..services import pairings as services

T = "liaison/pairings/"


class RolesRequiredMixin(RoleRequiredMixin):
    """The model right, and also one of `roles` (pages made for some roles only)."""

    roles: tuple = ()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.roles and not has_role(request.user, *self.roles):
            raise PermissionDenied(page_for_roles(request.user, self.roles))
        return super().dispatch(request, *args, **kwargs)


# --- cadres --------------------------------------------------------------------------------------

# The words of liaison/pairings/_state.html for a cadre's range state ("" when it is not held to it).
RANGE_LABELS = {**dict(rules.RANGE_STATES), "": gettext_lazy("不考核")}


class CadreListView(FilteredListView):
    model = Cadre
    filterset_class = CadreFilterSet
    selector = staticmethod(selectors.cadre_list)
    template_name = T + "cadre_list.html"
    export_name = gettext_lazy("联系领导")
    export_columns = [
        (gettext_lazy("姓名"), "name"), (gettext_lazy("职务"), "post"), (gettext_lazy("单位"), "unit"),
        (gettext_lazy("干部层级"), "get_level_display"), (gettext_lazy("联系重点民企"), "enterprise_count"),
        (gettext_lazy("联系企业家"), "entrepreneur_count"),
        (gettext_lazy("结对数量"), lambda c: RANGE_LABELS.get(c.range_state, RANGE_LABELS[""])),
        (gettext_lazy("最近走访"), "last_visit"), (gettext_lazy("在岗"), "is_active"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"can_change": can(self.request.user, Cadre, CHANGE), "min": rules.MIN_PAIRED,
                        "max": rules.MAX_PAIRED})
        return context


class CadreDetailView(RoleRequiredMixin, View):
    model = Cadre

    def get(self, request, pk, pairing_form=None, end_form=None, end_pk=None):
        user = request.user
        cadre = selectors.access_cadre(user=user, pk=pk)
        current, past = selectors.cadre_pairings(cadre, user=user)
        can_change = can(user, Pairing, CHANGE)
        if can_change:
            for pairing in current:
                pairing.end_form = end_form if pairing.pk == end_pk else PairingEndForm(prefix=f"end{pairing.pk}")
        can_see_visits = can(user, Visit, VIEW)
        visits = list(selectors.visit_list(user=user).filter(cadre=cadre)[:20]) if can_see_visits else []
        failed = pairing_form is not None or end_form is not None
        return render(request, T + "cadre_detail.html", {
            "cadre": cadre, "current": current, "past": past, "visits": visits, "can_see_visits": can_see_visits,
            "can_change": can_change, "can_change_cadre": can(user, Cadre, CHANGE),
            "pairing_form": pairing_form or PairingForm(), "min": rules.MIN_PAIRED, "max": rules.MAX_PAIRED,
        }, status=400 if failed else 200)


class CadreFormView(RoleRequiredMixin, View):
    model = Cadre
    required_action = CHANGE

    def get(self, request, pk=None):
        cadre = selectors.access_cadre(user=request.user, pk=pk, action=CHANGE) if pk else None
        form = CadreForm.of(cadre) if cadre else CadreForm()
        return render(request, T + "cadre_form.html", {"form": form, "cadre": cadre})

    def post(self, request, pk=None):
        cadre = selectors.access_cadre(user=request.user, pk=pk, action=CHANGE) if pk else None
        form = CadreForm(request.POST)
        if form.is_valid():
            try:
                if cadre is None:
                    cadre = services.cadre_create(acting_user=request.user, **form.cleaned_data)
                else:
                    cadre = services.cadre_update(acting_user=request.user, cadre=cadre, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已保存：%(c)s") % {"c": cadre})
                return redirect("liaison:cadre_detail", pk=cadre.pk)
        return render(request, T + "cadre_form.html", {"form": form, "cadre": cadre}, status=400)


# --- pairings ------------------------------------------------------------------------------------

class PairingCreateView(RoleRequiredMixin, View):
    model = Pairing
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        cadre = selectors.access_cadre(user=request.user, pk=pk)
        form = PairingForm(request.POST)
        if form.is_valid():
            try:
                pairing = services.pairing_create(cadre=cadre, acting_user=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已建立结对：%(c)s 联系 %(p)s") % {"c": cadre.name, "p": pairing.partner})
                return redirect("liaison:cadre_detail", pk=cadre.pk)
        return CadreDetailView().get(request, pk, pairing_form=form)


class PairingEndView(RoleRequiredMixin, View):
    model = Pairing
    required_action = CHANGE
    http_method_names = ["post"]

    def action_redirect_url(self, request, pk):
        return reverse("liaison:cadre_detail",
                       args=[selectors.access_pairing(user=request.user, pk=pk, action=CHANGE).cadre_id])

    def post(self, request, pk):
        pairing = selectors.access_pairing(user=request.user, pk=pk, action=CHANGE)
        form = PairingEndForm(request.POST, prefix=f"end{pairing.pk}")
        if form.is_valid():
            try:
                services.pairing_end(pairing=pairing, acting_user=request.user, **form.cleaned_data)
            except DomainError as error:
                if not error.errors:  # already ended, say from a page opened before: no field to show it at
                    messages.error(request, error.message)
                    return redirect("liaison:cadre_detail", pk=pairing.cadre_id)
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已结束结对：%(c)s 联系 %(p)s") % {"c": pairing.cadre.name,
                                                                            "p": pairing.partner})
                return redirect("liaison:cadre_detail", pk=pairing.cadre_id)
        return CadreDetailView().get(request, pairing.cadre_id, end_form=form, end_pk=pairing.pk)


class CoverageView(RolesRequiredMixin, View):
    """结对覆盖: county-level cadres under or over the range, and key enterprises without a leader."""

    model = Cadre
    roles = (Role.ORG_STAFF, Role.LEADER)

    def get(self, request):
        user = request.user
        coverage = selectors.pairing_coverage(user=user)
        page = Paginator(selectors.key_without_leader(user=user), 50).get_page(request.GET.get("page"))
        return render(request, T + "coverage.html", {
            "coverage": coverage, "page_obj": page, "uncovered": page.object_list, "query_string": "",
            "can_change": can(user, Pairing, CHANGE), "min": rules.MIN_PAIRED, "max": rules.MAX_PAIRED,
        })


# --- visits --------------------------------------------------------------------------------------

class VisitListView(FilteredListView):
    model = Visit
    filterset_class = VisitFilterSet
    selector = staticmethod(selectors.visit_list)
    template_name = T + "visit_list.html"
    export_name = gettext_lazy("走访记录")
    export_columns = [
        (gettext_lazy("日期"), "visited_on"), (gettext_lazy("联系领导"), "cadre.name"),
        (gettext_lazy("企业"), "enterprise.name"), (gettext_lazy("联系方式"), "get_kind_display"),
        (gettext_lazy("交流内容"), "discussed"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can(self.request.user, Visit, ADD)
        return context


class VisitDetailView(RoleRequiredMixin, View):
    model = Visit

    def get(self, request, pk):
        from ..selectors.appeals import appeal_list, creatable_enterprises

        visit = selectors.access_visit(user=request.user, pk=pk)
        # The cadre who made the visit raises what it heard there as an appeal (channel: visit).
        can_raise = (visit.cadre.user_id == request.user.pk and has_role(request.user, Role.CADRE)
                     and creatable_enterprises(user=request.user).filter(pk=visit.enterprise_id).exists())
        return render(request, T + "visit_detail.html", {"visit": visit, "can_raise_appeal": can_raise,
                                                         "visit_appeals": appeal_list(user=request.user).filter(visit=visit)})


class VisitCreateView(RoleRequiredMixin, View):
    model = Visit
    required_action = ADD

    def _own_cadre(self, request) -> Cadre | None:
        """None for the organization department (any cadre); else the cadre the account stands for."""
        if not scope_q(Visit, request.user, ADD):  # Q(): every cadre's log
            return None
        own = selectors.own_cadre(request.user)
        if own is None:
            raise PermissionDenied(_("您的账号尚未关联联系领导，请联系组织部。"))
        return own

    def get(self, request):
        form = VisitForm(own_cadre=self._own_cadre(request))
        if "enterprise" in request.GET and form.own_cadre is not None:
            form.initial["enterprise"] = request.GET["enterprise"]
        return render(request, T + "visit_form.html", {"form": form})

    def post(self, request):
        own = self._own_cadre(request)
        form = VisitForm(request.POST, own_cadre=own)
        if form.is_valid():
            try:
                visit = services.visit_record(acting_user=request.user, **form.values())
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已记录走访：%(v)s") % {"v": visit})
                return redirect("liaison:my_pairings" if own is not None else "liaison:visit_list")
        return render(request, T + "visit_form.html", {"form": form}, status=400)


# --- a cadre's own page --------------------------------------------------------------------------

class MyPairingsView(RolesRequiredMixin, View):
    """我的联系企业: the enterprises and entrepreneurs a cadre account is paired with."""

    roles = (Role.CADRE,)

    def get(self, request):
        mine = selectors.my_liaison(user=request.user)
        return render(request, T + "my_pairings.html", {
            "mine": mine, "appeal_list_url": selectors.appeal_list_url(), "today": timezone.localdate(),
            "can_add_visit": mine.cadre is not None and can(request.user, Visit, ADD),
        })


# --- plug-ins: enterprise tab, home cards, menu --------------------------------------------------

def enterprise_liaison_tab(request, enterprise) -> dict | None:
    """The enterprise's "联系领导" tab: its current leaders (its own and its entrepreneurs'), and the
    visits to it for those who may see them."""
    user = request.user
    if not can(user, Pairing, VIEW):
        return None
    can_see_visits = can(user, Visit, VIEW)
    visits = list(selectors.visit_list(user=user).filter(enterprise=enterprise)[:20]) if can_see_visits else []
    return {"liaison_pairings": selectors.enterprise_pairings(enterprise, user=user),
            "liaison_visits": visits, "liaison_can_see_visits": can_see_visits}


def cadre_home_card(request) -> dict | None:
    if not has_role(request.user, Role.CADRE):
        return None
    return {"mine": selectors.my_liaison(user=request.user, recent=5)}


def staff_home_card(request) -> dict | None:
    """Cadres under or over the 1–3 range, counted as the cadre list filtered by that state shows them."""
    from portal.homecards import list_counter

    user = request.user
    if not selectors.can_see_coverage(user):
        return None
    cadres = selectors.cadre_list(user=user)
    counters = [list_counter(request, label=label, url_name="liaison:cadre_list", queryset=cadres,
                             filterset_class=CadreFilterSet, params={"range_state": state}, tone=tone)
                for state, label, tone in ((rules.UNDER, _("结对不足"), "warning"), (rules.OVER, _("结对超出"), "danger"))]
    return {"counters": counters, "coverage": selectors.pairing_coverage(user=user)}


def _can_list_cadres(user) -> bool:
    return has_role(user, Role.ORG_STAFF, Role.LEADER, Role.TOWN_STAFF) and can(user, Cadre, VIEW)


def register() -> None:
    """Menu entries, enterprise tabs and home cards of this part (called from LiaisonConfig.ready)."""
    from portal.navigation import MENU, MenuEntry
    from portal.views.registry import ENTERPRISE_TABS, HOME_CARDS

    if any(entry.url_name == "liaison:cadre_list" for entry in MENU):
        return
    MENU.extend([
        MenuEntry(gettext_lazy("联系领导"), "liaison:cadre_list", "person-badge", _can_list_cadres, group="liaison"),
        MenuEntry(gettext_lazy("结对覆盖"), "liaison:pairing_coverage", "pie-chart", selectors.can_see_coverage,
                  group="liaison"),
        MenuEntry(gettext_lazy("走访记录"), "liaison:visit_list", "journal-text", lambda u: can(u, Visit, VIEW),
                  group="liaison"),
        MenuEntry(gettext_lazy("我的联系企业"), "liaison:my_pairings", "building-check",
                  lambda u: has_role(u, Role.CADRE), group="liaison"),
    ])
    ENTERPRISE_TABS.append(("liaison", gettext_lazy("联系领导"), T + "enterprise_tab.html", enterprise_liaison_tab))
    HOME_CARDS.append((T + "home_card_cadre.html", cadre_home_card))
    HOME_CARDS.append((T + "home_card_staff.html", staff_home_card))
