"""The privacy page: open to everyone, in both languages, written from the settings."""

import pytest


def test_everyone_can_read_it_before_signing_in(browser, app):
    page = browser.get("/privacy")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "730 days" in text and "at least 5 people" in text
    assert "nobody sees who voted" in text


def test_it_follows_the_settings(browser, app):
    app.config.update(AUDIT_RETENTION_DAYS=90, INSIGHTS_MIN_GROUP_SIZE=8)
    text = browser.get("/privacy").get_data(as_text=True)
    assert "90 days" in text and "at least 8 people" in text


@pytest.mark.parametrize("language, words", [("de", "Datenschutz"), ("en", "Privacy")])
def test_in_german_and_english(browser, app, language, words):
    browser.get("/login")
    browser.post("/language", {"language": language})
    text = browser.get("/privacy").get_data(as_text=True)
    assert words in text


def test_the_footer_links_to_it(browser, org):
    browser.login(org.employee)
    assert 'href="/privacy"' in browser.get("/ideas").get_data(as_text=True)
