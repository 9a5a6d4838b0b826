"""The rating workflow's pages: overview, queues, a rating, its score sheet and the staff actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.access import CHANGE, UNMASK, VIEW, can, user_assignments
from portal.errors import AccessDenied, DomainError
from portal.views.base import FilteredListView, RoleRequiredMixin, apply_domain_error

from .. import rules, selectors, services
from ..choices import RatingAction, RatingStatus
from ..filtersets import RatingFilterSet
from ..forms import DowngradeForm, EvidenceForm, ReasonForm, ResolveForm, ScoreForm
from ..models import Evidence, Objection, Rating
from .common import only_enterprise_user, refuse

A, S = RatingAction, RatingStatus
# The buttons of each step's score sheet, in the order they are shown.
SHEET_ACTIONS = {
    S.SELF: [A.SAVE, A.SUBMIT],
    S.TOWN: [A.SAVE, A.APPROVE, A.RETURN, A.REJECT],
    S.DEPT: [A.SAVE, A.APPROVE, A.RETURN, A.REJECT],
}
PREVIOUS_STAGE = {"town": "self", "dept": "town"}


class RatingHomeView(RoleRequiredMixin, View):
    """The cycle dashboard: where the current cycle stands, what waits for this user, the trend."""

    model = Rating

    def get(self, request):
        user = request.user
        if only_enterprise_user(user):
            return redirect("ratings:mine")
        cycle = selectors.current_cycle()
        queues = []
        for status in (S.TOWN, S.DEPT):
            queue = selectors.rating_queue(user=user, status=status)
            reviewers = {rules.reviewer_role(status, "town"), rules.reviewer_role(status, "city")}
            if reviewers & {a.role for a in user_assignments(user)}:
                # Counted as the queue page counts them, its overdue part by the queue's own filter.
                overdue = RatingFilterSet({"overdue": "true"}, queryset=queue).qs.count()
                queues.append({"status": status, "label": S(status).label, "count": queue.count(),
                               "overdue": overdue})
        return render(request, "ratings/home.html", {
            "cycle": cycle,
            "summary": selectors.cycle_summary(user=user, cycle=cycle) if cycle else None,
            "trend": selectors.star_trend(user=user),
            "queues": queues,
            "can_manage": can(user, Objection, CHANGE),
        })


class RatingListView(FilteredListView):
    model = Rating
    filterset_class = RatingFilterSet
    selector = staticmethod(selectors.rating_list)
    template_name = "ratings/rating_list.html"
    export_name = gettext_lazy("星级评定")
    export_columns = [
        (gettext_lazy("党组织"), "organization.name"), (gettext_lazy("所在区划"), "organization.region.name"),
        (gettext_lazy("年度"), "cycle.year"), (gettext_lazy("状态"), "get_status_display"),
        (gettext_lazy("得分"), "score"), (gettext_lazy("星级"), "stars"),
        (gettext_lazy("进入当前环节"), "step_entered_on"), (gettext_lazy("有效期起"), "valid_from"),
        (gettext_lazy("有效期止"), "valid_to"), (gettext_lazy("有异议"), "has_open_objection"),
    ]


class RatingQueueView(FilteredListView):
    """The ratings waiting at one step for this user to act on, oldest first."""

    model = Rating
    filterset_class = RatingFilterSet
    template_name = "ratings/rating_list.html"
    export_name = gettext_lazy("评定审核队列")
    export_columns = [
        (gettext_lazy("党组织"), "organization.name"), (gettext_lazy("所在区划"), "organization.region.name"),
        (gettext_lazy("年度"), "cycle.year"), (gettext_lazy("状态"), "get_status_display"),
        (gettext_lazy("得分"), "score"), (gettext_lazy("星级"), "stars"),
        (gettext_lazy("进入当前环节"), "step_entered_on"), (gettext_lazy("有效期起"), "valid_from"),
        (gettext_lazy("有效期止"), "valid_to"), (gettext_lazy("有异议"), "has_open_objection"),
    ]

    def get_base_queryset(self):
        if self.kwargs["status"] not in (S.TOWN, S.DEPT):
            raise Http404
        return selectors.rating_queue(user=self.request.user, status=self.kwargs["status"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["queue"] = S(self.kwargs["status"])
        context["today"] = timezone.localdate()
        # The same count as the home page's counter of this queue's overdue ratings (ratings.views.home).
        context["overdue_count"] = self.get_base_queryset().filter(selectors.overdue_q()).count()
        return context


class RatingDetailView(RoleRequiredMixin, View):
    model = Rating

    def get(self, request, pk):
        rating = selectors.access_rating(user=request.user, pk=pk)
        return render(request, "ratings/rating_detail.html", detail_context(request, rating))


def detail_context(request, rating, **forms):
    user = request.user
    can_act = services.can_act_on_rating(user, rating)
    objections = selectors.objection_list(user=user).filter(rating=rating) if can(user, Objection, VIEW) else []
    today = timezone.localdate()
    context = {
        "rating": rating,
        "breakdown": selectors.rating_item_rows(rating),
        "events": rating.events.select_related("actor").prefetch_related("actor__role_assignments"),
        "objections": objections,
        "can_act": can_act,
        "can_score": can_act and rating.status in SHEET_ACTIONS,
        "can_publish": can_act and rating.status == S.NOTICE
        and rules.publication_due(rating.notice_ends_on, today, int(rating.has_open_objection)),
        "can_resolve": can(user, Objection, CHANGE),
        "can_unmask_objection": can(user, Objection, UNMASK),
        "unmasked": forms.get("unmasked") or {},
        "can_revoke": can_act and rating.status == S.PUBLISHED,
        "revoke_form": forms.get("revoke_form") or ReasonForm(initial={"version": rating.version}),
        "downgrade_form": forms.get("downgrade_form") or DowngradeForm(initial={"version": rating.version}),
        "resolve_form": ResolveForm(),
        "stages": [("self", _("自评")), ("town", _("镇街初评")), ("dept", _("组织部复核"))],
    }
    return context


class RatingScoreView(RoleRequiredMixin, View):
    """The score sheet of the rating's current step, with its buttons (save, submit, approve, return,
    reject). Scores and the step are one service call: a refusal leaves nothing half-saved."""

    model = Rating
    required_action = CHANGE

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def _load(self, request, pk):
        rating = selectors.access_rating(user=request.user, pk=pk, action=CHANGE)
        if rating.status not in SHEET_ACTIONS or not services.can_act_on_rating(request.user, rating):
            raise PermissionDenied(_("当前环节“%(s)s”不由您办理。") % {"s": rating.get_status_display()})
        return rating

    def get(self, request, pk):
        rating = self._load(request, pk)
        return self._render(request, rating, self._form(rating))

    def post(self, request, pk):
        rating = self._load(request, pk)
        form = self._form(rating, data=request.POST)
        action = request.POST.get("action", "")
        if action not in SHEET_ACTIONS[rating.status]:
            form.is_valid()
            form.add_error(None, _("请选择要执行的操作。"))
            return self._render(request, rating, form, status=400)
        if form.is_valid():
            try:
                scores = form.score_input() if action in (A.SAVE, A.SUBMIT, A.APPROVE) else None
                rating = services.rating_transition(
                    acting_user=request.user, rating=rating, action=action,
                    expected_version=form.cleaned_data["version"], comment=form.cleaned_data["comment"], scores=scores,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已%(a)s：%(r)s（%(s)s）") % {
                    "a": A(action).label, "r": rating.organization, "s": rating.get_status_display()})
                if action == A.SAVE:
                    return redirect("ratings:score", pk=rating.pk)
                return redirect("ratings:detail", pk=rating.pk)
        return self._render(request, rating, form, status=400)

    def _form(self, rating, data=None):
        stage = rules.STAGE_OF_STATUS[rating.status]
        items = list(rating.cycle.rubric.items.order_by("order", "pk"))
        scores = {s.item.code: s for s in rating.item_scores.filter(stage=stage).select_related("item")}
        if not scores and stage in PREVIOUS_STAGE:
            scores = {s.item.code: s for s in
                      rating.item_scores.filter(stage=PREVIOUS_STAGE[stage]).select_related("item")}
        return ScoreForm(data, items=items, initial_scores=scores, initial={"version": rating.version})

    def _render(self, request, rating, form, status=200, evidence_form=None):
        stage = rules.STAGE_OF_STATUS[rating.status]
        groups, _vetoes = selectors.rubric_structure(rating.cycle.rubric)
        rows = {item.code: (item, points, note) for item, points, note in form.rows()}
        previous = {}
        if stage in PREVIOUS_STAGE:
            previous = {s.item.code: s for s in
                        rating.item_scores.filter(stage=PREVIOUS_STAGE[stage]).select_related("item")}
        sheet = [{"dimension": g["dimension"], "max_points": g["max_points"],
                  "rows": [rows[i.code] + (previous.get(i.code),) for i in g["items"]]} for g in groups]
        return render(request, "ratings/score_form.html", {
            "rating": rating, "form": form, "sheet": sheet, "vetoes": form.veto_rows(),
            "actions": [(a, A(a).label) for a in SHEET_ACTIONS[rating.status]],
            "stage": stage, "has_previous": bool(previous),
            "evidence": rating.evidence.select_related("item").all(),
            "evidence_form": evidence_form or EvidenceForm(rubric=rating.cycle.rubric),
        }, status=status)


class EvidenceUploadView(RatingScoreView):
    def get(self, request, pk):
        return redirect("ratings:score", pk=pk)

    def post(self, request, pk):
        rating = self._load(request, pk)
        evidence_form = EvidenceForm(request.POST, request.FILES, rubric=rating.cycle.rubric)
        if evidence_form.is_valid():
            try:
                services.evidence_add(acting_user=request.user, rating=rating, upload=evidence_form.cleaned_data["file"],
                                      item=evidence_form.cleaned_data["item"])
            except DomainError as error:
                apply_domain_error(evidence_form, error)
            else:
                messages.success(request, _("已上传：%(n)s") % {"n": evidence_form.cleaned_data["file"].name})
                return redirect("ratings:score", pk=rating.pk)
        return self._render(request, rating, self._form(rating), status=400, evidence_form=evidence_form)


class EvidenceDownloadView(RoleRequiredMixin, View):
    model = Rating

    def get(self, request, pk):
        evidence = Evidence.objects.filter(pk=pk, rating__in=selectors.rating_list(user=request.user)).first()
        if evidence is None:
            raise Http404
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


class RatingActionView(RoleRequiredMixin, View):
    """A staff action from the rating page: publish, revoke, downgrade."""

    model = Rating
    required_action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk, action):
        rating = selectors.access_rating(user=request.user, pk=pk)
        try:
            if action == "publish":
                rating = services.rating_publish(acting_user=request.user, rating=rating)
                messages.success(request, _("已命名：%(r)s，有效期至 %(d)s") % {"r": rating.organization, "d": rating.valid_to})
                return redirect("ratings:detail", pk=rating.pk)
            form_class = DowngradeForm if action == "downgrade" else ReasonForm
            form = form_class(request.POST)
            if not form.is_valid():
                return self._invalid(request, rating, action, form)
            data = form.cleaned_data
            if action == "downgrade":
                rating = services.rating_downgrade(acting_user=request.user, rating=rating,
                                                   expected_version=data["version"], stars=data["stars"],
                                                   reason=data["reason"])
                messages.success(request, _("已降为 %(n)d 星。") % {"n": rating.stars})
            elif action == "revoke":
                rating = services.rating_revoke(acting_user=request.user, rating=rating,
                                                expected_version=data["version"], reason=data["reason"])
                messages.success(request, _("已撤销该星级，即时生效。"))
            else:
                raise Http404
        except AccessDenied as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            if action == "publish":
                return refuse(request, error, "ratings:detail", pk=rating.pk)
            apply_domain_error(form, error)
            return self._invalid(request, rating, action, form)
        return redirect("ratings:detail", pk=rating.pk)

    def _invalid(self, request, rating, action, form):
        key = "downgrade_form" if action == "downgrade" else "revoke_form"
        return render(request, "ratings/rating_detail.html", detail_context(request, rating, **{key: form}), status=400)


class PublishDueView(RoleRequiredMixin, View):
    """Ratings whose notice has ended with no open objection: publish them, one or all at once."""

    model = Objection
    required_action = CHANGE

    def get(self, request):
        return render(request, "ratings/publish_due.html", {
            "ratings": selectors.due_for_publication(user=request.user)[:500],
        })

    def post(self, request):
        ids = [int(i) for i in request.POST.getlist("rating") if i.isdigit()]
        if not ids:
            messages.error(request, _("请至少选择一条评定。"))
            return redirect("ratings:publish_due")
        visible = list(selectors.rating_list(user=request.user).filter(pk__in=ids).values_list("pk", flat=True))
        report = services.ratings_publish_due(acting_user=request.user, rating_ids=visible)
        if report.published:
            messages.success(request, _("已命名 %(n)d 条评定。") % {"n": len(report.published)})
        for pk, why in report.skipped.items():
            messages.warning(request, _("评定 %(pk)s 未命名：%(why)s") % {"pk": pk, "why": why})
        return redirect("ratings:publish_due")


class ObjectionUnmaskView(RoleRequiredMixin, View):
    """An objector's whole contact, for staff who must call them back: POST only, checked, audited.
    Opened with GET (a refresh, a bookmark) it goes back to the rating, masked."""

    model = Objection

    def get(self, request, pk):
        objection = selectors.access_objection(user=request.user, pk=pk)
        return redirect("ratings:detail", pk=objection.rating_id)

    def post(self, request, pk):
        objection = selectors.access_objection(user=request.user, pk=pk)
        try:
            values = services.objection_unmask(acting_user=request.user, objection=objection)
        except DomainError as error:
            raise PermissionDenied(error.message) from None
        rating = selectors.access_rating(user=request.user, pk=objection.rating_id)
        return render(request, "ratings/rating_detail.html",
                      detail_context(request, rating, unmasked={objection.pk: values["contact"]}))


class ObjectionResolveView(RoleRequiredMixin, View):
    model = Objection
    required_action = CHANGE
    http_method_names = ["post"]

    def action_redirect_url(self, request, pk):
        return reverse("ratings:detail", args=[selectors.access_objection(user=request.user, pk=pk).rating_id])

    def post(self, request, pk):
        objection = selectors.access_objection(user=request.user, pk=pk)
        form = ResolveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择处理结果并填写处理意见。"))
            return redirect("ratings:detail", pk=objection.rating_id)
        try:
            services.objection_resolve(acting_user=request.user, objection=objection,
                                       upheld=form.cleaned_data["decision"] == "upheld",
                                       resolution=form.cleaned_data["resolution"])
        except DomainError as error:
            return refuse(request, error, "ratings:detail", pk=objection.rating_id)
        messages.success(request, _("异议已处理。"))
        return redirect("ratings:detail", pk=objection.rating_id)
