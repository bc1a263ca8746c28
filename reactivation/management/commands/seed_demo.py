from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from customers.imports.bulk import refresh_statistics
from customers.models import AftercareCall, Appointment, Card, CardEntry, Customer, Visit
from reactivation.demo import DEMO_STORE_CODE, demo_logins, demo_seed, demo_staff_set_passwords, demo_store
from reactivation.demo_day import demo_day_prepare
from reactivation.demo_history import demo_history_prepare
from reactivation.models import AssignmentChange, CustomerReturn, FollowUp, FollowUpReason, SegmentCount, SegmentRun

DEMO_TABLES = (
    Customer, Visit, Card, CardEntry, Appointment, AftercareCall, FollowUp, FollowUpReason, CustomerReturn,
    SegmentRun, SegmentCount, AssignmentChange,
)  # fmt: skip


class Command(BaseCommand):
    help = (
        "Build a realistic demo store (1 owner, 1 manager, 6 beauticians, 2 front desk) with customers, visits, "
        "cards, appointments and follow-ups. Rebuilds the demo store each time; other stores are not touched. "
        "The same --seed on the same day gives the same salon."
    )

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=2000, help="number of customers (default 2000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--password", default="salon-demo", help="password of every demo login (default salon-demo)"
        )
        parser.add_argument("--today", type=dt.date.fromisoformat, help="build histories up to this date (YYYY-MM-DD)")
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="keep an existing demo store as it is (only reset the demo passwords and print the logins)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _("DEBUG is off: this looks like a real installation. Use --force to seed demo data anyway.")
            )
        if options["customers"] < 0:
            raise CommandError(_("--customers must be zero or more."))
        if options["if_missing"] and demo_store() is not None:
            demo_staff_set_passwords(options["password"])
            self.stdout.write(
                _("The demo store already exists and was kept as it is (seed_demo without --if-missing rebuilds it).")
            )
        else:
            self._seed(options)
        self.stdout.write(_("Demo logins (password: %(password)s):") % {"password": options["password"]})
        for username, name, role in demo_logins():
            self.stdout.write(f"  {username:<12} {name} · {role}")

    def _seed(self, options) -> None:
        summary = demo_seed(
            customers=options["customers"], seed=options["seed"], password=options["password"], today=options["today"]
        )
        # Twelve weeks of nightly snapshots and four months of returns, for the manager's pages.
        demo_history_prepare(store=summary.store, today=options["today"] or summary.store.today(), seed=options["seed"])
        # Tonight's run, and today's work on every list (due follow-ups, appointments, escalations, aftercare).
        demo_day_prepare(store=summary.store, today=options["today"] or summary.store.today(), seed=options["seed"])
        # Bulk writes leave PostgreSQL's planner blind until the next ANALYZE (autovacuum may be off).
        for model in DEMO_TABLES:
            refresh_statistics(model)
        self.stdout.write(
            _(
                "Demo store %(code)s “%(name)s”: %(customers)d customers, %(visits)d visits, %(cards)d cards, "
                "%(appointments)d appointments, %(follow_ups)d follow-ups."
            )
            % {
                "code": DEMO_STORE_CODE,
                "name": summary.store.name,
                "customers": summary.customers,
                "visits": summary.visits,
                "cards": summary.cards,
                "appointments": summary.appointments,
                "follow_ups": summary.follow_ups,
            }
        )
