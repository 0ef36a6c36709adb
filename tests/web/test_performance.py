"""Production settings for speed, and the shortcuts pages take: each must give exactly what the
slow way gives."""

from __future__ import annotations

import html
import re
import runpy
from datetime import date, datetime
from pathlib import Path

import flask_babel
from flask_babel import force_locale

from suggestions.core import text
from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.web.templating import asset_version, format_moment, format_number, locale

from ..factories import make_idea

ROOT = Path(__file__).resolve().parents[2]


def test_versioned_static_files_are_cached_for_a_year(app, browser):
    version = app.config["ASSET_VERSION"]
    page = browser.get("/login").get_data(as_text=True)
    assert f"/static/css/app.css?v={version}" in page
    cached = browser.get(f"/static/css/app.css?v={version}")
    assert cached.status_code == 200
    assert set(cached.headers["Cache-Control"].split(", ")) == {
        "public", "max-age=31536000", "immutable"
    }  # fmt: skip
    # Without the current version (an old link): the browser asks again each time.
    for url in ("/static/css/app.css", "/static/css/app.css?v=old"):
        assert "max-age=31536000" not in browser.get(url).headers.get("Cache-Control", "")
    # Pages are personal: never kept.
    assert browser.get("/login").headers["Cache-Control"] == "private, no-store"


def test_the_asset_version_changes_exactly_when_a_file_does(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "app.css").write_text("body { color: black }")
    first = asset_version(str(tmp_path))
    assert asset_version(str(tmp_path)) == first
    (tmp_path / "css" / "app.css").write_text("body { color: navy }")
    assert asset_version(str(tmp_path)) != first


def test_gunicorn_settings_are_threaded_workers_and_follow_the_environment(monkeypatch):
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["worker_class"] == "gthread"
    assert settings["workers"] >= 1 and settings["threads"] == 4
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "2")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (settings["workers"], settings["threads"], settings["bind"]) == (3, 2, "0.0.0.0:9000")


def test_postgresql_gets_a_pool_sized_for_the_threads():
    from suggestions import create_app

    app = create_app({
        "FREIRAUM_ENV": "testing", "SECRET_KEY": "x",
        "SQLALCHEMY_DATABASE_URI": "postgresql://freiraum@db.example/freiraum",
        "DATABASE_POOL_SIZE": 6,
    })  # fmt: skip
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert (options["pool_size"], options["max_overflow"], options["pool_pre_ping"]) == (6, 4, True)


def test_page_language_follows_a_change_within_the_request(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert locale() == "en"
        assert format_number(1234567) == "1,234,567"
        with force_locale("de"):
            assert locale() == "de"
            assert format_number(1234567) == "1.234.567"
        assert locale() == "en"
        assert format_number(12.5) == "12.5"


def test_dates_are_formatted_per_language_and_time_zone_as_flask_babel_does(app):
    moment = datetime(2026, 3, 27, 23, 30)  # UTC: already 28 March in Berlin
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert format_moment(moment) == flask_babel.format_datetime(moment, "medium")
        assert "Mar 28, 2026" in format_moment(moment)
        assert format_moment(moment, "date") == flask_babel.format_date(moment, "medium")
        with force_locale("de"):
            assert format_moment(moment) == flask_babel.format_datetime(moment, "medium")
            assert format_moment(moment) == "28.03.2026, 00:30:00"
        assert format_moment(None) == ""
        day = date(2026, 4, 2)  # a due date: a calendar day, no time zone
        assert format_moment(day, "date") == flask_babel.format_date(day, "medium")


def test_markdown_from_the_cache_is_the_same_and_long_texts_bypass_it():
    source = "**Same** <script>alert(1)</script> [x](javascript:alert(1))"
    first = text.render_markdown(source)
    assert text.render_markdown(source) == first
    assert "<strong>Same</strong>" in first and "<script>" not in first
    hits = text._render_cached.cache_info().hits
    long = "word " * (text.CACHE_MAX_LENGTH // 5 + 1)
    text.render_markdown(long)
    text.render_markdown(long)
    assert text._render_cached.cache_info().hits == hits


def _ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<h2 class="idea-card-title"><a href="/ideas/(\d+)"', page)]


def _link(page: str, rel: str) -> str | None:
    match = re.search(rf'<a href="([^"]+)" rel="{rel}"', page)
    return html.unescape(match.group(1)) if match else None


def test_next_and_previous_links_walk_every_idea_once_in_order(app, browser, org):
    app.config.update(IDEAS_PER_PAGE=3)
    ideas = [make_idea(org.employee, department=org.service) for _ in range(8)]
    # Ties on the vote count: the id decides, as on page 1.
    for idea, votes in zip(ideas, [2, 0, 2, 1, 0, 2, 1, 0], strict=True):
        for voter in [org.head, org.leader][:votes]:
            rules.set_vote(idea, voter, True)
    db.session.commit()
    expected = [i.id for i in sorted(ideas, key=lambda i: (-i.vote_count, -i.id))]
    browser.login(org.employee)
    pages, url = [], "/ideas"
    while url:
        page = browser.get(url).get_data(as_text=True)
        pages.append((url, _ids(page)))
        url = _link(page, "next")
    assert [i for _, ids in pages for i in ids] == expected
    assert [len(ids) for _, ids in pages] == [3, 3, 2]
    assert "after=" in pages[1][0]
    # Back again through the previous links.
    page = browser.get(pages[-1][0]).get_data(as_text=True)
    back = _link(page, "prev")
    assert "before=" in back and _ids(browser.get(back).get_data(as_text=True)) == pages[1][1]
    # A page number alone still works (OFFSET), and nonsense cursors are ignored.
    assert _ids(browser.get("/ideas?page=2").get_data(as_text=True)) == expected[3:6]
    assert _ids(browser.get("/ideas?after=x.y").get_data(as_text=True)) == expected[:3]
