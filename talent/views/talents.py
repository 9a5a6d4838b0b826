"""Talents and incubation bases. A talent's ID number and mobile are only ever shown masked."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views import View

from portal import exports
from portal.access import CHANGE, VIEW, can
from portal.models import Person
from portal.views.base import ExportMixin, FilteredListView, RoleRequiredMixin

from .. import selectors, services
from ..filtersets import TalentFilterSet
from ..forms import BaseForm, TalentForm
from ..models import IncubationBase, Talent
from .common import RecordFormView


class TalentListView(FilteredListView):
    model = Talent
    filterset_class = TalentFilterSet
    selector = staticmethod(selectors.talent_list)
    template_name = "talent/talent_list.html"
    export_name = gettext_lazy("人才")
    # Masked, as on the page: a talent's whole ID number and mobile never leave the registry.
    export_columns = [
        (gettext_lazy("姓名"), "person.name"), (gettext_lazy("身份证号"), "person.id_number_masked"),
        (gettext_lazy("手机号"), "person.mobile_masked"), (gettext_lazy("人才类别"), "get_level_display"),
        (gettext_lazy("领域"), "get_field_display"), (gettext_lazy("用人单位"), "employer.name"),
        (gettext_lazy("引进渠道"), "get_source_display"), (gettext_lazy("来源院校/机构"), "source_institution"),
        (gettext_lazy("孵化基地"), "base.city"), (gettext_lazy("引进日期"), "introduced_on"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can(self.request.user, Talent, CHANGE)
        return context


class TalentDetailView(RoleRequiredMixin, View):
    model = Talent

    def get(self, request, pk):
        talent = selectors.access_talent(user=request.user, pk=pk)
        return render(request, "talent/talent_detail.html", {
            "talent": talent,
            "person": talent.person,
            "applications": selectors.benefit_application_list(user=request.user).filter(talent=talent),
            "open_items": selectors.items_open_to(talent),
            "can_apply": services.can_submit_for(request.user, talent),
            "can_change": can(request.user, Talent, CHANGE),
            # The registry's person page, where staff with the right may see the whole numbers (audited).
            "person_in_registry": Person.objects.restrict(request.user, VIEW).filter(pk=talent.person_id).exists(),
        })


class TalentFormView(RecordFormView):
    model = Talent
    form_class = TalentForm
    list_url_name = "talent:talent_list"
    detail_url_name = "talent:talent_detail"
    list_label = Talent._meta.verbose_name_plural

    def access(self, request, pk):
        return selectors.access_talent(user=request.user, pk=pk, action=CHANGE)

    def form_kwargs(self, request, talent):
        return {"user": request.user, "talent": talent}

    def initial(self, talent):
        # Name only: the ID number and mobile are never written into the page whole.
        return {"name": talent.person.name, "level": talent.level, "field": talent.field,
                "employer": talent.employer.uscc, "source": talent.source,
                "source_institution": talent.source_institution, "introduced_on": talent.introduced_on,
                "base": talent.base_id, "note": talent.note}

    def save(self, request, talent, form):
        people, values = form.person_values(), form.talent_values()
        if talent is None:
            return services.talent_create(acting_user=request.user, **people, **values)
        return services.talent_update(acting_user=request.user, talent=talent, **people, **values)


class BaseListView(RoleRequiredMixin, ExportMixin, View):
    model = IncubationBase
    export_name = gettext_lazy("人才孵化基地")
    export_columns = [
        (gettext_lazy("基地名称"), "name"), (gettext_lazy("所在城市"), "city"), (gettext_lazy("合作单位"), "partner"),
        (gettext_lazy("设立日期"), "opened_on"), (gettext_lazy("人才"), "talent_count"),
        (gettext_lazy("项目"), "project_count"),
        (gettext_lazy("状态"), exports.flag("is_active", gettext_lazy("运行中"), gettext_lazy("已停止"))),
    ]

    def get_export_columns(self):
        # The talents column only for those who may see talents, as on the page.
        if can(self.request.user, Talent, VIEW):
            return self.export_columns
        return [c for c in self.export_columns if c[1] != "talent_count"]

    def get_export_queryset(self):
        # A grouped query ignores Meta.ordering: name it, so that the page and the file agree.
        return (selectors.base_list(user=self.request.user).annotate(project_count=Count("projects", distinct=True))
                .order_by(*IncubationBase._meta.ordering))

    def export_prepare_rows(self, rows):
        counts = self._talent_counts()
        for base in rows:
            base.talent_count = counts.get(base.pk, 0)
        return rows

    def _talent_counts(self) -> dict:
        talents = Talent.objects.restrict(self.request.user, VIEW)
        return dict(talents.order_by().values_list("base").annotate(n=Count("pk")).values_list("base", "n"))

    def get(self, request):
        bases = self.get_export_queryset()
        counts = self._talent_counts()
        rows = [{"base": b, "talents": counts.get(b.pk, 0), "projects": b.project_count} for b in bases]
        return render(request, "talent/base_list.html", {
            "rows": rows, "can_add": can(request.user, IncubationBase, CHANGE),
            "can_see_talents": can(request.user, Talent, VIEW), **self.export_context(),
        })


class BaseDetailView(RoleRequiredMixin, View):
    model = IncubationBase

    def get(self, request, pk):
        base = selectors.access_base(user=request.user, pk=pk)
        can_see_talents = can(request.user, Talent, VIEW)
        return render(request, "talent/base_detail.html", {
            "base": base,
            "can_see_talents": can_see_talents,
            "talents": selectors.talent_list(user=request.user).filter(base=base)[:200] if can_see_talents else [],
            "talent_count": selectors.talent_list(user=request.user).filter(base=base).count(),
            "projects": selectors.project_list(user=request.user).filter(base=base),
            "can_change": can(request.user, IncubationBase, CHANGE),
        })


class BaseFormView(RecordFormView):
    model = IncubationBase
    form_class = BaseForm
    list_url_name = "talent:base_list"
    detail_url_name = "talent:base_detail"
    list_label = IncubationBase._meta.verbose_name_plural

    def access(self, request, pk):
        return selectors.access_base(user=request.user, pk=pk, action=CHANGE)

    def form_kwargs(self, request, base):
        return {}

    def initial(self, base):
        return {f: getattr(base, f) for f in BaseForm.FIELDS}

    def save(self, request, base, form):
        return services.base_save(acting_user=request.user, base=base,
                                  **{f: form.cleaned_data[f] for f in BaseForm.FIELDS})
