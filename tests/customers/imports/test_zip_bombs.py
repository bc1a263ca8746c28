"""Workbooks built to exhaust memory ("zip bombs") are refused by their packed sizes, before any
spreadsheet reader opens them: on the command line and in the browser alike, with a clear message."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from customers.imports import problems as p
from customers.models import Customer, ImportBatch
from customers.services.imports import import_from_path

from .files import write, xlsx_bytes

HEADER = ["门店编码", "手机号", "姓名"]
INFLATED_MB = 40


def with_shared_strings(extra_text: str) -> bytes:
    """A real workbook (as Excel writes them: texts in a shared-strings table) holding `extra_text` too."""
    genuine = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER, ["MAIN", "13812345678", "王丽"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in genuine.infolist():
            if member.filename != "xl/sharedStrings.xml":
                archive.writestr(member, genuine.read(member))
        strings = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">'
        names = "".join(f"<si><t>{text}</t></si>" for text in ["门店编码", "手机号", "姓名", extra_text])
        archive.writestr("xl/sharedStrings.xml", f"{strings}{names}</sst>")
    return out.getvalue()


def bomb(inflated_mb: int = INFLATED_MB) -> bytes:
    """A real workbook whose shared strings inflate from a few kilobytes to `inflated_mb` MB."""
    return with_shared_strings("A" * (inflated_mb * 1024 * 1024))


def test_a_zip_bomb_is_refused_without_being_unpacked(store, tmp_path):
    path = write(tmp_path, "顾客.xlsx", bomb())
    assert path.stat().st_size < 1024 * 1024
    tracemalloc.start()
    try:
        report = import_from_path(kind="customers", path=path)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.file_problem is not None and report.file_problem.msgid == p.FILE_PACKED_TOO_TIGHTLY
    assert peak < 10 * 1024 * 1024, f"{peak / 1048576:.0f} MB used: the workbook was unpacked"
    assert Customer.objects.count() == 0


def test_a_workbook_too_large_once_unpacked_is_refused(store, tmp_path, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    rows = [HEADER, *(["MAIN", f"139{n:08d}", f"顾客{n}号，喜欢安静的房间"] for n in range(30_000))]
    report = import_from_path(kind="customers", path=write(tmp_path, "顾客.xlsx", xlsx_bytes(rows)))
    assert report.file_problem is not None and report.file_problem.msgid == p.FILE_UNPACKS_TOO_BIG
    with translation.override("zh-hans"):
        assert "解压" in str(report.file_problem)


def test_a_workbook_whose_table_of_texts_is_too_large_to_hold_is_refused(store, tmp_path, settings):
    """Packed like any workbook (random text hardly compresses), so only its size gives it away."""
    import random

    settings.IMPORT_MAX_SHARED_STRINGS_BYTES = 1024 * 1024
    text = "".join(random.Random(1).choices("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", k=500_000))
    report = import_from_path(kind="customers", path=write(tmp_path, "顾客.xlsx", with_shared_strings(text)))
    assert report.file_problem is not None and report.file_problem.msgid == p.FILE_TOO_MUCH_TEXT


def test_an_ordinary_workbook_still_imports(store, tmp_path):
    rows = [HEADER, *(["MAIN", f"139{n:08d}", f"顾客{n}"] for n in range(2000))]
    report = import_from_path(kind="customers", path=write(tmp_path, "顾客.xlsx", xlsx_bytes(rows)))
    assert report.saved, report.file_problem
    assert Customer.objects.count() == 2000


def test_the_command_refuses_a_zip_bomb_in_chinese_with_exit_status_two(store, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("import_data", "customers", str(write(tmp_path, "顾客.xlsx", bomb())))
    assert refused.value.returncode == 2
    assert "Excel" in str(refused.value) and "压缩" in str(refused.value)


def test_the_browser_import_refuses_a_zip_bomb_in_chinese(client, manager, django_capture_on_commit_callbacks):
    client.force_login(manager)
    upload = SimpleUploadedFile("顾客.xlsx", bomb(), content_type="application/octet-stream")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("customers:imports"), {"kind": "customers", "file": upload})
    batch = ImportBatch.objects.get()
    response = client.get(reverse("customers:import_detail", args=[batch.pk]))
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.upload is None
    assert "压缩" in response.content.decode()
