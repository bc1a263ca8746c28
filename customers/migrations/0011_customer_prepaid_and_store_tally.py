"""What her cards still hold, on the customer's row (`prepaid_yuan`, `prepaid_sessions`), filled from the cards; and
the dashboards' covering index, built before the index it replaces is dropped, so no query is ever left without.

The backfill is the same statement as `customers.services.cards.prepaid_refresh`, frozen here as migrations must be.
"""

from django.db import migrations, models
from django.db.models import DecimalField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    Card = apps.get_model("customers", "Card")
    cards = Card.objects.filter(customer=OuterRef("pk")).order_by().values("customer")
    money = DecimalField(max_digits=12, decimal_places=2)
    Customer.objects.filter(pk__in=Card.objects.values("customer_id")).update(
        prepaid_yuan=Coalesce(
            Subquery(cards.filter(kind="value").annotate(s=Sum("balance")).values("s"), output_field=money),
            Value(0, output_field=money),
        ),
        prepaid_sessions=Coalesce(
            Subquery(cards.filter(kind="sessions").annotate(s=Sum("sessions_left")).values("s")),
            Value(0),
            output_field=IntegerField(),
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0010_customer_spend_12m"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="prepaid_sessions",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False, verbose_name="sessions held"),
        ),
        migrations.AddField(
            model_name="customer",
            name="prepaid_yuan",
            field=models.DecimalField(
                db_default=0,
                decimal_places=2,
                default=0,
                editable=False,
                max_digits=12,
                verbose_name="stored value held (yuan)",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(
                fields=["store", "bucket", "assignee"],
                include=(
                    "months_away",
                    "escalated_on",
                    "next_follow_up_on",
                    "prepaid_yuan",
                    "prepaid_sessions",
                    "id",
                ),
                name="customer_store_tally",
            ),
        ),
        migrations.RemoveIndex(
            model_name="customer",
            name="customer_store_bucket_assignee",
        ),
    ]
