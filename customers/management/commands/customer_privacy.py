"""`customer_privacy export|anonymise --store CODE --phone N`: a customer's PIPL requests.

export     prints everything held about her as JSON (or writes it to --out FILE)
anonymise  makes her anonymous; her visits', cards' and follow-ups' amounts and counts stay
Both are written to the audit log. See customers/privacy.py for what each one covers.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from customers.models import Customer
from customers.phones import normalize_phone
from customers.privacy import customer_anonymise, customer_export


class Command(BaseCommand):
    help = "Export one customer's personal data as JSON, or make her anonymous (PIPL requests)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "anonymise"])
        parser.add_argument("--store", required=True, metavar="CODE")
        parser.add_argument("--phone", required=True, metavar="N")
        parser.add_argument("--out", type=Path, metavar="FILE.json", help="export: write here, not to the screen")

    def handle(self, *args, action: str, store: str, phone: str, out: Path | None, **options):
        customer = self._customer(store, phone)
        if action == "export":
            text = json.dumps(customer_export(customer=customer, by=None), cls=DjangoJSONEncoder, ensure_ascii=False)
            if out is None:
                self.stdout.write(text)
            else:
                out.write_text(text, encoding="utf-8")
            return
        customer_anonymise(customer=customer, by=None)
        self.stdout.write(_("Customer %(id)s is anonymous now.") % {"id": customer.pk})

    def _customer(self, store: str, phone: str) -> Customer:
        try:
            number = normalize_phone(phone)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        customer = Customer.objects.select_related("store").filter(store__code=store, phone=number).first()
        if customer is None:
            raise CommandError(
                _("Store %(store)s has no customer with the number %(phone)s.") % {"store": store, "phone": number}
            )
        return customer
