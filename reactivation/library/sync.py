"""Bring the default script rows (store = NULL) in line with the library, from a migration or a shell.

Works with historical models (`apps.get_model`), so it touches only fields that
exist since the migration that first called it. It never reads or writes a
store's own rows: a store that has overridden a default keeps its text.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import DEFAULT_SCRIPTS, LibraryScript

# The fields a library entry decides; a version keeps each of them as it was.
SNAPSHOT_FIELDS = ("situation", "channel", "bucket", "reason", "title", "when_to_use", "body", "is_active")


@dataclass
class SyncReport:
    created: int = 0
    updated: int = 0
    retired: int = 0


def sync_from_migration(apps, schema_editor) -> None:
    """A library migration's `RunPython` step: `sync_default_scripts` on the models as that migration sees them."""
    sync_default_scripts(apps.get_model("reactivation", "Script"), apps.get_model("reactivation", "ScriptVersion"))


def sync_default_scripts(script_model, version_model, scripts: tuple[LibraryScript, ...] = DEFAULT_SCRIPTS):
    """Create missing defaults, update changed ones (keeping the old text as a version), retire removed ones.

    Running it twice changes nothing the second time.
    """
    report = SyncReport()
    existing = {(s.key, s.language): s for s in script_model.objects.filter(store__isnull=True)}
    for entry in scripts:
        for language, wanted in _wanted_rows(entry).items():
            row = existing.pop((entry.key, language), None)
            if row is None:
                script_model.objects.create(store=None, key=entry.key, language=language, **wanted)
                report.created += 1
            elif _replace(row, wanted, version_model):
                report.updated += 1
    for row in existing.values():  # defaults no longer in the library: keep them for history, out of use
        if row.is_active and _replace(row, {"is_active": False}, version_model):
            report.retired += 1
    return report


def _wanted_rows(entry: LibraryScript) -> dict[str, dict]:
    common = {"situation": entry.situation, "channel": entry.channel, "bucket": entry.bucket, "reason": entry.reason}
    return {
        language: {**common, "title": t.title, "when_to_use": t.when_to_use, "body": t.body, "is_active": True}
        for language, t in entry.texts().items()
    }


def _replace(row, wanted: dict, version_model) -> bool:
    if all(getattr(row, name) == value for name, value in wanted.items()):
        return False
    version_model.objects.create(
        script=row,
        edited_by_id=row.updated_by_id,
        edited_at=row.updated_at,
        **{name: getattr(row, name) for name in SNAPSHOT_FIELDS},
    )
    for name, value in wanted.items():
        setattr(row, name, value)
    row.updated_by_id = None
    row.save()
    return True
