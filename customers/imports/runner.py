"""Running one import: check every row, write — all or nothing.

Everything happens inside one transaction. The first bad row stops nothing: checking goes on to
the end of the file so that every bad row is reported, and then the whole transaction is rolled
back. Only a file without a single bad row is committed. A dry run is rolled back too, after
counting what would be added, updated and left unchanged.

Customers and visits, the kinds a file brings by the hundred thousand, read, check and write the
whole file themselves as columns (`columnar`, `Importer.import_file`). Stores, staff and cards are
streamed a batch at a time through `RowParser` and the kind's `import_batch`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import BinaryIO

from django.db import IntegrityError, connection, reset_queries, transaction

from ..models import Staff
from . import problems as p
from .columns import HEADER_SEARCH_ROWS, Header, RowParser, read_header
from .kinds import IMPORTERS, Importer
from .memory import return_large_buffers
from .reading import Rows, open_rows
from .report import ImportReport, Row, RowError

BATCH_ROWS = 5000


class _RollBack(Exception):
    """Leave the import's transaction without saving: a dry run, or a file with bad rows."""


@dataclass
class _Batch:
    rows: list[Row] = field(default_factory=list)  # rows whose every cell reads
    bad: list[tuple[Row, dict[str, p.Problem]]] = field(default_factory=list)


def run_import(
    *,
    kind: str,
    stream: BinaryIO,
    by: Staff | None,
    store_ids: frozenset[int] | None,
    dry_run: bool,
    note: str = "",
    on_error: Callable[[RowError], None] | None = None,
    on_progress: Callable[..., None] | None = None,
) -> ImportReport:
    """Import `stream` as `kind`; `store_ids` limits the stores rows may name (None: any store).

    `on_progress(checked=…, imported=…, total=…)` is told how far the import has got."""
    report = ImportReport(kind=kind, on_error=on_error, on_progress=on_progress)
    try:
        with transaction.atomic():
            importer = IMPORTERS[kind](report=report, store_ids=store_ids, by=by, note=note)
            importer.dry_run = dry_run
            try:
                if importer.columnar:
                    return_large_buffers()
                    importer.import_file(stream)
                    report.flush()
                else:
                    _check_constraints_as_we_go()
                    with open_rows(stream) as rows:
                        _import_rows(kind, rows, importer, report)
                if dry_run or not report.ok:
                    raise _RollBack
                importer.finish()
            finally:
                importer.close()
            report.saved = True
            report.visit_ids = getattr(importer, "visit_ids", None)
    except _RollBack:
        pass
    except p.Problem as problem:
        report.file_problem = problem
    except IntegrityError:
        # Only a change made by someone else while the file was being imported gets here.
        report.file_problem = p.Problem(p.CONCURRENT_CHANGE)
    report.flush()
    return report


def _import_rows(kind: str, rows: Rows, importer: Importer, report: ImportReport) -> None:
    header, rows = _header(kind, rows)
    report.header = header
    for batch in _batches(kind, header, rows):
        report.rows += len(batch.rows) + len(batch.bad)
        for row, problems in batch.bad:
            report.reject(row, problems)
        importer.import_batch(batch.rows)
        report.flush()
        report.progress(checked=report.rows)
        # With DEBUG on, Django keeps every query's SQL, and a batch's SQL is large.
        reset_queries()
    importer.complete()
    report.flush()
    if report.rows == 0:
        raise p.Problem(p.FILE_NO_ROWS)


def _check_constraints_as_we_go() -> None:
    """Check foreign keys after each batch rather than all at commit: the database's queue of
    pending checks would otherwise grow with the file."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _header(kind: str, rows: Rows) -> tuple[Header, Rows]:
    """The header row among the first rows, and all the rows (the ones looked at included)."""
    head, filled = [], 0
    for number, row in rows:
        head.append((number, row))
        filled += not _blank(row)
        if filled >= HEADER_SEARCH_ROWS:
            break
    return read_header(kind, head), chain(head, rows)


def _batches(kind: str, header: Header, rows: Rows) -> Iterator[_Batch]:
    """The data rows below the header, parsed, a batch at a time; blank rows are skipped."""
    parse = RowParser(kind, header)
    batch = _Batch()
    for number, cells_ in rows:
        if number <= header.row or _blank(cells_):
            continue
        values, bad = parse(cells_)
        if bad:
            batch.bad.append((Row(number, values, cells_), bad))
        else:
            batch.rows.append(Row(number, values, cells_))
        if len(batch.rows) + len(batch.bad) >= BATCH_ROWS:
            yield batch
            batch = _Batch()
    if batch.rows or batch.bad:
        yield batch


def _blank(row) -> bool:
    """No cell holds anything (a written-out loop: it runs for every row of the file)."""
    for cell in row:  # noqa: SIM110
        if cell is not None and (cell.__class__ is not str or (cell and not cell.isspace())):
            return False
    return True
