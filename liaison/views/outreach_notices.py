"""Policy notices (政策推送): the list (with reach and read rates for staff, read or unread for an
enterprise), drafting, publishing and withdrawing, and a notice's page, where an enterprise's
opening records its read receipt and staff see who has read it and who has not."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal import exports
from portal.access import CHANGE, can, has_role
from portal.choices import Role
from portal.errors import DomainError
from portal.views.base import FilteredListView, apply_domain_error

from ..filtersets.outreach import NoticeFilterSet
from ..forms.outreach import NoticeForm, WithdrawForm
from ..models import NoticeReceipt, PolicyNotice
from ..rules.outreach import NoticeStatus, notice_is_editable
from ..selectors import outreach as selectors
from ..services import outreach as services
from .outreach import TEMPLATES, OutreachMixin

STAFF = (Role.ORG_STAFF, Role.LEADER, Role.TOWN_STAFF, Role.STATION_OPERATOR)
READERS_PER_PAGE = 30


def _staff(user) -> bool:
    """Whether the user sees a notice's reach (staff), rather than reading it (an enterprise)."""
    return has_role(user, *STAFF)


class NoticeListView(FilteredListView):
    model = PolicyNotice
    filterset_class = NoticeFilterSet
    selector = staticmethod(selectors.notice_list)
    template_name = TEMPLATES + "notice_list.html"
    paginate_by = 30
    export_name = gettext_lazy("政策通知")
    export_columns = [
        (gettext_lazy("标题"), "title"), (gettext_lazy("推送范围"), "audience_text"),
        (gettext_lazy("发布时间"), "published_at"),
    ]
    # Staff see the reach of each notice, an enterprise whether it read it: as on the page.
    staff_export_columns = [
        (gettext_lazy("状态"), "get_status_display"), (gettext_lazy("推送企业"), "reach.reached"),
        (gettext_lazy("已读企业"), "reach.read"), (gettext_lazy("阅读率（%）"), "reach.rate"),
    ]
    reader_export_columns = [(gettext_lazy("阅读"), exports.flag("is_read", gettext_lazy("已读"), gettext_lazy("未读")))]

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        own = selectors.own_enterprises(self.request.user)
        if own and not _staff(self.request.user):
            read = NoticeReceipt.objects.filter(notice=OuterRef("pk"), enterprise__in=own)
            return queryset.annotate(is_read=Exists(read)).order_by("is_read", "-published_at", "-pk")
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["staff"] = _staff(user)
        if context["staff"]:
            reach = selectors.notice_reach(user=user, notices=context["object_list"])
            for notice in context["object_list"]:
                notice.reach = reach[notice.pk]
        context["can_change"] = can(user, PolicyNotice, CHANGE)
        return context

    def get_export_columns(self):
        extra = self.staff_export_columns if _staff(self.request.user) else self.reader_export_columns
        return self.export_columns + extra

    def export_prepare_rows(self, rows):
        if _staff(self.request.user):
            reach = {}
            for start in range(0, len(rows), 50):  # one aggregate per fifty notices, as a page does it
                reach.update(selectors.notice_reach(user=self.request.user, notices=rows[start:start + 50]))
            for notice in rows:
                notice.reach = reach[notice.pk]
        return rows


class NoticeDetailView(OutreachMixin, View):
    model = PolicyNotice

    def get(self, request, pk, withdraw_form=None):
        user = request.user
        notice = selectors.access_notice(user=user, pk=pk)
        context = {"notice": notice, "staff": _staff(user), "can_change": can(user, PolicyNotice, CHANGE),
                   "editable": notice_is_editable(notice.status), "withdraw_form": withdraw_form or WithdrawForm()}
        if notice.status == NoticeStatus.PUBLISHED and selectors.own_enterprises(user):
            try:
                context["receipt"] = services.notice_mark_read(notice=notice, user=user)
            except DomainError:
                pass  # a staff member who is also an enterprise user, opening another audience's notice
        if context["staff"] and notice.status != NoticeStatus.DRAFT:
            shown = "unread" if request.GET.get("list") == "unread" else "read"
            rows = (selectors.notice_non_readers if shown == "unread" else selectors.notice_readers)(
                user=user, notice=notice)
            context.update({
                "reach": selectors.notice_reach(user=user, notices=[notice])[notice.pk],
                "shown": shown,
                "page_obj": Paginator(rows, READERS_PER_PAGE).get_page(request.GET.get("page")),
                "query_string": f"list={shown}",
            })
        elif context["staff"]:
            context["reach"] = selectors.notice_reach(user=user, notices=[notice])[notice.pk]
        return self.render("notice_detail.html", context, status=400 if withdraw_form is not None else 200)


class NoticeFormView(OutreachMixin, View):
    model = PolicyNotice
    required_action = CHANGE

    def get(self, request, pk=None):
        notice = selectors.access_notice(user=request.user, pk=pk, action=CHANGE) if pk else None
        if notice is not None and not notice_is_editable(notice.status):
            messages.error(request, _("通知已发布，内容已冻结，不能再修改。"))
            return redirect("liaison:notice_detail", pk=notice.pk)
        initial = {f: getattr(notice, f) for f in NoticeForm.base_fields} if notice else {}
        return self._render(NoticeForm(initial=initial), notice)

    def post(self, request, pk=None):
        notice = selectors.access_notice(user=request.user, pk=pk, action=CHANGE) if pk else None
        form = NoticeForm(request.POST)
        if form.is_valid():
            try:
                if notice is None:
                    notice = services.notice_create(acting_user=request.user, **form.cleaned_data)
                else:
                    notice = services.notice_update(acting_user=request.user, notice=notice, **form.cleaned_data)
            except DomainError as error:
                if not error.errors:  # published meanwhile: frozen
                    messages.error(request, error.message)
                    return redirect("liaison:notice_detail", pk=notice.pk)
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已保存草稿：%(t)s") % {"t": notice.title})
                return redirect("liaison:notice_detail", pk=notice.pk)
        return self._render(form, notice, status=400)

    def _render(self, form, notice, status=200):
        title = _("编辑政策通知") if notice else _("起草政策通知")
        return self.render("form.html", {"form": form, "title": title, "form_id": "notice-form",
                                         "parent": (_("政策通知"), "liaison:notice_list")}, status=status)


class NoticePublishView(OutreachMixin, View):
    model = PolicyNotice
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        notice = selectors.access_notice(user=request.user, pk=pk, action=CHANGE)
        try:
            services.notice_publish(acting_user=request.user, notice=notice)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已发布：%(t)s") % {"t": notice.title})
        return redirect("liaison:notice_detail", pk=pk)


class NoticeWithdrawView(OutreachMixin, View):
    model = PolicyNotice
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        notice = selectors.access_notice(user=request.user, pk=pk, action=CHANGE)
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.notice_withdraw(acting_user=request.user, notice=notice, **form.cleaned_data)
            except DomainError as error:
                if not error.errors:
                    messages.error(request, error.message)
                    return redirect("liaison:notice_detail", pk=pk)
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已撤回：%(t)s") % {"t": notice.title})
                return redirect("liaison:notice_detail", pk=pk)
        return NoticeDetailView(request=request).get(request, pk, withdraw_form=form)
