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
