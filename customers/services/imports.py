"""Imports as the salon sees them: check a file, confirm it, and keep the history.

- The command line imports a file from disk in one go (`import_from_path`).
- The browser uploads a file (`import_upload` keeps it in a history entry), which is checked in the
  background (`check_upload`: a dry run that saves no record, the preview); the manager confirms it
  (`import_confirm`) and the real run follows in the background (`import_confirmed`), checked
  again, since the data may have changed in between. A large file takes longer than a web request
  may last, so both runs are Celery tasks (`customers.tasks`); the page follows their progress.
Every import that saved something is audited.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from ..access import import_store_ids, may_import
from ..audit import audit_import
from ..imports import problems as p
from ..imports.progress import STALE_AFTER, BatchProgress
from ..imports.report import ImportReport, RowError
from ..imports.runner import run_import
from ..models import ImportBatch, Staff, Store
from ..phones import mask_phones_in_text

PREVIEW_KEPT = dt.timedelta(hours=24)


def import_from_path(
    *,
    kind: str,
    path: Path,
    dry_run: bool = False,
    by: Staff | None = None,
    on_error: Callable[[RowError], None] | None = None,
    on_progress: Callable[..., None] | None = None,
) -> ImportReport:
    """The command line: import a file from disk; a real run is recorded in the history."""
    with path.open("rb") as stream:
        report = _run(
            kind=kind,
            stream=stream,
            by=by,
            file_name=path.name,
            dry_run=dry_run,
            on_error=on_error,
            on_progress=on_progress,
        )
    if not dry_run:
        batch = ImportBatch(kind=kind, file_name=path.name, uploaded_by=by)
        _record(batch, report)
    return report


def import_upload(*, by: Staff, kind: str, upload: UploadedFile) -> ImportBatch:
    """Keep an uploaded file for its check (`check_upload`, queued by the caller). A file over the
    size limit is refused at once. Nothing but the history entry is saved."""
    imports_expire()
    batch = ImportBatch(kind=kind, file_name=Path(upload.name or "upload").name[:255], uploaded_by=by)
    if upload.size is not None and upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
        report = ImportReport(kind=kind)
        report.file_problem = p.Problem(
            p.FILE_TOO_BIG,
            size=f"{upload.size / 1048576:.1f}",
            limit=f"{settings.IMPORT_MAX_UPLOAD_BYTES / 1048576:.0f}",
        )
        return _record(batch, report)
    batch.status = ImportBatch.Status.CHECKING
    batch.store = _store_of(batch, ImportReport(kind=kind))
    batch.upload = upload.read()
    batch.save()
    return batch


def check_upload(*, batch_id: int) -> ImportBatch | None:
    """The preview: a dry run of an uploaded file. A file with problems is erased at once.
    A batch that is not waiting for its check (checked already, expired), or whose check another
    worker is running, is left as it is: None."""
    batch = _claimed(ImportBatch.Status.CHECKING, batch_id)
    if batch is None:
        return None
    try:
        with BatchProgress(batch.pk) as progress:
            report = _run(
                kind=batch.kind,
                stream=_file_of(batch),
                by=batch.uploaded_by,
                file_name=batch.file_name,
                dry_run=True,
                on_progress=progress,
            )
    except Exception:
        # Never leave the page waiting for a check that has died (a time limit, a lost database).
        report = ImportReport(kind=batch.kind)
        report.file_problem = p.Problem(p.CHECK_FAILED)
        batch.upload = None
        _record(batch, report)
        raise
    if not report.ok:
        batch.upload = None
    return _record(batch, report, previewed=True)


def import_confirm(*, by: Staff, batch: ImportBatch) -> bool:
    """Claim a previewed file for its import (`import_confirmed`, queued by the caller when this
    returns True). A second confirmation — a double tap — claims nothing."""
    imports_expire()
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).update(
        status=ImportBatch.Status.IMPORTING, confirmed_by=by
    )
    return bool(claimed)


def import_confirmed(*, batch_id: int) -> ImportBatch | None:
    """The real import of a confirmed file, in the name of whoever confirmed it. If it fails
    unexpectedly nothing is saved (all or nothing) and the file waits to be confirmed again.
    A batch that is not being imported is left as it is: None."""
    batch = _claimed(ImportBatch.Status.IMPORTING, batch_id)
    if batch is None:
        return None
    try:
        with BatchProgress(batch.pk) as progress:
            report = _run(
                kind=batch.kind,
                stream=_file_of(batch),
                by=batch.confirmed_by,
                file_name=batch.file_name,
                dry_run=False,
                on_progress=progress,
            )
    except BaseException:
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.PREVIEWED, heartbeat_at=None)
        raise
    batch.upload = None
    return _record(batch, report)


def import_retry(*, by: Staff, batch: ImportBatch) -> str | None:
    """Run again a check or an import whose worker died (`progress.is_stale`): nothing of it was
    saved (all or nothing). Returns the status to queue a task for, or None when the batch is not
    stale (its worker lives, or it finished) — a second tap claims nothing."""
    stale = ImportBatch.objects.filter(
        pk=batch.pk,
        status__in=[ImportBatch.Status.CHECKING, ImportBatch.Status.IMPORTING],
        heartbeat_at__lt=timezone.now() - STALE_AFTER,
    )
    changes: dict[str, object] = {"heartbeat_at": None, "step_started_at": None, "checked_rows": 0, "imported_rows": 0}
    if batch.status == ImportBatch.Status.IMPORTING:
        changes["confirmed_by"] = by
    if not stale.update(**changes):
        return None
    return batch.status


def imports_expire() -> int:
    """Erase the files of previews nobody confirmed within PREVIEW_KEPT, and of checks that never
    ran (a queue lost its message): customers' personal data is kept no longer than its purpose needs."""
    return ImportBatch.objects.filter(
        status__in=[ImportBatch.Status.CHECKING, ImportBatch.Status.PREVIEWED],
        created_at__lt=timezone.now() - PREVIEW_KEPT,
    ).update(status=ImportBatch.Status.EXPIRED, upload=None, finished_at=timezone.now())


def _claimed(status: str, batch_id: int) -> ImportBatch | None:
    """The batch, if it is in `status` and no live worker runs it; this worker's from now on
    (a task delivered twice, or retried while the first worker still runs, finds it taken)."""
    now = timezone.now()
    free = Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - STALE_AFTER)
    claimed = ImportBatch.objects.filter(free, pk=batch_id, status=status).update(
        heartbeat_at=now, step_started_at=now, checked_rows=0, imported_rows=0
    )
    return _batch_in(status, batch_id) if claimed else None


def _run(
    *,
    kind: str,
    stream: BinaryIO,
    by: Staff | None,
    file_name: str,
    dry_run: bool,
    on_error=None,
    on_progress=None,
):
    if by is not None and not may_import(by, kind):
        refused = ImportReport(kind=kind)
        refused.file_problem = p.Problem(p.KIND_NOT_ALLOWED, kind=ImportBatch.Kind(kind).label)
        return refused
    store_ids = import_store_ids(by)
    note = gettext("Imported from %(file)s") % {"file": file_name}
    return run_import(
        kind=kind,
        stream=stream,
        by=by,
        store_ids=store_ids,
        dry_run=dry_run,
        note=note[:200],
        on_error=on_error,
        on_progress=on_progress,
    )


def _batch_in(status: str, batch_id: int) -> ImportBatch | None:
    """The batch, if it is in `status` (a task delivered twice finds it moved on)."""
    return ImportBatch.objects.select_related("uploaded_by", "confirmed_by").filter(pk=batch_id, status=status).first()


def _file_of(batch: ImportBatch) -> BinaryIO:
    return io.BytesIO(bytes(batch.upload or b""))


def _record(batch: ImportBatch, report: ImportReport, previewed: bool = False) -> ImportBatch:
    """Write the history entry (and the audit event when rows were saved)."""
    if report.ok and previewed:
        batch.status = ImportBatch.Status.PREVIEWED
    else:
        batch.status = ImportBatch.Status.IMPORTED if report.saved else ImportBatch.Status.REJECTED
        batch.finished_at = timezone.now()
    batch.store = _store_of(batch, report)
    batch.rows, batch.bad_rows, batch.heartbeat_at = report.rows, report.bad_rows, None
    batch.checked_rows, batch.imported_rows = report.checked, report.imported
    batch.added, batch.updated, batch.unchanged = report.added, report.updated, report.unchanged
    batch.errors = [_masked(error.as_dict()) for error in report.errors]
    batch.new_services = report.new_services[:100]
    if report.saved and report.visit_ids is not None:
        batch.visits_first_id, batch.visits_last_id = report.visit_ids
    problem = report.file_problem
    batch.file_problem = _masked({"msgid": problem.msgid, "params": problem.params}) if problem else None
    with transaction.atomic():
        batch.save()
        if report.saved:
            audit_import(
                actor=batch.confirmed_by or batch.uploaded_by,
                store=batch.store,
                kind=batch.kind,
                rows=report.rows,
                file_name=batch.file_name,
            )
    return batch


def _masked(stored: dict) -> dict:
    """A report as kept in the history: the cells quoted, with every phone number in them masked.
    The history is kept for long and read by whoever may see the import, not only by her who made it."""
    masked = {key: mask_phones_in_text(value) if isinstance(value, str) else value for key, value in stored.items()}
    if stored.get("params"):
        masked["params"] = {key: mask_phones_in_text(str(value)) for key, value in stored["params"].items()}
    return masked


def _store_of(batch: ImportBatch, report: ImportReport) -> Store | None:
    """The store the import was about: the manager's own, or the one store all rows named."""
    if batch.uploaded_by is not None and import_store_ids(batch.uploaded_by) is not None:
        return batch.uploaded_by.store
    if len(report.store_ids) == 1:
        # None when the store was only previewed: a dry run of the store list rolls it back.
        return Store.objects.filter(pk=next(iter(report.store_ids))).first()
    return None
