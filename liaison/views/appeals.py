"""Pages of the appeals part: the list with its summary, the overdue/escalated queue, raising an
appeal, an appeal with its timeline and the steps this user may take, and the departments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import ModelChoiceField
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal import exports
from portal.access import ADD, CHANGE, VIEW, can, has_role
from portal.choices import Role
from portal.errors import AccessDenied, DomainError
from portal.models import Enterprise
from portal.refusals import page_for_roles
from portal.views.base import ExportMixin, FilteredListView, RoleRequiredMixin, apply_domain_error

from ..choices_appeals import AppealAction
from ..filtersets.appeals import AppealFilterSet
from ..forms.appeals import (
    STEP_FORMS,
    AppealForm,
    AssignForm,
    AttachmentForm,
    DepartmentForm,
    DepartmentMembersForm,
    LeadForm,
    RateForm,
    ReasonForm,
    ResolveForm,
    StepForm,
)
from ..models import Appeal, AppealAttachment, Department
from ..rules import appeals as rules
from ..selectors import appeals as selectors
from ..services import appeals as services

A = AppealAction
QUEUE_ROLES = (Role.ORG_STAFF, Role.TOWN_STAFF, Role.LEADER, Role.CADRE)


class AppealListView(FilteredListView):
    model = Appeal
    filterset_class = AppealFilterSet
    selector = staticmethod(selectors.appeal_list)
    template_name = "liaison/appeals/appeal_list.html"
    paginate_by = 30
    export_name = gettext_lazy("问题诉求")
    export_columns = [
        (gettext_lazy("编号"), "number"), (gettext_lazy("标题"), "title"), (gettext_lazy("企业"), "enterprise.name"),
        (gettext_lazy("类别"), "get_category_display"), (gettext_lazy("渠道"), "get_channel_display"),
        (gettext_lazy("承办部门"), "department.short_name"), (gettext_lazy("承办人"), "assignee_name"),
        (gettext_lazy("办理期限"), "deadline"), (gettext_lazy("超期"), "overdue"),
        (gettext_lazy("状态"), "get_status_display"), (gettext_lazy("督办级别"), "escalation_level"),
        (gettext_lazy("满意度"), "satisfaction"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = selectors.appeal_summary(self.request.user)
        context["can_create"] = can(self.request.user, Appeal, ADD)
        context["can_queue"] = has_role(self.request.user, *QUEUE_ROLES)
        return context


class AppealQueueView(AppealListView):
    """Overdue, left unassigned too long, or escalated: what staff and cadres chase."""

    selector = staticmethod(selectors.appeal_queue)
    template_name = "liaison/appeals/appeal_queue.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_role(request.user, *QUEUE_ROLES):
            raise PermissionDenied(page_for_roles(request.user, QUEUE_ROLES))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # The queue has no summary box: skip the list page's additions.
        return FilteredListView.get_context_data(self, **kwargs)


class AppealCreateView(RoleRequiredMixin, View):
    model = Appeal
    required_action = ADD

    def get(self, request):
        own = selectors.own_enterprise(request.user)
        form = AppealForm(user=request.user, with_enterprise=own is None)
        pk = request.GET.get("enterprise", "")
        visit = self._visit(request, form)
        if visit is not None:
            # From a visit record: the visit and its enterprise are filled in (the channel is the visit).
            form.initial["visit"] = visit.pk
            pk = str(visit.enterprise_id)
        if "enterprise" in form.fields and pk.isdigit():
            # From an enterprise's page: the enterprise is filled in (an id for a drop-down, else its code).
            enterprise = selectors.creatable_enterprises(user=request.user).filter(pk=pk).first()
            if enterprise is not None:
                by_id = isinstance(form.fields["enterprise"], ModelChoiceField)
                form.initial["enterprise"] = enterprise.pk if by_id else enterprise.uscc
        return self._render(request, form, own, from_visit=visit)

    @staticmethod
    def _visit(request, form):
        """The cadre's own visit named by ?visit=, when the form offers visits."""
        pk = request.GET.get("visit", "")
        if "visit" not in form.fields or not pk.isdigit():
            return None
        return form.fields["visit"].queryset.model.objects.filter(
            pk=pk, cadre__user=request.user).select_related("enterprise").first()

    def post(self, request):
        own = selectors.own_enterprise(request.user)
        form = AppealForm(request.POST, request.FILES, user=request.user, with_enterprise=own is None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appeal = services.appeal_create(
                    acting_user=request.user, enterprise=own or data["enterprise"], category=data["category"],
                    platform=data["platform"], channel=data.get("channel"), visit=data.get("visit"),
                    title=data["title"], description=data["description"], uploads=data.get("files") or [])
            except AccessDenied as error:
                raise PermissionDenied(error.message) from None
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("诉求已提交，编号 %(n)s，办理期限 %(d)s。") % {
                    "n": appeal.number, "d": appeal.deadline.isoformat()})
                return redirect("liaison:appeal_detail", pk=appeal.pk)
        return self._render(request, form, own, status=400)

    def _render(self, request, form, own, status=200, from_visit=None):
        return render(request, "liaison/appeals/appeal_form.html", {"form": form, "own": own,
                                                                     "from_visit": from_visit}, status=status)


class AppealDetailView(RoleRequiredMixin, View):
    model = Appeal

    def get(self, request, pk, forms=None, status=200):
        appeal = selectors.access_appeal(user=request.user, pk=pk)
        forms = forms or {}
        version = {"version": appeal.version}
        actions = selectors.appeal_actions(request.user, appeal)
        return render(request, "liaison/appeals/appeal_detail.html", {
            "appeal": appeal,
            "overdue": appeal.is_overdue(),
            "lateness": rules.lateness(appeal.status, appeal.deadline, appeal.received_on, timezone.localdate()),
            "events": selectors.appeal_events(appeal),
            "escalations": selectors.appeal_escalations(appeal),
            "attachments": appeal.attachments.all(),
            "actions": actions,
            "simple_actions": [a for a in actions if a in (A.START, A.CLOSE, A.WITHDRAW)],
            "assign_form": forms.get(A.ASSIGN) or forms.get(A.REASSIGN) or AssignForm(initial={
                **version, "department": appeal.department_id, "assignee": appeal.assignee_id,
                "deadline": appeal.deadline}),
            "resolve_form": forms.get(A.RESOLVE) or ResolveForm(initial=version),
            "reopen_form": forms.get(A.REOPEN) or ReasonForm(initial=version, prefix="reopen"),
            "dismiss_form": forms.get(A.DISMISS) or ReasonForm(initial=version, prefix="dismiss"),
            "rate_form": forms.get(A.RATE) or RateForm(),
            "attachment_form": forms.get(A.ATTACH) or AttachmentForm(),
            "can_lead": selectors.can_lead_appeal(request.user, appeal),
            "lead_form": forms.get("lead") or LeadForm(),
            "can_attach": selectors.can_attach_to_appeal(request.user, appeal)
            and appeal.status in (*rules.OPEN_STATUSES, "resolved"),
            # An assignee from another town, say, handles the appeal without seeing the enterprise's page.
            "enterprise_visible": Enterprise.objects.restrict(request.user, VIEW).filter(pk=appeal.enterprise_id)
            .exists(),
        }, status=status)


class AppealActionView(RoleRequiredMixin, View):
    """A step posted from the appeal page; a refusal at a field shows the page again with the form."""

    model = Appeal
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk, action):
        appeal = selectors.access_appeal(user=request.user, pk=pk)
        if action not in rules.TRANSITION_ACTIONS:
            raise Http404
        form_class = STEP_FORMS.get(action, StepForm)
        prefix = action if action in (A.REOPEN, A.DISMISS) else None
        form = form_class(request.POST, prefix=prefix)
        if not form.is_valid():
            if form_class is StepForm or "version" in form.errors:
                messages.error(request, _("请刷新页面后重试。"))
                return redirect("liaison:appeal_detail", pk=pk)
            return AppealDetailView().get(request, pk, forms={action: form}, status=400)
        data = form.cleaned_data
        try:
            services.appeal_transition(
                appeal=appeal, action=action, acting_user=request.user, version=data["version"],
                department=data.get("department"), assignee=data.get("assignee"), deadline=data.get("deadline"),
                note=data.get("note", ""), resolution=data.get("resolution", ""))
        except AccessDenied as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            if error.errors and form_class is not StepForm:
                apply_domain_error(form, error)
                return AppealDetailView().get(request, pk, forms={action: form}, status=400)
            messages.error(request, error.message)
        else:
            messages.success(request, _("已%(a)s。") % {"a": A(action).label})
        return redirect("liaison:appeal_detail", pk=pk)


class AppealRateView(RoleRequiredMixin, View):
    model = Appeal
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        appeal = selectors.access_appeal(user=request.user, pk=pk)
        form = RateForm(request.POST)
        form.is_valid()
        try:
            services.appeal_rate(appeal=appeal, score=form.cleaned_data.get("score", ""),
                                 comment=form.cleaned_data.get("comment", ""), acting_user=request.user)
        except AccessDenied as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            if not error.errors:  # not now, or not again: said at the top of the page
                messages.error(request, error.message)
                return redirect("liaison:appeal_detail", pk=pk)
            apply_domain_error(form, error)
            return AppealDetailView().get(request, pk, forms={A.RATE: form}, status=400)
        messages.success(request, _("感谢您的评价。"))
        return redirect("liaison:appeal_detail", pk=pk)


class AppealLeadView(RoleRequiredMixin, View):
    """A leader's comment, instruction or pressing on an appeal escalated to it; opened with GET (a
    refresh, a bookmark) it leads back to the appeal."""

    model = Appeal

    def get(self, request, pk):
        return redirect("liaison:appeal_detail", pk=pk)

    def post(self, request, pk):
        appeal = selectors.access_appeal(user=request.user, pk=pk)
        form = LeadForm(request.POST)
        form.is_valid()
        action = request.POST.get("action", "")  # the button pressed
        service = services.LEADER_SERVICES.get(action)
        if service is None:
            messages.error(request, _("请刷新页面后重试。"))
            return redirect("liaison:appeal_detail", pk=pk)
        try:
            service(appeal=appeal, note=form.cleaned_data.get("note", ""), acting_user=request.user)
        except AccessDenied as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            if error.field or error.errors:
                apply_domain_error(form, error)
                return AppealDetailView().get(request, pk, forms={"lead": form}, status=400)
            messages.error(request, error.message)
            return redirect("liaison:appeal_detail", pk=pk)
        messages.success(request, LEAD_DONE[action])
        return redirect("liaison:appeal_detail", pk=pk)


LEAD_DONE = {A.COMMENT: gettext_lazy("已提出意见。"), A.INSTRUCT: gettext_lazy("已作出批示。"),
             A.PRESS: gettext_lazy("已催办承办部门。")}


class AppealAttachView(RoleRequiredMixin, View):
    model = Appeal
    http_method_names = ["post"]

    def post(self, request, pk):
        appeal = selectors.access_appeal(user=request.user, pk=pk)
        form = AttachmentForm(request.POST, request.FILES)
        form.is_valid()
        try:
            attachment = services.appeal_attach(appeal=appeal, upload=form.cleaned_data.get("file"),
                                                acting_user=request.user)
        except AccessDenied as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            apply_domain_error(form, error)
            return AppealDetailView().get(request, pk, forms={A.ATTACH: form}, status=400)
        messages.success(request, _("已上传：%(n)s") % {"n": attachment.name})
        return redirect("liaison:appeal_detail", pk=pk)


class AppealAttachmentView(RoleRequiredMixin, View):
    model = AppealAttachment

    def get(self, request, pk):
        attachment = AppealAttachment.objects.restrict(request.user, VIEW).filter(pk=pk).first()
        if attachment is None:
            raise Http404
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


class DepartmentListView(RoleRequiredMixin, ExportMixin, View):
    model = Department
    export_name = gettext_lazy("职能部门")
    export_columns = [
        (gettext_lazy("名称"), "name"), (gettext_lazy("简称"), "short_name"), (gettext_lazy("办理中诉求"), "open_count"),
        (gettext_lazy("诉求总数"), "total_count"),
        (gettext_lazy("状态"), exports.flag("is_active", gettext_lazy("在用"), gettext_lazy("已停用"))),
    ]

    def get_export_queryset(self, request=None):
        # A grouped query ignores Meta.ordering: name it, so that the page and the file agree.
        user = (request or self.request).user
        return selectors.department_list(user=user).order_by(*Department._meta.ordering)

    def get(self, request, form=None):
        return render(request, "liaison/appeals/department_list.html", {
            "departments": self.get_export_queryset(request),
            "can_manage": can(request.user, Department, CHANGE),
            "form": form or DepartmentForm(),
            **self.export_context(request),
        }, status=400 if form else 200)


class DepartmentCreateView(RoleRequiredMixin, View):
    model = Department
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request):
        form = DepartmentForm(request.POST)
        form.is_valid()
        try:
            department = services.department_create(acting_user=request.user, name=form.cleaned_data.get("name"),
                                                    short_name=form.cleaned_data.get("short_name"))
        except DomainError as error:
            apply_domain_error(form, error)
            return DepartmentListView().get(request, form=form)
        messages.success(request, _("已新增职能部门：%(d)s") % {"d": department.name})
        return redirect("liaison:department_list")


class DepartmentMembersView(RoleRequiredMixin, View):
    """Who handles a department's appeals (承办人员): the assignees it may be given."""

    model = Department
    required_action = CHANGE

    def get(self, request, pk, form=None):
        department = selectors.access_department(user=request.user, pk=pk, action=CHANGE)
        form = form or DepartmentMembersForm(initial={"members": list(department.members.all())})
        return render(request, "liaison/appeals/department_members.html", {"department": department, "form": form},
                      status=400 if form.is_bound else 200)

    def post(self, request, pk):
        department = selectors.access_department(user=request.user, pk=pk, action=CHANGE)
        form = DepartmentMembersForm(request.POST)
        if form.is_valid():
            try:
                services.department_set_members(acting_user=request.user, department=department,
                                                members=form.cleaned_data["members"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已更新“%(d)s”的承办人员。") % {"d": department.name})
                return redirect("liaison:department_list")
        return self.get(request, pk, form=form)


class DepartmentToggleView(RoleRequiredMixin, View):
    model = Department
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        department = selectors.access_department(user=request.user, pk=pk, action=CHANGE)
        department = services.department_set_active(acting_user=request.user, department=department,
                                                    is_active=not department.is_active)
        messages.success(request, (_("已启用：%(d)s") if department.is_active else _("已停用：%(d)s"))
                         % {"d": department.name})
        return redirect("liaison:department_list")


def enterprise_appeals_tab(request, enterprise):
    """The enterprise page's tab: its appeals, and a button to raise one when the user may."""
    if not can(request.user, Appeal, VIEW):
        return None
    return {
        "tab_appeals": selectors.appeal_list(user=request.user).filter(enterprise=enterprise)[:50],
        "tab_can_create": selectors.creatable_enterprises(user=request.user).filter(pk=enterprise.pk).exists(),
    }


def home_card(request) -> dict | None:
    """What waits for this user: the enterprise its open appeals and those to rate; a cadre what was
    escalated to it and its paired enterprises' open appeals; staff what waits for assignment and what
    is overdue. Each counter is the length of the appeal list it opens (portal.homecards)."""
    from portal.homecards import list_counter

    user = request.user
    appeals = selectors.appeal_list(user=user)

    def counter(label, params, tone="danger"):
        return list_counter(request, label=label, url_name="liaison:appeal_list", queryset=appeals,
                            filterset_class=AppealFilterSet, params=params, tone=tone)

    sections = {}
    if has_role(user, Role.ENTERPRISE_USER):
        sections["enterprise"] = {
            "counters": [counter(_("办理中"), {"open": "true"}, "secondary"),
                         counter(_("待您评价"), {"to_rate": "true"}, "warning")],
            "rate_list": appeals.filter(status__in=rules.DONE_STATUSES, satisfaction__isnull=True)
            .order_by("-resolved_at")[:5]}
    if has_role(user, Role.CADRE):
        escalated = selectors.escalations_to(user=user)
        sections["cadre"] = {
            "counters": [counter(_("督办给您"), {"open": "true", "escalated_to_me": "true"}),
                         counter(_("结对企业办理中"), {"open": "true"}, "secondary")],
            "escalated_list": escalated.order_by("deadline")[:5]}
    if has_role(user, Role.ORG_STAFF, Role.TOWN_STAFF):
        sections["staff"] = {"counters": [counter(_("待交办"), {"status": "received"}, "warning"),
                                          counter(_("已超期"), {"overdue": "true"})]}
    return {"sections": sections} if sections else None


def register() -> None:
    """Menu entries, enterprise tabs and home cards of this part (called from LiaisonConfig.ready)."""
    from portal.navigation import MENU, MenuEntry
    from portal.views.registry import ENTERPRISE_TABS, HOME_CARDS

    MENU.extend([
        MenuEntry(gettext_lazy("问题诉求"), "liaison:appeal_list", "chat-square-text",
                  lambda u: can(u, Appeal, VIEW), group="liaison"),
        MenuEntry(gettext_lazy("超期督办"), "liaison:appeal_queue", "alarm",
                  lambda u: has_role(u, *QUEUE_ROLES) and can(u, Appeal, VIEW), group="liaison"),
        MenuEntry(gettext_lazy("职能部门"), "liaison:department_list", "diagram-3",
                  lambda u: has_role(u, Role.ORG_STAFF) and can(u, Department, CHANGE), group="liaison"),
    ])
    ENTERPRISE_TABS.append(("appeals", gettext_lazy("问题诉求"), "liaison/appeals/enterprise_tab.html",
                            enterprise_appeals_tab))
    HOME_CARDS.append(("liaison/appeals/home_card.html", home_card))
