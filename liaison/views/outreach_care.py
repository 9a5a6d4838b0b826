"""Care activities (关心关爱) and 青蓝交接 mentoring: lists with their yearly totals, forms and details."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.access import ADD, CHANGE, can
from portal.errors import DomainError
from portal.views.base import FilteredListView, apply_domain_error

from ..filtersets.outreach import CareActivityFilterSet, MentoringFilterSet
from ..forms.outreach import CareActivityForm, EndForm, MentoringPairForm, SessionForm
from ..models import CareActivity, MentoringPair
from ..selectors import outreach as selectors
from ..services import outreach as services
from .outreach import TEMPLATES, OutreachMixin

# --- care activities -----------------------------------------------------------------------------


class CareListView(FilteredListView):
    model = CareActivity
    filterset_class = CareActivityFilterSet
    selector = staticmethod(selectors.care_list)
    template_name = TEMPLATES + "care_list.html"
    export_name = gettext_lazy("关心关爱活动")
    export_columns = [
        (gettext_lazy("日期"), "held_on"), (gettext_lazy("活动名称"), "title"), (gettext_lazy("类别"), "get_kind_display"),
        (gettext_lazy("组织单位"), "organizer"), (gettext_lazy("受益企业"), "enterprise_count"),
        (gettext_lazy("受益人数"), "beneficiaries"),
    ]
    paginate_by = 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.care_totals(user=self.request.user)
        context["can_add"] = can(self.request.user, CareActivity, ADD)
        return context


class CareDetailView(OutreachMixin, View):
    model = CareActivity

    def get(self, request, pk):
        activity = selectors.access_care(user=request.user, pk=pk)
        return self.render("care_detail.html", {
            "activity": activity,
            "enterprises": selectors.care_beneficiary_enterprises(user=request.user, activity=activity),
        })


class CareCreateView(OutreachMixin, View):
    model = CareActivity
    required_action = ADD

    def get(self, request):
        return self._render(CareActivityForm(initial={"held_on": timezone.localdate()}))

    def post(self, request):
        form = CareActivityForm(request.POST)
        if form.is_valid():
            try:
                activity = services.care_activity_create(acting_user=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已登记关心关爱活动：%(t)s") % {"t": activity.title})
                return redirect("liaison:care_detail", pk=activity.pk)
        return self._render(form, status=400)

    def _render(self, form, status=200):
        return self.render("form.html", {"form": form, "title": _("登记关心关爱活动"), "form_id": "care-form",
                                         "parent": (_("关心关爱"), "liaison:care_list")}, status=status)


# --- mentoring -----------------------------------------------------------------------------------


class MentoringListView(FilteredListView):
    model = MentoringPair
    filterset_class = MentoringFilterSet
    selector = staticmethod(selectors.mentoring_list)
    template_name = TEMPLATES + "mentoring_list.html"
    export_name = gettext_lazy("青蓝结对")
    export_columns = [
        (gettext_lazy("导师"), "mentor_display"), (gettext_lazy("导师类型"), "get_mentor_kind_display"),
        (gettext_lazy("新生代企业家"), "mentee.name"), (gettext_lazy("帮带重点"), "focus"),
        (gettext_lazy("结对日期"), "started_on"), (gettext_lazy("结束日期"), "ended_on"),
        (gettext_lazy("帮带活动"), "session_count"), (gettext_lazy("最近活动"), "last_session_on"),
    ]
    paginate_by = 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.mentoring_totals(user=self.request.user)
        context["can_change"] = can(self.request.user, MentoringPair, CHANGE)
        return context


class MentoringDetailView(OutreachMixin, View):
    model = MentoringPair

    def get(self, request, pk, session_form=None, end_form=None):
        pair = selectors.access_mentoring(user=request.user, pk=pk)
        return self.render("mentoring_detail.html", {
            "pair": pair,
            "sessions": selectors.mentoring_sessions(pair),
            "can_change": can(request.user, MentoringPair, CHANGE),
            "session_form": session_form or SessionForm(initial={"held_on": timezone.localdate()}),
            "end_form": end_form or EndForm(),
        }, status=400 if session_form is not None or end_form is not None else 200)


class MentoringCreateView(OutreachMixin, View):
    model = MentoringPair
    required_action = CHANGE

    def get(self, request):
        return self._render(MentoringPairForm(user=request.user, initial={"started_on": timezone.localdate()}))

    def post(self, request):
        form = MentoringPairForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                pair = services.mentoring_pair_create(acting_user=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已建立青蓝结对：%(p)s") % {"p": pair})
                return redirect("liaison:mentoring_detail", pk=pair.pk)
        return self._render(form, status=400)

    def _render(self, form, status=200):
        return self.render("form.html", {"form": form, "title": _("新建青蓝结对"), "form_id": "mentoring-form",
                                         "parent": (_("青蓝交接"), "liaison:mentoring_list")}, status=status)


class MentoringEndView(OutreachMixin, View):
    model = MentoringPair
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        pair = selectors.access_mentoring(user=request.user, pk=pk, action=CHANGE)
        form = EndForm(request.POST)
        if form.is_valid():
            try:
                services.mentoring_pair_end(acting_user=request.user, pair=pair, **form.cleaned_data)
            except DomainError as error:
                if not error.errors:
                    messages.error(request, error.message)
                    return redirect("liaison:mentoring_detail", pk=pk)
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已结束结对：%(p)s") % {"p": pair})
                return redirect("liaison:mentoring_detail", pk=pk)
        return MentoringDetailView(request=request).get(request, pk, end_form=form)


class MentoringSessionAddView(OutreachMixin, View):
    model = MentoringPair
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        pair = selectors.access_mentoring(user=request.user, pk=pk, action=CHANGE)
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                session = services.mentoring_session_add(acting_user=request.user, pair=pair, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已记录帮带活动：%(t)s") % {"t": session.topic})
                return redirect("liaison:mentoring_detail", pk=pk)
        return MentoringDetailView(request=request).get(request, pk, session_form=form)
