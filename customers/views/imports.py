"""Imports in the browser (DESIGN §5.4 /imports/): upload, preview, confirm; templates; history.

The check and the import run as Celery tasks, queued once the batch is saved; the detail page
follows them (it reloads itself while they run).
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from ..access import Capability, may, may_import, requires, visible_imports
from ..forms import ImportUploadForm
from ..http import StaffRequest, UploadRequest
from ..imports.columns import KINDS
from ..imports.problems import explain
from ..imports.progress import is_stale, progress_of
from ..imports.report import RowError
from ..imports.template_files import template_csv, template_xlsx
from ..models import ImportBatch
from ..services.imports import import_confirm, import_retry, import_upload
from ..tasks import check_upload_task, import_confirmed_task

HISTORY_LENGTH = 20


class UploadSizeLimit(FileUploadHandler):
    """Stops storing an upload as soon as it passes the import limit, instead of writing a huge
    file to disk first and refusing it after."""

    request: UploadRequest  # always given: `import_home` hands it the request being served

    def __init__(self, request: UploadRequest) -> None:
        super().__init__(request)

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.IMPORT_MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@csrf_exempt  # the CSRF check runs below, once the size limit is in place (Django's documented pattern)
def import_home(request: UploadRequest) -> HttpResponse:
    handlers = request.upload_handlers
    # Nothing has read the body yet, so the handlers are still Django's mutable list, not its ImmutableList.
    assert isinstance(handlers, list)
    handlers.insert(0, UploadSizeLimit(request))
    return _import_home(request)


@csrf_protect
@requires(Capability.IMPORT)
def _import_home(request: StaffRequest) -> HttpResponse:
    """The upload form, the template files and the history. Uploading keeps the file, queues its check
    and opens its page, which shows the preview once the check is done."""
    if request.method == "POST":
        files = request.FILES  # reading the body runs UploadSizeLimit, which may flag the upload
        too_large = getattr(request, "upload_too_large", False)
        form = ImportUploadForm(request.POST, files, user=request.user, too_large=too_large)
        if form.is_valid():
            batch = import_upload(by=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
            if batch.status == ImportBatch.Status.CHECKING:
                check_upload_task.delay_on_commit(batch.pk)
            return redirect("customers:import_detail", batch_id=batch.pk)
    else:
        form = ImportUploadForm(user=request.user, initial={"kind": request.GET.get("kind", "customers")})
    return render(request, "customers/imports.html", {"form": form, **_home_context(request)})


def _home_context(request: StaffRequest) -> dict:
    labels = dict(ImportBatch.Kind.choices)
    history = visible_imports(request.user).select_related("uploaded_by", "store").defer("upload", "errors")
    return {
        "templates": [(kind, labels[kind]) for kind in KINDS if may_import(request.user, kind)],
        "history": history[:HISTORY_LENGTH],
    }


@requires(Capability.IMPORT)
def import_detail(request: StaffRequest, batch_id: int) -> HttpResponse:
    """One import: the preview waiting for confirmation, or what became of it, with every bad row explained."""
    batches = visible_imports(request.user).select_related("uploaded_by", "confirmed_by").defer("upload")
    batch = get_object_or_404(batches, pk=batch_id)
    errors = [RowError.from_dict(error) for error in batch.errors]
    shown_rows = len({error.row for error in errors})
    form = ImportUploadForm(user=request.user, initial={"kind": batch.kind})
    problem = batch.file_problem
    now = timezone.now()
    stale = is_stale(batch, now)
    context = {
        "batch": batch,
        "working": batch.status in {ImportBatch.Status.CHECKING, ImportBatch.Status.IMPORTING} and not stale,
        "stale": stale,
        "progress": progress_of(batch, now),
        "errors": errors,
        "more_bad_rows": max(batch.bad_rows - shown_rows, 0),
        "file_problem": explain(problem["msgid"], problem.get("params")) if problem else "",
        "form": form,
        "lists_change_tonight": _lists_change_tonight(batch),
        # Her own store's lists, re-planned now rather than tonight (a chain's file spans stores: head office
        # re-plans a store from its settings page).
        "offer_replan": request.user.store_id is not None and may(request.user, Capability.CHANGE_SETTINGS),
    }
    return render(request, "customers/import_detail.html", context)


def _lists_change_tonight(batch: ImportBatch) -> bool:
    """Customers or visits came in: the call lists and the dashboard follow them from the nightly run on."""
    changed = batch.added or batch.updated
    kinds = {ImportBatch.Kind.CUSTOMERS, ImportBatch.Kind.VISITS}
    return bool(batch.status == ImportBatch.Status.IMPORTED and batch.kind in kinds and changed)


@require_POST
@requires(Capability.IMPORT)
def import_confirm_view(request: StaffRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(visible_imports(request.user).defer("upload"), pk=batch_id)
    if import_confirm(by=request.user, batch=batch):
        import_confirmed_task.delay_on_commit(batch.pk)
    return redirect("customers:import_detail", batch_id=batch.pk)


@require_POST
@requires(Capability.IMPORT)
def import_retry_view(request: StaffRequest, batch_id: int) -> HttpResponse:
    """Run again a check or an import whose worker died; a batch still running is left alone."""
    batch = get_object_or_404(visible_imports(request.user).defer("upload"), pk=batch_id)
    step = import_retry(by=request.user, batch=batch)
    if step == ImportBatch.Status.CHECKING:
        check_upload_task.delay_on_commit(batch.pk)
    elif step == ImportBatch.Status.IMPORTING:
        import_confirmed_task.delay_on_commit(batch.pk)
    return redirect("customers:import_detail", batch_id=batch.pk)


@requires(Capability.IMPORT)
def import_template(request: StaffRequest, kind: str, file_format: str) -> HttpResponse:
    """A blank file with the kind's columns (Chinese headers)."""
    if kind not in KINDS or file_format not in {"csv", "xlsx"} or not may_import(request.user, kind):
        raise Http404
    label = dict(ImportBatch.Kind.choices)[kind]
    if file_format == "csv":
        response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    else:
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(template_xlsx(kind), content_type=xlsx)
    file_name = _("%(kind)s import template") % {"kind": label}
    response["Content-Disposition"] = _disposition(f"{file_name}.{file_format}", fallback=f"{kind}.{file_format}")
    return response


def _disposition(name: str, *, fallback: str) -> str:
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
