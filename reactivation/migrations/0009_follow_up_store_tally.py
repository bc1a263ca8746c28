"""The store's contacts over time, with what the dashboards count of them (who, which customer, the outcome,
the id their reasons join on) carried in the index: built before the index it replaces is dropped, so no
query is ever left without one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reactivation", "0008_reward_sheet_stamp"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                fields=["store", "contacted_at"],
                include=("id", "customer", "by", "outcome"),
                name="follow_up_store_tally",
            ),
        ),
        migrations.RemoveIndex(
            model_name="followup",
            name="follow_up_store_time",
        ),
    ]
