"""Innovation and training records: co-built projects, IP service actions, order-based training,
科创中国 registrations. Lists carry the yearly totals; a record names only the enterprises the reader
may see, and counts the rest."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.access import CHANGE, can
from portal.errors import DomainError
from portal.views.base import FilteredListView, RoleRequiredMixin, apply_domain_error

from .. import selectors, services
from ..filtersets import IPActionFilterSet, ProjectFilterSet, RegistrationFilterSet, TrainingSessionFilterSet
from ..forms import IPActionForm, ProjectForm, RegistrationForm, TrainingSessionForm, codes_of
from ..models import InnovationProject, IPServiceAction, PlatformRegistration, TrainingSession
from .common import RecordFormView, named_enterprises


class _ListView(FilteredListView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can(self.request.user, self.model, CHANGE)
        return context


class _DetailView(RoleRequiredMixin, View):
    template_name = ""
    selector = None

    def get(self, request, pk):
        record = type(self).selector(user=request.user, pk=pk)
        return render(request, self.template_name, {
            "record": record, **named_enterprises(request, record),
            "can_change": can(request.user, self.model, CHANGE),
        })


class _FormView(RecordFormView):
    service = None
    record_kwarg = ""
    form_fields = ()

    def initial(self, record):
        return {**{f: getattr(record, f) for f in self.form_fields}, "enterprises": codes_of(record.enterprises.all())}

    def save(self, request, record, form):
        values = {f: form.cleaned_data[f] for f in self.form_fields}
        return type(self).service(acting_user=request.user, enterprises=form.cleaned_data["enterprises"],
                                  **{self.record_kwarg: record}, **values)


# --- co-built projects ----------------------------------------------------------------------------

class ProjectListView(_ListView):
    model = InnovationProject
    filterset_class = ProjectFilterSet
    selector = staticmethod(selectors.project_list)
    template_name = "talent/project_list.html"
    export_name = gettext_lazy("科创合作项目")
    export_columns = [
        (gettext_lazy("项目名称"), "name"), (gettext_lazy("合作方"), "partner"), (gettext_lazy("类型"), "get_kind_display"),
        (gettext_lazy("进展"), "get_status_display"), (gettext_lazy("签约日期"), "signed_on"),
        (gettext_lazy("落地日期"), "landed_on"), (gettext_lazy("孵化基地"), "base.city"),
        (gettext_lazy("参与企业"), "enterprise_count"),
    ]


class ProjectDetailView(_DetailView):
    model = InnovationProject
    selector = staticmethod(selectors.access_project)
    template_name = "talent/project_detail.html"


class ProjectFormView(_FormView):
    model = InnovationProject
    form_class = ProjectForm
    form_fields = ProjectForm.FIELDS
    service = staticmethod(services.project_save)
    record_kwarg = "project"
    list_url_name = "talent:project_list"
    detail_url_name = "talent:project_detail"
    list_label = InnovationProject._meta.verbose_name_plural

    def access(self, request, pk):
        return selectors.access_project(user=request.user, pk=pk, action=CHANGE)

    def initial(self, record):
        return {**super().initial(record), "base": record.base_id}


# --- IP service actions ---------------------------------------------------------------------------

class IPActionListView(_ListView):
    model = IPServiceAction
    filterset_class = IPActionFilterSet
    selector = staticmethod(selectors.ip_action_list)
    template_name = "talent/ip_action_list.html"
    export_name = gettext_lazy("知识产权惠企入园活动")
    export_columns = [
        (gettext_lazy("日期"), "held_on"), (gettext_lazy("活动名称"), "title"), (gettext_lazy("合作单位"), "partner"),
        (gettext_lazy("服务企业"), "enterprise_count"), (gettext_lazy("专利服务"), "patents"),
        (gettext_lazy("咨询"), "consultations"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.ip_totals_by_year(self.filterset.qs)
        return context


class IPActionDetailView(_DetailView):
    model = IPServiceAction
    selector = staticmethod(selectors.access_ip_action)
    template_name = "talent/ip_action_detail.html"


class IPActionFormView(_FormView):
    model = IPServiceAction
    form_class = IPActionForm
    form_fields = IPActionForm.FIELDS
    service = staticmethod(services.ip_action_save)
    record_kwarg = "action"
    list_url_name = "talent:ip_action_list"
    detail_url_name = "talent:ip_action_detail"
    list_label = IPServiceAction._meta.verbose_name_plural

    def access(self, request, pk):
        return selectors.access_ip_action(user=request.user, pk=pk, action=CHANGE)


# --- order-based training -------------------------------------------------------------------------

class TrainingListView(_ListView):
    model = TrainingSession
    filterset_class = TrainingSessionFilterSet
    selector = staticmethod(selectors.training_session_list)
    template_name = "talent/training_list.html"
    export_name = gettext_lazy("订单式培训")
    export_columns = [
        (gettext_lazy("日期"), "held_on"), (gettext_lazy("培训主题"), "topic"), (gettext_lazy("职业院校"), "school"),
        (gettext_lazy("参训企业"), "enterprise_count"), (gettext_lazy("参训人数"), "trainees"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.training_totals_by_year(self.filterset.qs)
        return context


class TrainingDetailView(_DetailView):
    model = TrainingSession
    selector = staticmethod(selectors.access_training_session)
    template_name = "talent/training_detail.html"


class TrainingFormView(_FormView):
    model = TrainingSession
    form_class = TrainingSessionForm
    form_fields = TrainingSessionForm.FIELDS
    service = staticmethod(services.training_session_save)
    record_kwarg = "session"
    list_url_name = "talent:training_list"
    detail_url_name = "talent:training_detail"
    list_label = TrainingSession._meta.verbose_name_plural

    def access(self, request, pk):
        return selectors.access_training_session(user=request.user, pk=pk, action=CHANGE)


# --- 科创中国 registrations ------------------------------------------------------------------------

class RegistrationListView(_ListView):
    model = PlatformRegistration
    filterset_class = RegistrationFilterSet
    selector = staticmethod(selectors.registration_list)
    template_name = "talent/registration_list.html"
    export_name = gettext_lazy("科创中国入驻")
    export_columns = [
        (gettext_lazy("入驻日期"), "registered_on"), (gettext_lazy("入驻类型"), "get_kind_display"),
        (gettext_lazy("企业"), "enterprise.name"), (gettext_lazy("人数/户数"), "count"), (gettext_lazy("说明"), "note"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.registration_totals_by_year(self.filterset.qs)
        return context


class RegistrationCreateView(RoleRequiredMixin, View):
    model = PlatformRegistration
    required_action = CHANGE

    def get(self, request):
        return self._render(request, RegistrationForm(user=request.user))

    def post(self, request):
        form = RegistrationForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.registration_create(acting_user=request.user, kind=data["kind"],
                                             registered_on=data["registered_on"], enterprise=data["enterprise"],
                                             count=data["count"], note=data["note"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已登记科创中国入驻。"))
                return redirect("talent:registration_list")
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        return render(request, "talent/record_form.html", {
            "form": form, "instance": None, "list_url_name": "talent:registration_list",
            "list_label": PlatformRegistration._meta.verbose_name_plural}, status=status)
