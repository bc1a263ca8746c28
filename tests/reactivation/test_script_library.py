"""The default library: loaded on migrate, complete, and updated by later migrations without touching stores."""

import dataclasses
import sys

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from customers.buckets import DORMANT_BUCKETS
from reactivation.library import DEFAULT_SCRIPTS, LANGUAGES, fingerprint
from reactivation.library.sync import sync_default_scripts
from reactivation.models import Script, ScriptVersion
from reactivation.placeholders import placeholder_errors, placeholders_in
from reactivation.reasons import Reason
from reactivation.selectors.scripts import store_scripts
from reactivation.services.scripts import script_update

pytestmark = pytest.mark.django_db

REQUIRED_SITUATIONS = set(Script.Situation.values)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reason_and_every_dormant_bucket_has_an_active_script(store, language):
    scripts = store_scripts(store=store, language=language)
    assert {s.reason for s in scripts} >= set(Reason.values)
    openings = {s.bucket for s in scripts if s.situation == Script.Situation.OPENING}
    assert openings >= set(DORMANT_BUCKETS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_situation_the_issue_names_is_covered(store, language):
    assert {s.situation for s in store_scripts(store=store, language=language)} == REQUIRED_SITUATIONS


def test_the_library_has_at_least_thirty_scripts_in_both_languages_loaded_by_migrate():
    assert len(DEFAULT_SCRIPTS) >= 30
    for language in LANGUAGES:
        assert Script.objects.filter(store=None, language=language, is_active=True).count() == len(DEFAULT_SCRIPTS)


def test_each_default_says_when_to_use_it_and_uses_only_known_placeholders():
    for entry in DEFAULT_SCRIPTS:
        for language, text in entry.texts().items():
            assert text.title and text.when_to_use and text.body, (entry.key, language)
            assert placeholder_errors(text.body) == [], (entry.key, language)
        assert set(placeholders_in(entry.zh.body)) == set(placeholders_in(entry.en.body)), entry.key


def test_a_default_names_what_is_left_on_her_cards_without_a_part_that_can_read_zero():
    """A customer with money only must not hear "0次护理", nor one with sessions only "0元"."""
    for entry in DEFAULT_SCRIPTS:
        for language, text in entry.texts().items():
            used = set(placeholders_in(text.body))
            assert not used & {"card_balance", "sessions_left"}, (entry.key, language)


def test_the_objections_the_issue_lists_are_answered():
    objections = {e.reason for e in DEFAULT_SCRIPTS if e.situation == Script.Situation.OBJECTION}
    assert objections >= {
        Reason.PRICE,
        Reason.BUSY,
        Reason.INCONVENIENT,
        Reason.RESULTS,
        Reason.SERVICE,
        Reason.OVERSOLD,
    }


def test_syncing_again_changes_nothing():
    report = sync_default_scripts(Script, ScriptVersion)
    assert (report.created, report.updated, report.retired) == (0, 0, 0)


def test_a_library_update_changes_the_default_keeps_the_old_text_and_leaves_store_overrides_alone(
    store, other_store, manager
):
    default = Script.objects.get(store=None, key="opening-m1", language="zh-hans")
    script_update(store=store, script=default, by=manager, changes={"body": "{name}，我们店自己的说法。"})
    entry = next(e for e in DEFAULT_SCRIPTS if e.key == "opening-m1")
    updated = dataclasses.replace(entry, zh=dataclasses.replace(entry.zh, body="{name}，新版默认话术。"))
    library = tuple(updated if e.key == "opening-m1" else e for e in DEFAULT_SCRIPTS)

    report = sync_default_scripts(Script, ScriptVersion, scripts=library)

    assert report.updated == 1
    default.refresh_from_db()
    assert default.body == "{name}，新版默认话术。"
    assert default.versions.get().body == entry.zh.body
    ours = store_scripts(store=store, language="zh-hans")
    theirs = store_scripts(store=other_store, language="zh-hans")
    assert next(s for s in ours if s.key == "opening-m1").body == "{name}，我们店自己的说法。"
    assert next(s for s in theirs if s.key == "opening-m1").body == "{name}，新版默认话术。"


def test_a_default_dropped_from_the_library_goes_out_of_use_but_stays_for_history():
    library = tuple(e for e in DEFAULT_SCRIPTS if e.key != "festival-mid-autumn-sms")
    report = sync_default_scripts(Script, ScriptVersion, scripts=library)
    assert report.retired == 2
    assert not Script.objects.get(store=None, key="festival-mid-autumn-sms", language="en").is_active


def test_the_latest_library_migration_carries_the_current_texts():
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    syncs = {
        name: getattr(sys.modules[type(migration).__module__], "LIBRARY_FINGERPRINT", None)
        for (app, name), migration in loader.disk_migrations.items()
        if app == "reactivation"
    }
    latest = max(name for name, fp in syncs.items() if fp)
    assert syncs[latest] == fingerprint(), (
        f"The default texts changed since {latest}: add a migration that calls sync_default_scripts "
        f'with LIBRARY_FINGERPRINT = "{fingerprint()}"'
    )
