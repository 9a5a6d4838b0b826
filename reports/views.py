"""Pages of the documents: asking for one, watching it being made, downloading it; and the public
verification page that a certificate's QR code leads to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from portal.access import has_role
from portal.choices import Role
from portal.errors import AccessDenied, DomainError
from portal.models import Region
from portal.outbox import outbox_pending
from portal.views.base import FilteredListView, post_action
from ratings.choices import RatingStatus

from . import rules, selectors, services
from .choices import ReportKind, ReportState
from .filtersets import ReportFilterSet
from .models import Report


class ReportListView(FilteredListView):
    model = Report
    selector = staticmethod(selectors.report_list)
    filterset_class = ReportFilterSet
    template_name = "reports/report_list.html"
    paginate_by = 30
    export_name = gettext_lazy("我的文件")
    export_columns = [
        (gettext_lazy("名称"), "title"), (gettext_lazy("类型"), "get_kind_display"),
        (gettext_lazy("状态"), "get_state_display"), (gettext_lazy("申请人"), "requested_by.get_full_name"),
        (gettext_lazy("申请时间"), "created_at"), (gettext_lazy("完成时间"), "finished_at"),
        (gettext_lazy("文件名"), "filename"), (gettext_lazy("大小（字节）"), "size"),
        (gettext_lazy("SHA-256 校验值"), "checksum"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if has_role(self.request.user, Role.ORG_STAFF):
            from ratings.selectors import cycle_list

            context["cycles"] = cycle_list(user=self.request.user).order_by("-year")
            context["batch_regions"] = Region.objects.filter(level="town").order_by("code")
        from .dashboard_forms import WorkReportForm
        from .documents.work_report import can_request_work_report, report_regions

        if can_request_work_report(self.request.user):
            context["work_form"] = WorkReportForm(regions=report_regions(self.request.user))
        return context


@post_action
@login_required
def report_request_view(request):
    params = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "kind", "next")}
    try:
        report = services.report_request(kind=request.POST.get("kind", ""), params=params, acting_user=request.user)
    except AccessDenied as error:
        raise PermissionDenied(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(request.POST.get("next") or "reports:list")
    return redirect("reports:detail", pk=report.pk)


@login_required
def report_detail_view(request, pk):
    report = selectors.access_report(user=request.user, pk=pk)
    certificate = report.certificate
    return render(request, "reports/report_detail.html", {
        "report": report, "certificate": certificate, "certificate_count": len(report.certificates.all()),
        "code": rules.format_code(certificate.code) if certificate else "",
        # Asked for while the broker was out of reach: the request is kept and goes out once it is back.
        "waiting_for_broker": report.state == ReportState.QUEUED
        and outbox_pending(key=services.message_key(report.pk)),
    })


@login_required
def report_status_view(request, pk):
    """What the progress bar polls."""
    report = selectors.access_report(user=request.user, pk=pk)
    return JsonResponse({"state": report.state, "state_label": report.get_state_display(),
                         "progress": report.progress, "step": report.step, "error": report.error,
                         "finished": report.is_finished})


@login_required
def report_download_view(request, pk):
    report = selectors.access_report(user=request.user, pk=pk)
    if report.state != ReportState.DONE or not report.file:
        raise Http404
    services.report_download_record(report=report, acting_user=request.user)
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.filename,
                        content_type=report.content_type or "application/octet-stream")


def verify_view(request, code=None):
    """Public: is this certificate ours, what does it state, and does its rating still hold today?"""
    code = code or request.GET.get("code", "")
    if not code:
        return render(request, "reports/verify.html", {"asked": False})
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        return render(request, "reports/verify.html", {"asked": True, "code": code}, status=404)
    rating = certificate.rating
    today = timezone.localdate()
    standing = rules.certificate_standing(
        stated_stars=certificate.facts.get("stars"),
        revoked_on=rating.revoked_on if rating else None,
        valid_to=rating.valid_to if rating else None,
        current_stars=rating.stars if rating and rating.status != RatingStatus.REVOKED else None,
        today=today)
    return render(request, "reports/verify.html", {
        "asked": True, "certificate": certificate, "facts": certificate.facts, "standing": standing,
        "rating": rating, "today": today, "code": rules.format_code(certificate.code),
        "report": certificate.report,
    })



def enterprise_certificates_tab(request, enterprise):
    """The enterprise page's tab: ask for its credit-enhancement certificate (and its organization's
    rating certificate), and the certificates already issued that this user asked for or may see."""
    from ratings.selectors import enterprise_rating

    from .documents.certificates import ISSUERS

    if not has_role(request.user, *ISSUERS):
        return None
    standing = enterprise_rating(enterprise)
    about = Q(certificates__enterprise=enterprise)
    if standing.organization is not None:
        about |= Q(certificates__organization=standing.organization,
                   certificates__kind=ReportKind.RATING_CERTIFICATE, kind=ReportKind.RATING_CERTIFICATE)
    issued = selectors.report_list(user=request.user).filter(about).distinct()[:30]
    return {"standing": standing, "issued": issued, "today": timezone.localdate()}
