"""The default scripts name what is left on her cards with `{card_left}`, which names only what
there is (1,280元 / 3次护理 / both), instead of "{card_balance}、{sessions_left}次护理", which
told a customer with money only that she had "0次护理" left. Store overrides are untouched."""

from django.db import migrations

from reactivation.library.sync import sync_from_migration

LIBRARY_FINGERPRINT = "a002b1fcd45b3407"


class Migration(migrations.Migration):
    dependencies = [
        ("reactivation", "0009_follow_up_store_tally"),
    ]

    operations = [
        migrations.RunPython(sync_from_migration, migrations.RunPython.noop),
    ]
