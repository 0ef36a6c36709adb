"""Back, then submit again: the browser sends the same form a second time, and the idea is
filed once (the form's one-time key comes back with it)."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from suggestions.core.extensions import db
from suggestions.ideas.models import Idea

from . import steps

pytestmark = pytest.mark.browser

TITLE = "One signature for travel under 300"


def test_back_then_submit_again_files_the_idea_once(data, browse, site):
    erika = browse(data.erika)
    page = erika.page
    first = steps.submit_idea(erika, TITLE)
    page.go_back()
    expect(page.locator("#title")).to_have_value(TITLE)
    page.locator("main form.idea-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ideas/\d+$"))
    assert int(page.url.rsplit("/", 1)[1]) == first
    expect(page.locator(".flashes")).to_contain_text("You had sent this already")
    with site.database():
        assert db.session.scalar(select(func.count()).where(Idea.title == TITLE)) == 1
    erika.check()
