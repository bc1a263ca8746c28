"""Reading a whole file as columns, and checking each column once per distinct cell.

A visits file repeats the same few stores, dates, services and amounts a million times, and each
customer's phone ten times: every cell parser (`cells`) runs once per distinct cell of a column,
and the answer is spread back over the rows by the column library (polars), not by a Python loop.
The checks are the same functions the row-by-row import used, so a file is judged exactly as
before; only the bookkeeping is set-based.

- A CSV is read by polars (text cells; UTF-8 as it is, other encodings converted first). Should
  polars fail on a malformed file, Python's csv module reads it instead, as it always did.
- An Excel workbook arrives as typed cells (dates, numbers) through openpyxl and `RowParser`.
Either way the result is one `Checked` table: the Excel row number and one typed column per known
field, the rows with a bad cell already reported and removed.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from typing import BinaryIO

import polars as pl

from . import cells
from . import problems as p
from .columns import COLUMNS, HEADER_SEARCH_ROWS, Column, Header, RowParser, read_header
from .reading import _csv_rows, _delimiter, open_rows, sniff_format, text_encoding
from .report import ImportReport

ROW = "row"  # the Excel row number of each row
RAW = "raw_"  # prefix of the columns keeping cells as written, for the report
_BLANK = object()
CODED = frozenset({"store", "beautician", "service"})
MEMO_SIZE = 500_000  # distinct cells remembered per column, across batches


def _looked_up_as_written(cells_: pl.Series) -> pl.Series:
    """11 ASCII digits starting with 1: `cells.parse_phone_lookup`'s own test."""
    return cells_.str.contains(r"^1[0-9]{10}$")


def _mobiles_as_written(cells_: pl.Series) -> pl.Series:
    """A mobile number's digits, as `cells.parse_phone` tests them: its shape, then its block, once per block."""
    shaped = cells_.str.contains(f"^{cells.MOBILE_SHAPE}$")
    blocks = cells_.str.slice(0, 7)
    valid = {block: cells.valid_mobile_block(block) for block in blocks.filter(shaped).unique().to_list()}
    return shaped & blocks.replace_strict(valid, default=False, return_dtype=pl.Boolean)


# What Python's str.strip() takes off (the characters whose isspace() is true), as a regex class.
SPACE = r"[\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"


def _texts_as_written(cells_: pl.Series, *, limit: int) -> pl.Series:
    """Text `cells.parse_text` keeps as it is: nothing to trim, not blank, not too long."""
    length = cells_.str.len_chars()
    return (length > 0) & (length <= limit) & cells_.str.contains(f"^{SPACE}|{SPACE}$").not_()


# Cells a parser returns unchanged, told without calling it (a mask over distinct cells, given the
# parser's keyword arguments): a file's million phone numbers, most written as stored, and names.
AS_WRITTEN: dict[Callable[..., object], Callable[..., pl.Series]] = {
    cells.parse_phone_lookup: _looked_up_as_written,
    cells.parse_phone: _mobiles_as_written,
    cells.parse_text: _texts_as_written,
}
CSV_BLOCK = 4 << 20  # bytes of a CSV read at a time (8 MB reads faster, but a million visits then peak near 300 MB)


def _parser(column: Column) -> tuple[Callable[..., object], dict[str, object]]:
    """The column's parse function and the keyword arguments it is given (`partial(parse_text, limit=50)`)."""
    if isinstance(column.parse, functools.partial):
        return column.parse.func, column.parse.keywords
    return column.parse, {}


def dtype_of(column: Column) -> pl.DataType:
    """The column type of a field's parsed values (money in fen, so that sums stay exact)."""
    parse, _keywords = _parser(column)
    if parse is cells.parse_date:
        return pl.Date()
    if parse is cells.parse_money or parse is cells.parse_whole_number:
        return pl.Int64()
    if parse is cells.parse_yes_no:
        return pl.Boolean()
    return pl.String()


def stored(value: object) -> object:
    """A parsed value as its column holds it: Decimal yuan become whole fen."""
    if isinstance(value, Decimal):
        return int(value * 100)
    return value


def yuan(fen: int) -> Decimal:
    """Whole fen as the Decimal yuan a money field holds: 29800 → Decimal("298.00")."""
    return Decimal(fen).scaleb(-2)


def yuan_text(name: str) -> pl.Expr:
    """A column of whole fen as the text of yuan, for a COPY: 29800 → "298.00"."""
    fen = pl.col(name)
    return (fen // 100).cast(pl.String) + "." + (fen % 100).cast(pl.String).str.zfill(2)


@dataclass
class Checked:
    """The rows of a file whose every cell reads: typed values by field, plus the Excel row number
    and the phone and store cells as written (later checks quote them)."""

    header: Header
    frame: pl.DataFrame
    rows: int  # data rows in the file, bad ones included

    def has(self, field: str) -> bool:
        return field in self.header.positions


def read_checked(
    kind: str,
    stream: BinaryIO,
    report: ImportReport,
    *,
    keep_raw: Sequence[str] = ("store", "phone"),
    on_batch: Callable[[int, int], None] | None = None,
) -> Checked:
    """Read and check every cell of `stream`; bad cells go to `report` (rows in order).

    The file is read BATCH_ROWS rows at a time and only the checked, typed values are kept:
    memory follows the number of rows, not the text of the file. `on_batch(rows read so far,
    rows expected)` follows the progress."""
    if sniff_format(stream) != "csv":
        with open_rows(stream) as rows:
            return _checked(kind, *_python_rows(kind, rows), report, keep_raw, on_batch)
    encoding = text_encoding(stream)
    try:
        return _checked(kind, *_polars_csv(kind, stream, encoding), report, keep_raw, on_batch)
    except p.Problem:
        raise
    except Exception:  # polars refused a malformed file: the csv module reads anything, as it always did
        report.bad_rows, report._pending = 0, []
        return _checked(kind, *_python_rows(kind, _csv_rows(stream, encoding)), report, keep_raw, on_batch)


def _checked(kind, header: Header, batches, expected: int, report: ImportReport, keep_raw, on_batch) -> Checked:
    report.header = header
    known = [column for column in COLUMNS[kind] if column.field in header.positions]
    keep = [f"{RAW}{field}" for field in keep_raw if field in header.positions]
    memos: dict[str, dict[str, object]] = {column.field: {} for column in known}
    good, rows = [], 0
    for raw in batches:
        rows += raw.height
        checked, bad = _check_cells(raw, known, memos)
        _reject(report, bad)
        # Columns of a few distinct values (stores, staff, services) are kept as codes into their
        # distinct values: a million rows cost a few megabytes.
        kept = checked.select(
            ROW,
            *(pl.col(c.field).cast(pl.Categorical) if c.field in CODED else c.field for c in known),
            *(_kept_as_written(c) for c in known if f"{RAW}{c.field}" in keep),
        )
        good.append(kept)
        if on_batch is not None:
            on_batch(rows, max(expected, rows))
    if rows == 0:
        raise p.Problem(p.FILE_NO_ROWS)
    return Checked(header=header, frame=pl.concat(good, rechunk=False), rows=rows)


def _kept_as_written(column: Column) -> pl.Expr:
    """The column's cells as written, for the report to quote. A text column of many distinct cells
    (phones: a chain's million) keeps only the cells its values differ from, the rest being their
    values (`as_written`): a code per row would keep every distinct cell for the life of the process
    (the column library's shared dictionary), some 70 MB for a million visits."""
    raw = pl.col(f"{RAW}{column.field}")
    if column.field in CODED or dtype_of(column) != pl.String():
        return raw.cast(pl.Categorical)
    return pl.when(raw.ne_missing(pl.col(column.field))).then(raw)


def as_written(field: str) -> pl.Expr:
    """The cell of `field` as the file wrote it (kept by `read_checked`'s `keep_raw`)."""
    return pl.coalesce(pl.col(f"{RAW}{field}").cast(pl.String), pl.col(field).cast(pl.String)).alias(f"{RAW}{field}")


def _reject(report: ImportReport, bad: list[tuple[int, str, str, p.Problem]]) -> None:
    by_row: dict[int, list[tuple[str, str, p.Problem]]] = {}
    for number, field, cell, problem in bad:
        by_row.setdefault(number, []).append((field, cell, problem))
    for number, found in by_row.items():
        report.reject_cells(number, found)


# --- reading --------------------------------------------------------------------------------


def _head(rows: Iterator[tuple[int, Sequence[object]]]) -> list[tuple[int, Sequence[object]]]:
    head, filled = [], 0
    for number, row in rows:
        head.append((number, row))
        filled += any(not cells.is_blank(cell) for cell in row)
        if filled >= HEADER_SEARCH_ROWS:
            break
    return head


def _polars_csv(kind: str, stream: BinaryIO, encoding: str) -> tuple[Header, Iterator[pl.DataFrame], int]:
    """The data rows as text columns (`raw_<field>`), each with its Excel row number; blank rows dropped.

    Read a few megabytes at a time, cut after a line break outside quotes (an even number of `"`
    before it: a quoted cell may hold line breaks), so that memory stays flat however long the file."""
    stream.seek(0)
    head = _head(_csv_rows(stream, encoding))
    header = read_header(kind, head)
    width = max(len(row) for number, row in head if number == header.row)
    stream.seek(0)
    sample = stream.read(1 << 16)
    stream.seek(0)
    if encoding not in {"utf-8", "utf-8-sig"}:
        source: BinaryIO = io.BytesIO(stream.read().decode(encoding).encode("utf-8"))
    else:
        source = stream
    delimiter = _delimiter(sample.decode(encoding, errors="ignore"))
    return header, _csv_batches(source, header, width, delimiter), _lines(source) - header.row


def _lines(source: BinaryIO) -> int:
    """Lines in the file: the rows to expect, for the progress bar (blank lines and quoted line breaks aside)."""
    source.seek(0)
    lines, last = 0, b"\n"
    while block := source.read(CSV_BLOCK):
        lines += block.count(b"\n")
        last = block[-1:]
    source.seek(0)
    return lines + (last != b"\n")


def _csv_batches(source: BinaryIO, header: Header, width: int, delimiter: str) -> Iterator[pl.DataFrame]:
    names = [f"c{i}" for i in range(width)]
    filled = pl.any_horizontal(pl.col(name).str.strip_chars().str.len_chars() > 0 for name in names)
    number = 0  # Excel rows read so far
    for position, block in enumerate(_blocks(source)):
        skip = header.row if position == 0 else 0
        frame = pl.read_csv(
            io.BytesIO(block),
            has_header=False,
            separator=delimiter,
            skip_rows=skip,
            schema=dict.fromkeys(names, pl.String),
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
        frame = frame.with_row_index(ROW, offset=number + skip + 1)
        number += skip + frame.height
        yield frame.filter(filled.fill_null(False)).select(
            pl.col(ROW).cast(pl.Int64),
            *(pl.col(names[position]).alias(f"{RAW}{field}") for field, position in header.positions.items()),
        )


def _blocks(source: BinaryIO) -> Iterator[bytes]:
    """The file in pieces of about CSV_BLOCK bytes, each ending after a line break outside quotes."""
    source.seek(0)
    rest, first = b"", True
    while block := source.read(CSV_BLOCK):
        data = rest + block
        if first and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        first = False
        cut = data.rfind(b"\n")
        while cut != -1 and data.count(b'"', 0, cut) % 2:
            cut = data.rfind(b"\n", 0, cut)
        if cut == -1:
            rest = data
            continue
        yield data[: cut + 1]
        rest = data[cut + 1 :]
    if rest:
        yield rest


def _python_rows(kind: str, rows: Iterator[tuple[int, Sequence[object]]]) -> tuple[Header, Iterator[pl.DataFrame], int]:
    """Typed cells (an Excel workbook, or a CSV polars cannot read), parsed row by row."""
    head = _head(rows)
    header = read_header(kind, head)
    parse = RowParser(kind, header)
    fields = [column.field for column in COLUMNS[kind] if column.field in header.positions]
    data: dict[str, list] = {ROW: [], **{f"{RAW}{f}": [] for f in fields}, **{f"{_PARSED}{f}": [] for f in fields}}
    for number, row in chain(head, rows):
        if number <= header.row or all(cells.is_blank(cell) for cell in row):
            continue
        values, bad = parse(row)
        data[ROW].append(number)
        for field in fields:
            position = header.positions[field]
            data[f"{RAW}{field}"].append(cells.cell_text(row[position]) if position < len(row) else "")
            data[f"{_PARSED}{field}"].append(bad.get(field, values.get(field)))
    frame = pl.DataFrame(
        [
            pl.Series(name, values, dtype=pl.Int64 if name == ROW else pl.String if name.startswith(RAW) else pl.Object)
            for name, values in data.items()
        ]
    )
    return header, iter([frame]), frame.height


_PARSED = "parsed_"  # rows read by RowParser carry each cell already parsed (a value or its Problem)


# --- checking ---------------------------------------------------------------------------------


def _check_cells(
    raw: pl.DataFrame, known: list[Column], memos: dict[str, dict[str, object]]
) -> tuple[pl.DataFrame, list[tuple[int, str, str, p.Problem]]]:
    """Each known column parsed; the rows with a bad cell taken out and listed (row, field, cell, problem)."""
    problems: list[p.Problem] = []
    columns = []
    for column in known:
        values, problem_ids = _parsed_column(raw, column, problems, memos[column.field])
        columns += [values.alias(column.field), problem_ids.alias(f"problem_{column.field}")]
    frame = raw.with_columns(columns)
    problem_columns = [f"problem_{column.field}" for column in known]
    bad_mask = pl.any_horizontal(pl.col(name).is_not_null() for name in problem_columns) if known else pl.lit(False)
    bad = []
    for record in frame.filter(bad_mask).iter_rows(named=True):
        for column in known:  # in the kind's column order, as the report lists them
            index = record[f"problem_{column.field}"]
            if index is not None:
                bad.append((record[ROW], column.field, record[f"{RAW}{column.field}"] or "", problems[index]))
    return without(frame, bad_mask).drop(problem_columns), bad


def _parsed_column(
    raw: pl.DataFrame, column: Column, problems: list[p.Problem], memo: dict[str, object]
) -> tuple[pl.Series, pl.Series]:
    """The column's values (typed) and, per row, the index of its problem in `problems` (or null)."""
    dtype = dtype_of(column)
    required = column.required and not column.blank_ok
    if f"{_PARSED}{column.field}" in raw.columns:  # parsed row by row already
        parsed = raw[f"{_PARSED}{column.field}"].to_list()
        distinct: dict[object, int] = {}
        values: list[object] = []
        ids: list[int | None] = []
        for value in parsed:
            if value is None and required:
                value = p.Problem(p.REQUIRED)
            if isinstance(value, p.Problem):
                ids.append(distinct.setdefault(id(value), len(problems)))
                if ids[-1] == len(problems):
                    problems.append(value)
                values.append(None)
            else:
                ids.append(None)
                values.append(stored(value))
        return pl.Series(values, dtype=dtype), pl.Series(ids, dtype=pl.Int64)
    cells_ = raw[f"{RAW}{column.field}"].fill_null("")
    uniques = cells_.unique().sort()
    # Each cell's place among the sorted distinct cells picks its distinct_values value.
    codes = uniques.search_sorted(cells_)
    parse, keywords = _parser(column)
    as_written = AS_WRITTEN.get(parse)
    if as_written is None:
        distinct_values, problem_ids = _parsed_cells(uniques, column, required, problems, memo)
        return distinct_values.gather(codes), problem_ids.gather(codes)
    # The distinct cells written as the parser would return them are taken as written (copied out
    # of the file's text, which is let go); only the others are parsed.
    distinct_values = pl.Series(uniques.to_list(), dtype=pl.String)
    problem_ids = pl.repeat(None, len(uniques), dtype=pl.Int64, eager=True)
    odd = as_written(uniques, **keywords).not_().arg_true()
    if len(odd):
        odd_values, odd_ids = _parsed_cells(uniques.gather(odd), column, required, problems, memo)
        distinct_values, problem_ids = distinct_values.scatter(odd, odd_values), problem_ids.scatter(odd, odd_ids)
    return distinct_values.gather(codes), problem_ids.gather(codes)


def _parsed_cells(
    uniques: pl.Series, column: Column, required: bool, problems: list[p.Problem], memo: dict[str, object]
) -> tuple[pl.Series, pl.Series]:
    """Each of these distinct cells parsed: its value (typed) and the index of its problem (or null)."""
    dtype = dtype_of(column)
    results = []
    for cell in uniques.to_list():
        result = memo.get(cell, _BLANK)
        if result is _BLANK:
            result = _parse_once(column, cell, required)
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[cell] = result
        results.append(result)
    value_of = [None if isinstance(r, p.Problem) else stored(r) for r in results]
    problem_of: list[int | None] = []
    for result in results:
        if isinstance(result, p.Problem):
            problems.append(result)
            problem_of.append(len(problems) - 1)
        else:
            problem_of.append(None)
    return pl.Series(value_of, dtype=dtype), pl.Series(problem_of, dtype=pl.Int64)


def _parse_once(column: Column, cell: str, required: bool) -> object:
    if not cell or cell.isspace():
        return p.Problem(p.REQUIRED) if required else None
    try:
        return column.parse(cell)
    except p.Problem as problem:
        return problem


def repeats_a_key(frame: pl.DataFrame, key: list[str]) -> bool:
    """Whether some key may stand on two rows: False (most files) is certain, True only likely (a collision of
    hashes costs the caller's exact search, no more). One hash per row, sorted: neighbours, no hash table, and
    no copy of the frame's other columns."""
    hashes = frame.select(pl.struct(key).hash()).to_series().sort()
    return bool((hashes == hashes.shift(1)).any())


def without(frame: pl.DataFrame, bad: pl.Expr) -> pl.DataFrame:
    """`frame` less the rows where `bad` holds: the frame itself when it holds for none (most files),
    for a filter copies every column, and a million rows twice cost more than the rest of the check."""
    bad = bad.fill_null(False)
    if not frame.select(bad.any()).item():
        return frame
    return frame.filter(~bad)


def today_of(stores: dict[int, dt.date]) -> pl.DataFrame:
    """A small frame store id → the store's today, to compare dates against."""
    return pl.DataFrame(
        {"store_id": list(stores), "today": list(stores.values())}, schema={"store_id": pl.Int64, "today": pl.Date}
    )


def lookup(frame: pl.DataFrame, key: str, mapping: dict, name: str, dtype: pl.DataType) -> pl.DataFrame:
    """`frame` with a column `name`: `mapping[key]` of each row (null for keys it lacks)."""
    keys = list(mapping)
    if not keys:
        return frame.with_columns(pl.lit(None, dtype=dtype).alias(name))
    values = [mapping[k] for k in keys]
    return frame.with_columns(pl.col(key).replace_strict(keys, values, default=None, return_dtype=dtype).alias(name))


def looked_up(frame: pl.DataFrame, keys: pl.DataFrame, on: list[str]) -> pl.DataFrame:
    """`frame` with `keys`' other columns for each row's `on` values (null where none; keys unique).

    Only the key columns take part in the join: the frame's other columns are shared, not copied."""
    found = frame.select(on).join(keys, on=on, how="left", maintain_order="left", nulls_equal=True)
    return frame.with_columns(found.drop(on).get_columns())
