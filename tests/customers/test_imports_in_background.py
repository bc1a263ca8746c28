"""Browser imports run in the background (customers/tasks.py): the page follows the check and the
import until they are done, and a run that dies or never starts leaves nothing behind."""

import datetime as dt
import time

import pytest
from celery import Celery
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from customers.models import AuditEvent, Customer, ImportBatch
from customers.services import imports
from customers.services.imports import check_upload, import_confirm, import_confirmed, import_upload, imports_expire
from tests.conftest import BROKER

from .imports.files import csv_bytes

GOOD = [["门店编码", "手机号", "姓名"], ["MAIN", "13812345678", "王丽"], ["MAIN", "13900001111", "李娜"]]
POLLING = 'hx-trigger="every 2s"'


def uploaded(by) -> ImportBatch:
    return import_upload(by=by, kind="customers", upload=SimpleUploadedFile("顾客.csv", csv_bytes(GOOD)))


def page(client, batch) -> str:
    return client.get(f"/imports/{batch.pk}/").content.decode()


def dies(**kwargs):
    raise SoftTimeLimitExceeded()


def test_the_page_follows_the_check_and_the_import_until_they_are_done(client, manager, owner):
    batch = uploaded(manager)
    client.force_login(manager)
    checking = page(client, batch)
    assert "正在逐行检查文件" in checking and POLLING in checking
    assert 'id="confirm-import"' not in checking

    check_upload(batch_id=batch.pk)
    previewed = page(client, batch)
    assert 'id="confirm-import"' in previewed and POLLING not in previewed

    assert import_confirm(by=owner, batch=batch)
    assert not import_confirm(by=manager, batch=batch), "a second tap claims nothing"
    importing = page(client, batch)
    assert "正在导入" in importing and POLLING in importing
    assert Customer.objects.count() == 0

    import_confirmed(batch_id=batch.pk)
    done = page(client, batch)
    assert 'id="import-done"' in done and POLLING not in done and "确认人：林总" in done
    assert Customer.objects.count() == 2
    (audited,) = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT)
    assert audited.actor == owner, "the import is in the name of whoever confirmed it"


def test_a_task_delivered_twice_does_its_work_once(manager):
    batch = uploaded(manager)
    check_upload(batch_id=batch.pk)
    assert check_upload(batch_id=batch.pk) is None
    import_confirm(by=manager, batch=batch)
    import_confirmed(batch_id=batch.pk)
    assert import_confirmed(batch_id=batch.pk) is None
    assert ImportBatch.objects.get().added == 2 and Customer.objects.count() == 2


def test_a_check_that_dies_says_so_and_keeps_no_file(client, manager, monkeypatch):
    batch = uploaded(manager)
    monkeypatch.setattr(imports, "run_import", dies)
    with pytest.raises(SoftTimeLimitExceeded):
        check_upload(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.upload) == (ImportBatch.Status.REJECTED, None)
    client.force_login(manager)
    shown = page(client, batch)
    assert "系统出错，文件未能检查完成" in shown and POLLING not in shown


def test_an_import_that_dies_saves_nothing_and_waits_to_be_confirmed_again(manager, monkeypatch):
    batch = uploaded(manager)
    check_upload(batch_id=batch.pk)
    import_confirm(by=manager, batch=batch)
    with monkeypatch.context() as crash:
        crash.setattr(imports, "run_import", dies)
        with pytest.raises(SoftTimeLimitExceeded):
            import_confirmed(batch_id=batch.pk)
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED
    assert Customer.objects.count() == 0

    assert import_confirm(by=manager, batch=batch)
    import_confirmed(batch_id=batch.pk)
    assert Customer.objects.count() == 2


def test_a_check_that_never_ran_is_erased_after_a_day(manager):
    batch = uploaded(manager)
    ImportBatch.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert imports_expire() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.upload) == (ImportBatch.Status.EXPIRED, None)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_consuming_from_redis_checks_an_uploaded_file(worker, manager):
    batch = uploaded(manager)
    Celery(broker=BROKER, set_as_current=False).send_task(
        "customers.tasks.check_upload_task", args=[batch.pk], queue=worker
    )

    deadline = time.monotonic() + 60
    while ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.CHECKING:
        assert time.monotonic() < deadline, "the worker did not check the file within 60 s"
        time.sleep(0.3)
    batch.refresh_from_db()
    assert (batch.status, batch.rows, batch.added) == (ImportBatch.Status.PREVIEWED, 2, 2)
    assert Customer.objects.count() == 0, "a check saves nothing"
