"""The cards still holding something, in expiry order: the dashboard's expiring cards without reading every card."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0011_customer_prepaid_and_store_tally'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='card',
            index=models.Index(condition=models.Q(('balance__gt', 0), ('sessions_left__gt', 0), _connector='OR'), fields=['expires_on', 'id'], name='card_expiring_with_money'),
        ),
    ]
