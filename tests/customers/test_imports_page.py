"""/imports/: upload, preview, confirm; templates; history; who may do it."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from customers.imports import problems as p
from customers.models import AuditEvent, Customer, ImportBatch

from .imports.files import csv_bytes, xlsx_bytes

GOOD = [["门店编码", "手机号", "姓名"], ["MAIN", "13812345678", "王丽"], ["MAIN", "13900001111", "李娜"]]
ONE_BAD = [*GOOD, ["MAIN", "1390000", "张敏"]]


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """A browser whose posts end as in production: once the request's transaction commits, the
    tasks it queued run (Celery is eager in tests; the test's transaction never commits)."""
    post = client.post

    def post_then_run_tasks(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_then_run_tasks
    return client


def upload(client, rows, kind="customers", name="顾客.csv", content=None):
    content = content if content is not None else csv_bytes(rows)
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(reverse("customers:imports"), {"kind": kind, "file": file})


def test_a_manager_sees_the_upload_form_templates_and_history(client, manager):
    client.force_login(manager)
    html = client.get("/imports/").content.decode()
    assert 'name="file"' in html and "/imports/templates/customers.xlsx" in html
    assert 'value="stores"' not in html  # the store list is head office's


@pytest.mark.parametrize("persona", ["beautician_a", "front_desk"])
def test_staff_other_than_managers_cannot_import(client, db, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/imports/").status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert Customer.objects.count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/imports/").status_code == 302


def test_uploading_shows_the_preview_and_saves_nothing_until_confirmed(client, manager):
    client.force_login(manager)
    response = upload(client, GOOD)
    batch = ImportBatch.objects.get()
    assert response.url == f"/imports/{batch.pk}/"
    assert (batch.status, batch.added, batch.uploaded_by, batch.store) == ("previewed", 2, manager, manager.store)
    assert Customer.objects.count() == 0
    html = client.get(response.url).content.decode()
    assert 'id="confirm-import"' in html

    client.post(f"/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert (batch.status, batch.added, batch.upload) == ("imported", 2, None)
    assert Customer.objects.count() == 2
    assert AuditEvent.objects.get().actor == manager


def test_confirming_twice_imports_once(client, manager):
    client.force_login(manager)
    batch_url = upload(client, GOOD).url
    client.post(f"{batch_url}confirm/")
    client.post(f"{batch_url}confirm/")
    assert Customer.objects.count() == 2
    assert AuditEvent.objects.count() == 1


def test_confirming_is_a_post(client, manager):
    client.force_login(manager)
    batch_url = upload(client, GOOD).url
    assert client.get(f"{batch_url}confirm/").status_code == 405
    assert Customer.objects.count() == 0


def test_a_file_with_a_bad_row_is_explained_row_column_value_and_reason_in_chinese(client, manager):
    client.force_login(manager)
    response = upload(client, ONE_BAD)
    html = client.get(response.url).content.decode()
    assert 'id="confirm-import"' not in html
    assert "第 4 行" in html and "手机号" in html and "1390000" in html and "不是有效的大陆手机号" in html
    assert ImportBatch.objects.get().upload is None  # a rejected file is not kept
    assert Customer.objects.count() == 0


def test_the_report_reads_in_english_for_an_english_speaker(client, manager):
    client.force_login(manager)
    batch_url = upload(client, ONE_BAD).url
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(batch_url).content.decode()
    assert "Row 4" in html and "is not a valid mainland mobile number" in html


def test_the_upload_form_speaks_the_language_of_the_page(client, manager):
    client.force_login(manager)
    assert "Excel 工作簿（.xlsx，读取第一个工作表）或 CSV 文件" in client.get("/imports/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/imports/").content.decode()
    assert "An .xlsx workbook (first sheet) or a CSV file" in html and "工作簿" not in html


def test_a_manager_cannot_import_rows_of_another_store(client, manager, other_store):
    client.force_login(manager)
    upload(client, [["门店编码", "手机号", "姓名"], ["OTHER", "13812345678", "王丽"]])
    assert ImportBatch.objects.get().status == "rejected"


def test_a_manager_cannot_upload_the_store_list(client, manager):
    client.force_login(manager)
    upload(client, [["门店编码", "门店名称"], ["SH01", "上海"]], kind="stores")
    assert not ImportBatch.objects.exists()  # the form refuses the choice


def test_head_office_may_import_stores(client, owner):
    client.force_login(owner)
    batch_url = upload(client, [["门店编码", "门店名称"], ["SH01", "上海"]], kind="stores").url
    client.post(f"{batch_url}confirm/")
    assert ImportBatch.objects.get().status == "imported"


def test_a_file_over_the_size_limit_is_refused_with_a_message(client, manager, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(manager)
    response = upload(client, None, content=b"store,phone,name\r\n" + b"MAIN,13812345678,x\r\n" * 60_000)
    assert response.status_code == 200
    assert "文件大于 1 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_oversize_file_gets_the_size_message_only(client, manager, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(manager)
    response = upload(client, None, content=b"store,phone,name\r\n" + b"MAIN,13812345678,x\r\n" * 60_000)
    form = response.context["form"]
    assert list(form.errors) == ["file"] and len(form.errors["file"]) == 1
    html = response.content.decode()
    assert "文件大于 1 MB" in html and "这个字段是必填项" not in html
    assert 'value="customers" selected' in html  # what she chose is kept


def test_a_picture_renamed_csv_is_refused_by_its_content(client, manager):
    client.force_login(manager)
    batch_url = upload(client, None, name="顾客.csv", content=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").url
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.file_problem["msgid"]) == ("rejected", p.FILE_NOT_TEXT)
    assert 'id="file-problem"' in client.get(batch_url).content.decode()


def test_an_xlsx_upload_works_whatever_its_name(client, manager):
    client.force_login(manager)
    batch_url = upload(client, None, name="export.dat", content=xlsx_bytes(GOOD)).url
    assert ImportBatch.objects.get().status == "previewed"
    client.post(f"{batch_url}confirm/")
    assert Customer.objects.count() == 2


def test_a_manager_sees_her_stores_imports_only(client, manager, owner, other_store):
    ImportBatch.objects.create(kind="customers", file_name="other.csv", status="imported", store=other_store)
    client.force_login(manager)
    mine = upload(client, GOOD).url
    other = ImportBatch.objects.get(file_name="other.csv")
    assert client.get(f"/imports/{other.pk}/").status_code == 404
    assert client.post(f"/imports/{other.pk}/confirm/").status_code == 404
    html = client.get("/imports/").content.decode()
    assert "顾客.csv" in html and "other.csv" not in html
    client.force_login(owner)
    assert client.get(mine).status_code == 200


def test_the_history_lists_imports_with_their_counts(client, manager):
    client.force_login(manager)
    client.post(f"{upload(client, GOOD).url}confirm/")
    html = client.get("/imports/").content.decode()
    assert "顾客.csv" in html and "新增 2" in html


@pytest.mark.parametrize("kind", ["staff", "customers", "visits", "cards"])
def test_templates_download_with_chinese_headers_that_import_back(client, manager, kind):
    client.force_login(manager)
    csv_file = client.get(f"/imports/templates/{kind}.csv")
    assert csv_file["Content-Type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert "门店编码*" in header
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/imports/templates/{kind}.xlsx").content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == header
    assert len(workbook.worksheets) == 2  # the second sheet explains the columns


def test_the_store_template_is_head_offices(client, manager, owner):
    client.force_login(manager)
    assert client.get("/imports/templates/stores.csv").status_code == 404
    client.force_login(owner)
    assert client.get("/imports/templates/stores.csv").status_code == 200


def test_the_file_is_checked_again_on_confirmation(client, manager):
    """Between the check and the confirmation someone removed a customer the visits name."""
    from tests.factories import CustomerFactory

    customer = CustomerFactory(store=manager.store, phone="13812345678")
    client.force_login(manager)
    rows = [["门店编码", "手机号", "到店日期"], ["MAIN", "13812345678", "2026-03-05"]]
    batch_url = upload(client, rows, kind="visits").url
    customer.delete()
    client.post(f"{batch_url}confirm/")
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.bad_rows) == ("rejected", 1)
    assert "数据有了变化" in client.get(batch_url).content.decode()


def test_a_preview_nobody_confirms_is_erased_after_a_day(client, manager):
    import datetime as dt

    from django.utils import timezone

    client.force_login(manager)
    batch_url = upload(client, GOOD).url
    ImportBatch.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    client.post(f"{batch_url}confirm/")
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.upload) == ("expired", None)
    assert Customer.objects.count() == 0
    assert 'id="import-expired"' in client.get(batch_url).content.decode()


def test_only_csv_and_excel_templates_exist(client, manager):
    client.force_login(manager)
    assert client.get("/imports/templates/customers.pdf").status_code == 404
    assert client.get("/imports/templates/nonsense.csv").status_code == 404
