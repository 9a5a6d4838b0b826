"""The legal service centre (民营企业法律服务中心): its overview, the resident lawyers and the
consultations log. Thin adapters over the selectors and services of outreach."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.access import ADD, CHANGE, UNMASK, can
from portal.errors import DomainError
from portal.views.base import FilteredListView, apply_domain_error

from ..filtersets.outreach import ConsultationFilterSet, LawyerFilterSet
from ..forms.outreach import AnswerForm, ConsultationForm, LawyerForm
from ..models import Consultation, Lawyer
from ..rules.outreach import ConsultationStatus
from ..selectors import outreach as selectors
from ..services import outreach as services
from .outreach import TEMPLATES, OutreachMixin


class LegalOverviewView(OutreachMixin, View):
    """Who is on duty now, and this year's consultations by category and by month."""

    model = Lawyer

    def get(self, request):
        today = timezone.localdate()
        figures = selectors.consultation_figures(user=request.user, today=today)
        peak = max([n for _m, n in figures.by_month] + [1])
        return self.render("legal_overview.html", {
            "today": today,
            "on_duty": selectors.with_consultation_counts(
                selectors.lawyers_on_duty(user=request.user, today=today), user=request.user, today=today),
            "figures": figures,
            "months": [(m, n, round(n * 100 / peak)) for m, n in figures.by_month],
            "can_add": can(request.user, Consultation, ADD),
        })


class LawyerListView(FilteredListView):
    model = Lawyer
    filterset_class = LawyerFilterSet
    selector = staticmethod(selectors.lawyer_list)
    template_name = TEMPLATES + "lawyer_list.html"
    export_name = gettext_lazy("常驻律师")
    export_columns = [
        (gettext_lazy("姓名"), "name"), (gettext_lazy("律师事务所"), "law_firm"), (gettext_lazy("擅长领域"), "specialties"),
        (gettext_lazy("手机号"), "mobile_masked"), (gettext_lazy("常驻起始日期"), "resident_since"),
        (gettext_lazy("常驻截止日期"), "resident_until"), (gettext_lazy("本年咨询"), "consultation_count_year"),
        (gettext_lazy("累计咨询"), "consultation_count"), (gettext_lazy("在岗"), "is_active"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        context["object_list"] = selectors.with_consultation_counts(context["object_list"], user=self.request.user,
                                                                    today=context["today"])
        context["can_change"] = can(self.request.user, Lawyer, CHANGE)
        return context

    def export_prepare_rows(self, rows: list) -> list:
        return selectors.with_consultation_counts(rows, user=self.request.user)


class LawyerDetailView(OutreachMixin, View):
    model = Lawyer

    def get(self, request, pk, unmasked=None):
        lawyer = selectors.access_lawyer(user=request.user, pk=pk)
        return self.render("lawyer_detail.html", {
            "lawyer": lawyer,
            "on_duty": lawyer.is_on_duty(timezone.localdate()),
            "unmasked": unmasked,
            "consultations": selectors.consultation_list(user=request.user).filter(lawyer=lawyer)[:20],
            "can_unmask": can(request.user, Lawyer, UNMASK),
            "can_change": can(request.user, Lawyer, CHANGE),
        })


class LawyerUnmaskView(OutreachMixin, View):
    """The lawyer's whole mobile: POST only, checked, audited."""

    model = Lawyer
    required_action = UNMASK
    http_method_names = ["post"]

    def post(self, request, pk):
        lawyer = selectors.access_lawyer(user=request.user, pk=pk)
        try:
            values = services.lawyer_unmask(acting_user=request.user, lawyer=lawyer)
        except DomainError as error:
            raise PermissionDenied(error.message) from None
        return LawyerDetailView(request=request).get(request, pk, unmasked=values)


class LawyerFormView(OutreachMixin, View):
    model = Lawyer
    required_action = CHANGE

    def get(self, request, pk=None):
        lawyer = selectors.access_lawyer(user=request.user, pk=pk, action=CHANGE) if pk else None
        # The whole mobile is never put in the page: left empty, the stored one stays.
        initial = {f: getattr(lawyer, f) for f in LawyerForm.base_fields if f != "mobile"} if lawyer else {}
        return self._render(self._form(lawyer, initial=initial), lawyer)

    @staticmethod
    def _form(lawyer, **kwargs):
        form = LawyerForm(**kwargs)
        if lawyer is not None and lawyer.mobile:
            form.fields["mobile"].help_text = _("当前：%(v)s；不修改请留空") % {"v": lawyer.mobile_masked}
        return form

    def post(self, request, pk=None):
        lawyer = selectors.access_lawyer(user=request.user, pk=pk, action=CHANGE) if pk else None
        form = self._form(lawyer, data=request.POST)
        if form.is_valid():
            if lawyer is not None and not form.cleaned_data.get("mobile"):
                form.cleaned_data["mobile"] = lawyer.mobile
            try:
                if lawyer is None:
                    lawyer = services.lawyer_create(acting_user=request.user, **form.cleaned_data)
                else:
                    lawyer = services.lawyer_update(acting_user=request.user, lawyer=lawyer, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已保存：%(n)s") % {"n": lawyer.name})
                return redirect("liaison:lawyer_detail", pk=lawyer.pk)
        return self._render(form, lawyer, status=400)

    def _render(self, form, lawyer, status=200):
        title = _("编辑常驻律师") if lawyer else _("新增常驻律师")
        return self.render("form.html", {"form": form, "title": title, "form_id": "lawyer-form",
                                         "parent": (_("常驻律师"), "liaison:lawyer_list")}, status=status)


class ConsultationListView(FilteredListView):
    model = Consultation
    filterset_class = ConsultationFilterSet
    selector = staticmethod(selectors.consultation_list)
    template_name = TEMPLATES + "consultation_list.html"
    export_name = gettext_lazy("法律咨询")
    export_columns = [
        (gettext_lazy("日期"), "consulted_on"), (gettext_lazy("咨询事项"), "topic"), (gettext_lazy("企业"), "enterprise.name"),
        (gettext_lazy("类别"), "get_category_display"), (gettext_lazy("律师"), "lawyer.name"),
        (gettext_lazy("方式"), "get_channel_display"), (gettext_lazy("状态"), "get_status_display"),
    ]
    paginate_by = 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can(self.request.user, Consultation, ADD)
        return context


class ConsultationCreateView(OutreachMixin, View):
    model = Consultation
    required_action = ADD

    def get(self, request):
        form = ConsultationForm(user=request.user, initial={"enterprise": request.GET.get("enterprise", ""),
                                                            "consulted_on": timezone.localdate()})
        return self._render(form)

    def post(self, request):
        form = ConsultationForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                consultation = services.consultation_record(acting_user=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已登记法律咨询：%(t)s") % {"t": consultation.topic})
                return redirect("liaison:consultation_detail", pk=consultation.pk)
        return self._render(form, status=400)

    def _render(self, form, status=200):
        return self.render("form.html", {"form": form, "title": _("登记法律咨询"), "form_id": "consultation-form",
                                         "parent": (_("法律咨询"), "liaison:consultation_list")}, status=status)


class ConsultationDetailView(OutreachMixin, View):
    model = Consultation

    def get(self, request, pk, answer_form=None):
        consultation = selectors.access_consultation(user=request.user, pk=pk)
        can_answer = (consultation.status == ConsultationStatus.OPEN and selectors.consultation_list(user=request.user, action=CHANGE)
                      .filter(pk=consultation.pk).exists())
        return self.render("consultation_detail.html", {
            "consultation": consultation, "can_answer": can_answer, "answer_form": answer_form or AnswerForm(),
        }, status=400 if answer_form is not None else 200)


class ConsultationAnswerView(OutreachMixin, View):
    model = Consultation
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        consultation = selectors.access_consultation(user=request.user, pk=pk, action=CHANGE)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.consultation_answer(acting_user=request.user, consultation=consultation,
                                             **form.cleaned_data)
            except DomainError as error:
                if not error.errors:  # answered meanwhile: nothing to show at a field
                    messages.error(request, error.message)
                    return redirect("liaison:consultation_detail", pk=pk)
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已记录答复。"))
                return redirect("liaison:consultation_detail", pk=pk)
        return ConsultationDetailView(request=request).get(request, pk, answer_form=form)

