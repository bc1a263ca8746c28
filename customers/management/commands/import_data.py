"""`import_data KIND FILE [--dry-run]` (DESIGN §5.1).

Exit status: 0 when every row was imported (or, with --dry-run, would be); 1 when any row is bad —
every bad row is printed (row number as Excel shows it, column, value, reason) and nothing is
saved; 2 when the file itself cannot be imported (unreadable, missing columns) or the arguments
are wrong.

A chain moving in brings many files: `import_data stores s.csv staff t.csv customers c.csv visits
v1.csv v2.csv` imports them one after the other in one run (one start of the program, not one per
file). Each file is all-or-nothing on its own; the run stops at the first file that is not
imported, and the files before it stay imported (the next run can start from the file that failed).
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from customers.imports.columns import KINDS
from customers.imports.report import ImportReport, RowError
from customers.services.imports import import_from_path

BAD_ROWS = 1
BAD_FILE = 2


class Command(BaseCommand):
    help = "Import stores, staff, customers, visits or cards from a CSV (UTF-8 or GBK) or XLSX file."
    # Django's system checks (URLs, templates, admin, security settings) say nothing about a file
    # and cost a quarter of a second: a chain importing its exports file by file runs the command
    # many times. `manage.py check` and every server start still run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument(
            "files",
            nargs="+",
            metavar="FILE",
            help="The file to import; more files of the same kind, or further KIND FILE… groups, are imported "
            "after it, in order (a file named like a kind is written ./visits).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and count; save nothing.")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the report (default: %(default)s).",
        )

    def handle(self, *args, kind: str, files: list[str], dry_run: bool, language: str, verbosity: int, **options):
        translation.activate(language)
        plan = _plan(kind, files)
        # Every file is looked for before the first is imported: a typo in the last name leaves nothing half done.
        for _kind, file in plan:
            if not file.is_file():
                raise CommandError(_("No such file: %(file)s") % {"file": file}, returncode=BAD_FILE)
        for position, (kind, file) in enumerate(plan):
            if len(plan) > 1:
                self.stdout.write(f"==> {file} ({kind})")
            started = time.monotonic()
            try:
                self._import(kind, file, dry_run=dry_run)
            except CommandError:
                if position + 1 < len(plan):
                    rest = ", ".join(str(f) for _k, f in plan[position + 1 :])
                    self.stderr.write(_("Stopped here; not imported: %(files)s") % {"files": rest})
                raise
            if verbosity >= 2:
                self.stdout.write(
                    _("%(file)s: %(seconds).1f s") % {"file": file, "seconds": time.monotonic() - started}
                )

    def _import(self, kind: str, file: Path, *, dry_run: bool) -> None:
        progress = _Progress(self.stdout, dry_run=dry_run)
        try:
            report = import_from_path(
                kind=kind, path=file, dry_run=dry_run, on_error=self._print_error, on_progress=progress
            )
        finally:
            progress.close()
        self._print_summary(report, dry_run)
        if report.file_problem is not None:
            raise CommandError(str(report.file_problem), returncode=BAD_FILE)
        if report.bad_rows:
            raise CommandError(
                _("%(count)s bad rows: nothing was saved. Correct them and import the file again.")
                % {"count": report.bad_rows},
                returncode=BAD_ROWS,
            )

    def _print_error(self, error: RowError) -> None:

        where = _("row %(row)s, column %(column)s") % {"row": error.row, "column": error.column}
        self.stderr.write(f"{where} {error.letter} «{error.value}»: {error.reason}")

    def _print_summary(self, report: ImportReport, dry_run: bool) -> None:
        if not report.ok:
            if report.bad_rows:
                self.stdout.write(_("%(rows)s rows checked.") % {"rows": report.rows})
            return
        counts = _("%(rows)s rows: %(added)s added, %(updated)s updated, %(unchanged)s unchanged.") % {
            "rows": report.rows,
            "added": report.added,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
        if report.saved:
            self.stdout.write(self.style.SUCCESS(_("Imported.") + " " + counts))
        else:
            self.stdout.write(_("Checked, nothing saved (dry run).") + " " + counts)
        if report.new_services:
            names = "、".join(report.new_services[:20])
            self.stdout.write(_("Services added to the menu: %(names)s") % {"names": names})


class _Progress:
    """Rows checked and imported: a progress bar on a terminal, else a plain line every few seconds."""

    LINE_EVERY = 5.0  # seconds

    def __init__(self, out, *, dry_run: bool) -> None:
        self.out, self.dry_run = out, dry_run
        self.bar: tqdm | None = None
        self.terminal = hasattr(out, "isatty") and out.isatty()
        self.last_line = time.monotonic()

    def __call__(self, *, checked: int, imported: int, total: int) -> None:
        steps = total if self.dry_run else 2 * total
        done = checked if self.dry_run else checked + imported
        if self.terminal:
            if self.bar is None:
                self.bar = tqdm(total=steps, unit=_("rows"), file=self.out._out, leave=False, dynamic_ncols=True)
            self.bar.total = max(steps, done)
            self.bar.set_description(_("importing") if imported else _("checking"))
            self.bar.update(done - self.bar.n)
        elif time.monotonic() - self.last_line >= self.LINE_EVERY:
            self.last_line = time.monotonic()
            self.out.write(
                _("%(checked)s of %(total)s rows checked, %(imported)s imported")
                % {"checked": f"{checked:,}", "total": f"{total:,}", "imported": f"{imported:,}"}
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _plan(kind: str, items: list[str]) -> list[tuple[str, Path]]:
    """`KIND FILE [FILE…] [KIND FILE…]…` as (kind, file) in order; a word naming a kind starts a new group."""
    plan: list[tuple[str, Path]] = []
    given = False  # the current group has a file
    for item in items:
        if item in KINDS:
            if not given:
                break
            kind, given = item, False
        else:
            plan.append((kind, Path(item)))
            given = True
    if not given:
        raise CommandError(_("No file given for %(kind)s.") % {"kind": kind}, returncode=BAD_FILE)
    return plan
