from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from customers.audit import audit_export
from customers.models import Store
from customers.spreadsheets import SafeCsvWriter
from reactivation.selectors.calls import export_rows

COLUMNS = [
    "store",
    "phone",
    "name",
    "bucket",
    "months",
    "last_visit_on",
    "assignee",
    "assignee_role",
    "card_balance",
    "sessions_left",
]


class Command(BaseCommand):
    help = (
        "Write the current call lists to a CSV file (UTF-8): one row per contactable customer with an assignee, "
        "with the full phone number. Every export is recorded in the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, metavar="FILE.csv", help="where to write the CSV file")
        parser.add_argument("--store", metavar="CODE", help="only this store (default: every store)")

    def handle(self, *args, **options):
        store = None
        if options["store"]:
            store = Store.objects.filter(code=options["store"]).first()
            if store is None:
                raise CommandError(_("No store with the code “%(code)s”.") % {"code": options["store"]})
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": out.parent})
        stores = [store] if store is not None else list(Store.objects.order_by("code"))
        rows_per_store = self._write(out, stores)
        for exported in stores:
            if store is None and not rows_per_store[exported.pk]:
                continue  # the whole chain: only the stores whose numbers left in the file
            audit_export(
                actor=None, store=exported, what="call_lists", rows=rows_per_store[exported.pk], file_name=out.name
            )
        total = sum(rows_per_store.values())
        self.stdout.write(_("%(rows)d customers written to %(file)s.") % {"rows": total, "file": out})

    def _write(self, out: Path, stores: list[Store]) -> Counter:
        rows_per_store: Counter = Counter()
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = SafeCsvWriter(handle)  # names and notes are customers' data: never a formula
            writer.writerow(COLUMNS)
            customers: Iterator[Any] = (c for s in stores for c in export_rows(store=s).iterator(chunk_size=2000))
            for c in customers:  # annotated with their cards, and each has an assignee
                writer.writerow(
                    [
                        c.store.code,
                        c.phone,
                        c.name,
                        c.bucket,
                        c.months_away,
                        c.last_visit_on.isoformat() if c.last_visit_on else "",
                        c.assignee.username,
                        c.assignee.role,
                        f"{c.card_balance:.2f}",
                        c.sessions_left,
                    ]
                )
                rows_per_store[c.store_id] += 1
        return rows_per_store
