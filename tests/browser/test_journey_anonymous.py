"""An anonymous idea in a real browser: the author submits it with "Submit anonymously" and
comments on it; then a colleague, the head of the owning department, leadership and the admin
read the list (every sort, their filters), open the idea, vote and comment, and the head
answers officially. The author's own comment reads "The author", without a department. The
author's name and email appear in none of it: not in the text a person reads, not in the page
source the server sent, not in the DOM after scripts ran, not in the title.

The author writes on a phone, the others read on desktops: the server sends the same pages
to both, and the phone's layout is checked by the other journeys.

The admin's user directory lists every account by design and is not part of this walk; the
HTTP crawl in tests/test_anonymity.py checks that it ties nobody to an idea.
"""

import re

import pytest
from playwright.sync_api import Response, expect

from . import steps
from .visitor import DEVICES, Visitor

pytestmark = pytest.mark.browser

TITLE = "Overtime approvals should not need three signatures"
SECRETS = re.compile(r"wilhelmine|whistleblower", re.IGNORECASE)


# The accept form offers every active person as the commitment's owner, the author among
# them: a list of everyone ties nobody to the idea (leaving the author out would).
OWNER_CHOICES = re.compile(r'<select[^>]*name="accept-owner".*?</select>', re.S)


def assert_nothing_reveals_the_author(v: Visitor, response: Response | None = None) -> None:
    visible = v.page.evaluate(
        """() => { const page = document.documentElement.cloneNode(true);
                   page.querySelectorAll('select[name="accept-owner"]').forEach(s => s.remove());
                   return page.innerText || page.textContent; }"""
    )
    sources = {
        "visible text": visible,
        "DOM": OWNER_CHOICES.sub("", v.page.content()),
        "title": v.page.title(),
    }
    if response is not None:
        sources[f"response from {response.url}"] = OWNER_CHOICES.sub("", response.text())
    for where, text in sources.items():
        match = SECRETS.search(text)
        if match:
            context = text[max(0, match.start() - 80) : match.end() + 80]
            raise AssertionError(f"{v.page.url}: the {where} names the author: ...{context}...")


def visit(v: Visitor, path: str) -> None:
    assert_nothing_reveals_the_author(v, v.goto(path))


def test_nobody_learns_who_wrote_an_anonymous_idea(data, browse):
    author = browse(data.wilhelmine, DEVICES["phone"])
    idea_id = steps.submit_idea(
        author, TITLE, category="Red tape", also_affects=("Sales",), anonymous=True
    )
    # Only the author is told it is theirs.
    expect(author.page.locator(".idea-head .author")).to_contain_text("Anonymous")
    expect(author.page.locator(".idea-head .author")).to_contain_text("only you see this")
    # The author takes part in the discussion of their own idea: still "the author".
    steps.comment(author, "The author adds: the third signature is the slowest.")

    readers = [
        (data.otto, None),  # another department
        (data.hanna, "official"),  # head of Customer Service, which owns the idea
        (data.lea, None),  # leadership
        (data.adam, None),  # administrator
    ]
    for n, (account, answer) in enumerate(readers, start=1):
        reader = browse(account)
        # Every sort and filter is crawled over HTTP in tests/test_anonymity.py; here the
        # pages as a browser builds them.
        for path in ("/ideas?sort=new", f"/ideas?department={data.departments['Customer Service']}",
                     f"/ideas/{idea_id}"):  # fmt: skip
            visit(reader, path)
        expect(reader.page.locator(".idea-head .author")).to_have_text("Anonymous")
        own_comment = reader.page.locator(".comment", has_text="the third signature")
        expect(own_comment.locator(".comment-head strong")).to_have_text("The author")
        expect(own_comment.locator(".comment-head")).not_to_contain_text("Customer Service")

        with reader.page.expect_response(re.compile(rf"/ideas/{idea_id}/vote$")) as voted:
            steps.vote(reader, idea_id, expect_count=n)
        assert_nothing_reveals_the_author(reader, voted.value)

        reader.page.fill("#body", f"Comment number {n}: we have the same problem.")
        if answer:
            reader.page.check("#official")
        with reader.page.expect_navigation() as posted:
            reader.page.locator(".comment-form button[type=submit]").click()
        assert_nothing_reveals_the_author(reader, posted.value)
        if account == data.adam:
            for path in ("/admin/departments", "/admin/categories"):
                visit(reader, path)
