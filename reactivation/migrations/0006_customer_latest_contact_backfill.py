"""Copy each customer's latest contact onto her row (`Customer.last_contact_at` and the two beside it).

The same statement as `reactivation.services.follow_ups.latest_contacts_refresh`, frozen here as migrations must be.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    FollowUp = apps.get_model("reactivation", "FollowUp")
    contacted = FollowUp.objects.values("customer_id").distinct()
    latest = FollowUp.objects.filter(customer=OuterRef("pk")).order_by("-contacted_at", "-id")
    Customer.objects.filter(pk__in=contacted).update(
        last_contact_at=Subquery(latest.values("contacted_at")[:1]),
        last_contact_outcome=Coalesce(Subquery(latest.values("outcome")[:1]), Value("")),
        next_follow_up_on=Subquery(latest.values("next_follow_up_on")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0009_customer_latest_contact"),
        ("reactivation", "0005_segment_run_long_gone_split"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
