"""Load the default script library (Chinese and English) into the database.

A later change to the texts gets its own migration, a copy of this one with the
new `reactivation.library.fingerprint()`; store overrides are never touched.
"""

from django.db import migrations

from reactivation.library.sync import sync_from_migration

LIBRARY_FINGERPRINT = "4021f29e84e98209"


class Migration(migrations.Migration):
    dependencies = [
        ("reactivation", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(sync_from_migration, migrations.RunPython.noop),
    ]
