from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from customers.models import Store
from reactivation.services.segment import segment_stores


class Command(BaseCommand):
    help = (
        "The nightly classification and assignment, run now. Every customer is put in a bucket by whole months "
        "since her last visit (active, m1, m2, m3, m3plus); every contactable dormant customer gets one assignee: "
        "the store's beautician buckets split evenly among its active beauticians, the others among its front desk. "
        "One transaction per store; running it again for the same date changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            help="classify as of this date (YYYY-MM-DD); default: each store's today",
        )
        parser.add_argument("--store", metavar="CODE", help="only this store (default: every open store)")

    def handle(self, *args, **options):
        stores = Store.objects.filter(is_active=True)
        if options["store"]:
            stores = Store.objects.filter(code=options["store"])
            if not stores.exists():
                raise CommandError(_("No store with the code “%(code)s”.") % {"code": options["store"]})
        results = segment_stores(stores=stores.order_by("code"), today=options["date"])
        for result in results:
            self.stdout.write(self._describe(result))
        failed = [r for r in results if not r.ok]
        if failed:
            raise CommandError(
                _("%(failed)d of %(total)d stores failed; the others were classified.")
                % {"failed": len(failed), "total": len(results)}
            )

    def _describe(self, result) -> str:
        values = {"code": result.store.code, "date": result.run_date.isoformat()}
        if result.status == "skipped":
            return _("%(code)s %(date)s: already classified for this date, nothing changed.") % values
        if result.status == "failed":
            return _("%(code)s %(date)s: FAILED (%(error)s); nothing was saved for this store.") % {
                **values,
                "error": result.error,
            }
        run = result.run
        counts = {b: 0 for b in ("active", "m1", "m2", "m3", "m3plus")}
        for row in run.counts.all():
            counts[row.bucket] += row.customers
        return _(
            "%(code)s %(date)s: %(changed)d customers changed, %(moved)d assignees changed; "
            "active %(active)d, m1 %(m1)d, m2 %(m2)d, m3 %(m3)d, m3plus %(m3plus)d; nobody to call %(unassigned)d."
        ) % {
            **values,
            **counts,
            "changed": run.customers_changed,
            "moved": run.assignees_changed,
            "unassigned": run.unassigned,
        }
