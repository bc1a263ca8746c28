"""Opening an import file by what it contains, not by its name, and streaming its rows.

- An `.xlsx` workbook is a zip holding `[Content_Types].xml` and `xl/workbook.xml`; it is read with
  openpyxl in read-only mode, one row at a time, real date cells arriving as dates.
- Anything else must be text: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode
  text"), or GB18030/GBK — what Excel on a Chinese Windows writes when it saves a CSV.
- Rows are numbered as Excel numbers them: the first line is row 1, blank lines count.
- A workbook is judged by its zip directory before any reader opens it: one that would unpack to more
  than IMPORT_MAX_UNPACKED_BYTES, or holds a part packed more tightly than IMPORT_MAX_PACKING_RATIO
  (no spreadsheet program does that; a "zip bomb" does), is refused; so is one whose shared-strings
  table — the one part openpyxl holds whole in memory, the sheets are streamed — is larger than
  IMPORT_MAX_SHARED_STRINGS_BYTES. The sizes in the directory can be trusted as a bound: Python's
  zipfile never inflates a member beyond its declared size.
Memory stays flat whatever the file's length: nothing here holds more than one row.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import BinaryIO

import openpyxl
from django.conf import settings

from . import problems as p

Rows = Iterator[tuple[int, Sequence[object]]]

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0"  # the old binary .xls
_XLSX_MEMBERS = {"[Content_Types].xml", "xl/workbook.xml"}
_CHUNK = 1 << 16
_DELIMITERS = (",", "\t", ";")
# Small parts (styles, an empty sheet) pack very tightly without harm: the ratio is checked above this size.
_RATIO_CHECKED_FROM = 1 << 20
_SHARED_STRINGS = "xl/sharedStrings.xml"


def sniff_format(stream: BinaryIO) -> str:
    """ "xlsx" or "csv", judged by the bytes; raises Problem for anything we cannot read."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if not head:
        raise p.Problem(p.FILE_EMPTY)
    if head.startswith(_OLE2):
        raise p.Problem(p.FILE_OLD_EXCEL)
    if head.startswith(_ZIP):
        try:
            members = zipfile.ZipFile(stream).infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise p.Problem(p.FILE_BROKEN_EXCEL) from None
        finally:
            stream.seek(0)
        if not {member.filename for member in members} >= _XLSX_MEMBERS:
            raise p.Problem(p.FILE_ZIP_NOT_EXCEL)
        _refuse_bombs(members)
        return "xlsx"
    return "csv"


def _refuse_bombs(members: list[zipfile.ZipInfo]) -> None:
    """Raise Problem for a workbook too large once unpacked, or with a part packed suspiciously tightly."""
    unpacked = sum(member.file_size for member in members)
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise p.Problem(p.FILE_UNPACKS_TOO_BIG, size=f"{unpacked / 1048576:.0f}", limit=f"{limit / 1048576:.0f}")
    for member in members:
        if member.filename == _SHARED_STRINGS and member.file_size > settings.IMPORT_MAX_SHARED_STRINGS_BYTES:
            held = settings.IMPORT_MAX_SHARED_STRINGS_BYTES
            raise p.Problem(
                p.FILE_TOO_MUCH_TEXT, size=f"{member.file_size / 1048576:.0f}", limit=f"{held / 1048576:.0f}"
            )
        if member.file_size < _RATIO_CHECKED_FROM:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > settings.IMPORT_MAX_PACKING_RATIO:
            raise p.Problem(p.FILE_PACKED_TOO_TIGHTLY, ratio=f"{ratio:.0f}")


def text_encoding(stream: BinaryIO) -> str:
    """The encoding the whole file decodes with: a BOM's, else UTF-8, else GB18030; else Problem."""
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        if _decodes(stream, encoding):
            return encoding
    raise p.Problem(p.FILE_NOT_TEXT)


def _decodes(stream: BinaryIO, encoding: str) -> bool:
    """True when every byte decodes and no NUL appears (a binary file renamed .csv has NULs)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    stream.seek(0)
    try:
        while chunk := stream.read(_CHUNK):
            if "\x00" in decoder.decode(chunk):
                return False
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)


@contextmanager
def open_rows(stream: BinaryIO) -> Iterator[Rows]:
    """The file's rows as (Excel row number, cells), read lazily; the file format is sniffed."""
    if sniff_format(stream) == "xlsx":
        with _xlsx_rows(stream) as rows:
            yield rows
    else:
        yield _csv_rows(stream, text_encoding(stream))


@contextmanager
def _xlsx_rows(stream: BinaryIO) -> Iterator[Rows]:
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a damaged workbook
        raise p.Problem(p.FILE_BROKEN_EXCEL) from None
    try:
        if not workbook.worksheets:
            raise p.Problem(p.FILE_NO_HEADER)
        sheet = workbook.worksheets[0]
        # Some programs write a wrong "used range"; forgetting it makes openpyxl read every row there is.
        sheet.reset_dimensions()
        yield _guarded(enumerate(sheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def _csv_rows(stream: BinaryIO, encoding: str) -> Rows:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        delimiter = _delimiter(text.read(_CHUNK))
        text.seek(0)
        # One record is one Excel row, even when a quoted cell holds line breaks.
        yield from _guarded(enumerate(csv.reader(text, delimiter=delimiter), start=1))
    finally:
        text.detach()


def _delimiter(sample: str) -> str:
    counts = {delimiter: sample.count(delimiter) for delimiter in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: counts[d])


def _guarded(rows: Iterator[tuple[int, Sequence[object]]]) -> Rows:
    """Rows, turning a reader's failure half-way through the file into a Problem naming the row."""
    number = 0
    try:
        for number, row in rows:
            yield number, row
    except p.Problem:
        raise
    except Exception:
        raise p.Problem(p.FILE_DAMAGED_AT, row=number + 1) from None
