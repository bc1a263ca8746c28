"""Load the default script library (Chinese and English) into the database.

A later change to the texts gets its own migration, a copy of this one with the
new `reactivation.library.fingerprint()`; store overrides are never touched.
"""

from django.db import migrations

LIBRARY_FINGERPRINT = "4021f29e84e98209"


def load_default_scripts(apps, schema_editor):
    from reactivation.library.sync import sync_default_scripts

    sync_default_scripts(apps.get_model("reactivation", "Script"), apps.get_model("reactivation", "ScriptVersion"))


class Migration(migrations.Migration):
    dependencies = [
        ("reactivation", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_default_scripts, migrations.RunPython.noop),
    ]
