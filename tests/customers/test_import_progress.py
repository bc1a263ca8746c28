"""Progress a person can watch: the page's bar and time left, the worker's heartbeat seen from
outside the import's transaction, and a check or import whose worker died run again."""

import datetime as dt
import time
from io import StringIO

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from customers.imports import progress, runner
from customers.imports.progress import STALE_AFTER, progress_of
from customers.management.commands import import_data
from customers.models import Customer, ImportBatch
from customers.services import imports
from customers.services.imports import check_upload, import_confirm, import_confirmed, import_retry, import_upload

from .imports.files import csv_bytes, write

HEADER = ["门店编码", "手机号", "姓名"]
ROWS = [HEADER, *(["MAIN", f"1381234{i:04d}", f"顾客{i}"] for i in range(30))]


def uploaded(by) -> ImportBatch:
    return import_upload(by=by, kind="customers", upload=SimpleUploadedFile("顾客.csv", csv_bytes(ROWS)))


def test_the_share_done_and_the_time_left_follow_the_pace_so_far():
    started = timezone.now()
    batch = ImportBatch(status=ImportBatch.Status.IMPORTING, rows=1000, checked_rows=1000, imported_rows=0)
    batch.step_started_at = started
    halfway = progress_of(batch, started + dt.timedelta(seconds=30))
    assert (halfway.percent, halfway.seconds_left) == (50, 30), "checked all, imported none: half of an import"
    batch.status, batch.checked_rows = ImportBatch.Status.CHECKING, 250
    checking = progress_of(batch, started + dt.timedelta(seconds=30))
    assert (checking.percent, checking.seconds_left, checking.minutes_left) == (25, 90, 2)
    assert progress_of(ImportBatch(status=ImportBatch.Status.CHECKING), started).seconds_left is None


def test_a_finished_check_records_every_row_checked(manager):
    batch = uploaded(manager)
    check_upload(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.rows, batch.checked_rows, batch.heartbeat_at) == ("previewed", 30, 30, None)


def test_the_page_shows_a_progress_bar_while_the_import_runs(client, manager):
    batch = uploaded(manager)
    ImportBatch.objects.filter(pk=batch.pk).update(
        rows=200,
        checked_rows=50,
        heartbeat_at=timezone.now(),
        step_started_at=timezone.now() - dt.timedelta(seconds=10),
    )
    client.force_login(manager)
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert 'id="import-progress"' in page and 'aria-valuenow="25"' in page
    assert "已检查 50 / 200 行" in page and "还剩约 30 秒" in page


def test_an_import_whose_worker_died_is_recognised_and_runs_again(client, manager, django_capture_on_commit_callbacks):
    batch = uploaded(manager)
    check_upload(batch_id=batch.pk)
    import_confirm(by=manager, batch=batch)
    # A worker claimed it, then vanished (killed): no sign of life since.
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now() - STALE_AFTER - dt.timedelta(seconds=1))
    client.force_login(manager)
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert 'id="import-stalled"' in page and 'id="retry-import"' in page
    assert 'hx-trigger="every 2s"' not in page

    with django_capture_on_commit_callbacks(execute=True):  # the task is queued on commit, run eagerly in tests
        client.post(f"/imports/{batch.pk}/retry/")
    batch.refresh_from_db()
    assert (batch.status, batch.added) == ("imported", 30)
    assert Customer.objects.count() == 30
    assert import_retry(by=manager, batch=batch) is None, "a finished import is not run again"


def test_a_live_worker_keeps_its_batch(manager):
    """A task delivered again while the first worker still runs, or a retry tapped too early, takes nothing."""
    batch = uploaded(manager)
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now())
    assert check_upload(batch_id=batch.pk) is None
    assert import_retry(by=manager, batch=ImportBatch.objects.get(pk=batch.pk)) is None
    assert ImportBatch.objects.get(pk=batch.pk).status == "checking"


def test_a_check_whose_worker_died_can_be_checked_again(manager):
    batch = uploaded(manager)
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now() - STALE_AFTER - dt.timedelta(seconds=1))
    assert import_retry(by=manager, batch=ImportBatch.objects.get(pk=batch.pk)) == "checking"
    assert check_upload(batch_id=batch.pk).status == "previewed"


def test_the_command_prints_plain_progress_lines_when_not_on_a_terminal(store, tmp_path, monkeypatch):
    monkeypatch.setattr(import_data._Progress, "LINE_EVERY", 0)
    monkeypatch.setattr(runner, "BATCH_ROWS", 10)
    out = StringIO()
    call_command("import_data", "customers", str(write(tmp_path, "c.csv", csv_bytes(ROWS))), stdout=out)
    lines = out.getvalue().splitlines()
    assert any("30 行中已检查" in line for line in lines), lines
    assert "\r" not in out.getvalue(), "no progress bar drawn into a file"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_from_outside_while_the_import_runs(manager, monkeypatch):
    """The import's own transaction shows nothing until it commits: the figures travel on another connection."""
    batch = uploaded(manager)
    check_upload(batch_id=batch.pk)
    import_confirm(by=manager, batch=batch)
    monkeypatch.setattr(progress, "HEARTBEAT_SECONDS", 0.05)
    seen = []
    real_run = imports.run_import

    def watched(**kwargs):
        report = real_run(**kwargs)
        # Still inside the service, before the history entry is written: what another session sees.
        sql = f"SELECT rows, checked_rows, heartbeat_at FROM customers_importbatch WHERE id = {batch.pk}"
        deadline = time.monotonic() + 5
        while (found := _outside(sql))[1] != 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        seen.append(found)
        return report

    monkeypatch.setattr(imports, "run_import", watched)
    import_confirmed(batch_id=batch.pk)
    rows, checked, heartbeat = seen[0]
    assert (rows, checked) == (30, 30) and heartbeat is not None


def _outside(sql: str):
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
    )
    try:
        with other.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()
    finally:
        other.close()
