"""What an import found: counts, and every bad row with its row number, column, value and reason."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import cells
from .columns import Header
from .problems import Problem, explain

# Bad rows kept in full for the page and the history; the command line prints every one as it is found.
KEPT_ERRORS = 1000


@dataclass(slots=True)
class Row:
    """One data row: its Excel row number, its values by field, and the cells as they were written."""

    number: int
    values: dict[str, Any]  # each of the type its column's parser returns (columns.COLUMNS)
    cells: Sequence[object]
    # Later rows of the same batch saying exactly the same: they share this row's fate.
    twins: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the header as written in the file
    letter: str  # Excel's column letter, to find the cell
    value: str
    msgid: str
    params: dict[str, str]

    @property
    def reason(self) -> str:
        return explain(self.msgid, self.params)

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "column": self.column,
            "letter": self.letter,
            "value": self.value,
            "msgid": self.msgid,
            "params": self.params,
        }

    @classmethod
    def from_dict(cls, data: dict) -> RowError:
        return cls(
            row=data["row"],
            column=data.get("column", ""),
            letter=data.get("letter", ""),
            value=data.get("value", ""),
            msgid=data["msgid"],
            params=data.get("params") or {},
        )


@dataclass
class ImportReport:
    kind: str
    on_error: Callable[[RowError], None] | None = None
    header: Header | None = None
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    bad_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_problem: Problem | None = None
    store_ids: set[int] = field(default_factory=set)
    new_services: list[str] = field(default_factory=list)
    saved: bool = False
    # Called as rows are checked and written: on_progress(checked=…, imported=…, total=…).
    on_progress: Callable[..., None] | None = None
    checked: int = 0
    imported: int = 0
    visit_ids: tuple[int, int] | None = None  # the lowest and highest id of the visits written
    _pending: list[RowError] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return self.file_problem is None and self.bad_rows == 0

    @property
    def more_errors(self) -> int:
        """Bad rows found beyond those kept in `errors`."""
        return max(self.bad_rows - len({error.row for error in self.errors}), 0)

    def reject(self, row: Row, problems: dict[str, Problem]) -> None:
        """Row `row` cannot be imported, for these reasons (one per column)."""
        self.bad_rows += 1
        self._pending.extend(self._error(row, column_field, problem) for column_field, problem in problems.items())

    def progress(self, *, checked: int | None = None, imported: int | None = None) -> None:
        """Rows checked and imported so far, out of `rows` (the file's data rows, once known)."""
        if checked is not None:
            self.checked = checked
        if imported is not None:
            self.imported = imported
        if self.on_progress is not None:
            self.on_progress(checked=self.checked, imported=self.imported, total=self.rows)

    def reject_cells(self, number: int, found: Sequence[tuple[str, str, Problem]]) -> None:
        """Row `number` cannot be imported: (field, the cell as written, problem) for each bad cell."""
        self.bad_rows += 1
        header = self.header
        for column_field, cell, problem in found:
            self._pending.append(
                RowError(
                    row=number,
                    column=header.label(column_field) if header else column_field,
                    letter=header.letter(column_field) if header else "",
                    value=cells.cell_text(cell)[:100],
                    msgid=problem.msgid,
                    params=problem.params,
                )
            )

    def flush(self) -> None:
        """Pass on the bad rows found since the last flush, in row order (a batch's rows are
        checked cell by cell first, then against the database)."""
        self._pending.sort(key=lambda error: error.row)
        for error in self._pending:
            if self.on_error is not None:
                self.on_error(error)
            if len(self.errors) < KEPT_ERRORS:
                self.errors.append(error)
        self._pending.clear()

    def _error(self, row: Row, column_field: str, problem: Problem) -> RowError:
        header = self.header
        position = header.positions.get(column_field) if header else None
        raw = row.cells[position] if position is not None and position < len(row.cells) else None
        return RowError(
            row=row.number,
            column=header.label(column_field) if header else column_field,
            letter=header.letter(column_field) if header else "",
            value=cells.cell_text(raw)[:100],
            msgid=problem.msgid,
            params=problem.params,
        )
