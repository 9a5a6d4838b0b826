"""Pages of the registry import: thin adapters over the import services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .. import selectors as registry
from ..access import IMPORT
from ..choices import ImportRowFate, ImportState
from ..errors import DomainError
from ..models import Enterprise, ImportBatch, Region
from ..views.base import ExportMixin, RoleRequiredMixin, apply_domain_error
from . import files, services
from .forms import ImportUploadForm
from .parsing import ImportFileError, open_sheet, ordered_errors
from .planning import FIELDS
from .selectors import import_batch_status, import_row_list

ROWS_PER_PAGE = 50


class ImportView(RoleRequiredMixin, View):
    """Org staff only: `ImportBatch.objects.restrict(user, IMPORT)` reaches nothing for anyone else."""

    model = ImportBatch
    required_action = IMPORT

    def batch(self, pk) -> ImportBatch:
        return registry.access_import_batch(user=self.request.user, pk=pk)


class ImportListView(ExportMixin, ImportView):
    export_name = gettext_lazy("登记导入")
    export_columns = [
        (gettext_lazy("上传时间"), "created_at"), (gettext_lazy("文件名"), "original_name"),
        (gettext_lazy("上传人"), lambda b: b.created_by.get_full_name() or b.created_by.get_username()),
        (gettext_lazy("状态"), "get_state_display"), (gettext_lazy("数据行数"), "total_rows"),
        (gettext_lazy("新增"), "create_count"), (gettext_lazy("更新"), "update_count"),
        (gettext_lazy("无变化"), "unchanged_count"), (gettext_lazy("错误"), "error_count"),
    ]

    def get_export_queryset(self):
        return registry.import_batch_list(user=self.request.user)

    def get(self, request):
        page = Paginator(self.get_export_queryset(), 20).get_page(request.GET.get("page"))
        return render(request, "portal/imports/list.html", {"page_obj": page, "batches": page.object_list,
                                                            **self.export_context()})


class ImportUploadView(ImportView):
    def get(self, request):
        return render(request, "portal/imports/upload.html", {"form": ImportUploadForm()})

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = services.import_batch_create(acting_user=request.user, uploaded_file=form.cleaned_data["file"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                return redirect("import_detail", pk=batch.pk)
        return render(request, "portal/imports/upload.html", {"form": form}, status=400)


def _columns(batch: ImportBatch) -> list[dict]:
    """How the file's header was read, for the preview. Re-read from the file (its header only) and
    kept in the cache, since the batch has no field for it."""

    def read():
        try:
            with batch.file.open("rb") as fileobj, open_sheet(fileobj, batch.original_name) as sheet:
                return sheet.header.describe()
        except (ImportFileError, OSError, ValueError):
            return []

    return cache.get_or_set(f"portal:import:{batch.pk}:columns", read, timeout=24 * 3600)


def _field_label(name: str) -> str:
    return str(Enterprise._meta.get_field(name).verbose_name)


class ImportDetailView(ImportView):
    def get(self, request, pk):
        batch = self.batch(pk)
        fate = request.GET.get("fate", "")
        if fate not in ImportRowFate.values:
            fate = ""
        page = Paginator(import_row_list(batch=batch, fate=fate or None), ROWS_PER_PAGE).get_page(
            request.GET.get("page"))
        for row in page.object_list:
            row.error_list = ordered_errors(row.errors)
            changes = row.changes or {}
            row.change_list = [(_field_label(name), *changes[name]) for name in FIELDS if name in changes]
        counts = {ImportRowFate.CREATE: batch.create_count, ImportRowFate.UPDATE: batch.update_count,
                  ImportRowFate.UNCHANGED: batch.unchanged_count, ImportRowFate.ERROR: batch.error_count}
        fates = [{"value": "", "label": _("全部"), "count": sum(counts.values())}] + [
            {"value": value, "label": label, "count": counts[value]}
            for value, label in ImportRowFate.choices
        ]
        return render(request, "portal/imports/detail.html", {
            "batch": batch,
            "status": import_batch_status(batch=batch),
            "active": batch.state in services.ACTIVE_STATES,
            "page_obj": page,
            "rows": page.object_list,
            "fate": fate,
            "fates": fates,
            "query_string": f"fate={fate}" if fate else "",
            "columns": _columns(batch) if batch.state in (ImportState.PREVIEW, ImportState.DONE) else [],
            "can_commit": batch.state == ImportState.PREVIEW and not batch.error_count
            and (batch.create_count or batch.update_count),
            "can_cancel": batch.state in (ImportState.UPLOADED, ImportState.PARSING, ImportState.PREVIEW),
        })


class ImportStatusView(ImportView):
    def get(self, request, pk):
        return JsonResponse(import_batch_status(batch=self.batch(pk)))


class ImportCommitView(ImportView):
    def post(self, request, pk):
        batch = self.batch(pk)
        try:
            services.import_batch_commit_request(acting_user=request.user, batch=batch)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.info(request, _("已开始导入，完成后本页会自动刷新。"))
        return redirect("import_detail", pk=batch.pk)


class ImportCancelView(ImportView):
    def post(self, request, pk):
        batch = self.batch(pk)
        try:
            services.import_batch_cancel(acting_user=request.user, batch=batch)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.info(request, _("已取消该批次，未写入任何登记数据。"))
        return redirect("import_detail", pk=batch.pk)


class ImportTemplateView(ImportView):
    def get(self, request):
        village = Region.objects.filter(level="village").select_related("parent").order_by("code").first()
        example = f"{village.parent.name}{village.name}" if village and village.parent else _("东湖镇东湖村")
        response = HttpResponse(
            files.template_xlsx(example),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        return _attachment(response, _("市场主体导入模板.xlsx"))


class ImportErrorsView(ImportView):
    def get(self, request, pk):
        batch = self.batch(pk)
        rows = import_row_list(batch=batch, fate=ImportRowFate.ERROR).only("row_number", "uscc", "name", "errors")
        response = HttpResponse(files.errors_csv(rows.iterator()), content_type="text/csv; charset=utf-8")
        return _attachment(response, _("导入错误_%(id)d.csv") % {"id": batch.pk})


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
