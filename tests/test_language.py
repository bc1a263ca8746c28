def test_pages_speak_chinese_by_default_even_to_an_english_browser(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html


def test_the_language_switch_turns_the_pages_english_and_back(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert "登录" in client.get("/accounts/login/").content.decode()


def test_every_message_in_the_chinese_catalog_is_translated():
    from pathlib import Path

    import polib

    catalog = polib.pofile(str(Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"))
    missing = [entry.msgid for entry in catalog if not entry.translated() and not entry.obsolete]
    assert not missing, f"untranslated: {missing[:10]}"


def test_no_string_in_the_code_is_missing_from_the_chinese_catalog(tmp_path):
    """Extract every translatable string afresh (in a copy of the tree) and check each one has Chinese."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import polib

    from tests.conftest import needs

    if shutil.which("xgettext") is None:
        needs("GNU gettext (apt-get install gettext)")
    root = Path(__file__).resolve().parent.parent
    copy = tmp_path / "tree"
    skip = shutil.ignore_patterns(".venv", "node_modules", "vendor", "var", ".git", "__pycache__", "*.sqlite3*")
    shutil.copytree(root, copy, ignore=skip)
    command = [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location"]
    ignored = ["--ignore=static", "--ignore=tests", "--ignore=scripts"]
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "salon_crm.settings.base"}
    subprocess.run([*command, *ignored], cwd=copy, check=True, capture_output=True, env=env)
    catalog = polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in catalog if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, f"run makemessages and translate: {missing[:10]}"


def test_every_chinese_text_fills_the_placeholders_its_english_names():
    """A Chinese text that drops a placeholder is refused by GNU msgfmt (Django's compilemessages),
    and one that adds a placeholder breaks the page at run time."""
    import re
    from pathlib import Path

    import polib

    catalog = polib.pofile(str(Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"))
    named = re.compile(r"%\((\w+)\)[sd]")
    wrong = []
    for entry in catalog:
        if "python-format" not in entry.flags or entry.obsolete:
            continue
        wanted = set(named.findall(entry.msgid_plural or entry.msgid))
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        wrong += [entry.msgid for text in texts if set(named.findall(text)) != wanted]
    assert not wrong, f"placeholders differ from the English: {wrong[:5]}"
