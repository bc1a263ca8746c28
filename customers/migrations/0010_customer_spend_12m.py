"""Each customer's spend in the twelve months up to her last visit, kept on her row (`Customer.spend_12m`).

The backfill is the statement of `customers.services.last_visits.customers_refresh_last_visits`, frozen here as
migrations must be.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    Visit = apps.get_model("customers", "Visit")
    money = models.DecimalField(max_digits=12, decimal_places=2)
    spend = (
        Visit.objects.filter(customer=OuterRef("pk"), visited_on__gt=OuterRef("last_visit_on") - dt.timedelta(days=365))
        .order_by()
        .values("customer")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    Customer.objects.filter(last_visit_on__isnull=False).update(
        spend_12m=Coalesce(Subquery(spend, output_field=money), Value(Decimal("0.00"), output_field=money))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0009_customer_latest_contact"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="spend_12m",
            field=models.DecimalField(
                db_default=Decimal("0.00"),
                decimal_places=2,
                default=Decimal("0.00"),
                editable=False,
                max_digits=12,
                verbose_name="spent in the twelve months up to her last visit",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
